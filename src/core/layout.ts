// Offsets of the structs the wasm core and TypeScript share. The core defines them (the file named
// beside each group); these mirror them, and test/core/layout.test.ts checks they agree.

/** Block environment (assembly/evm/context.ts). */
export const Block = {
  COINBASE: 0, NUMBER: 32, TIMESTAMP: 40, GAS_LIMIT: 48, BASE_FEE: 64, PREVRANDAO: 96, BLOB_BASE_FEE: 128,
  CHAIN_ID: 160, BLOCK_HASHES: 192, BLOCK_HASHES_KNOWN: 196, SIZE: 256,
} as const;

/** Transaction (assembly/evm/context.ts). */
export const Tx = {
  CALLER: 0, TO: 32, VALUE: 64, GAS_PRICE: 96, PRIORITY_FEE: 128, BLOB_FEE_CAP: 160, GAS_LIMIT: 192, NONCE: 200,
  TYPE: 208, FLAGS: 212, DATA: 216, DATA_LEN: 220, ACCESS_LIST: 224, ACCESS_LIST_LEN: 228, BLOB_HASHES: 232,
  BLOB_COUNT: 236, ACCESS_LIST_KEYS: 240, GAS_AVAILABLE: 248, SIZE: 256,
  FLAG_CREATE: 1, FLAG_SYSTEM: 2, FLAG_CREDIT: 4,
} as const;

/** Transaction result (assembly/tx/transaction.ts). */
export const Result = {
  VALIDITY: 0, STATUS: 4, GAS_USED: 8, BLOB_GAS_USED: 16, LOGS: 24, LOG_COUNT: 28, OUTPUT: 32, OUTPUT_LEN: 36,
  CREATED: 64, BLOOM: 128, FEE: 384,
} as const;

/** Log record (assembly/evm/instructions/logging.ts). */
export const Log = { NEXT: 0, TOPIC_COUNT: 4, DATA: 8, DATA_LEN: 12, ADDRESS: 16, TOPICS: 48 } as const;

/** Store account record (assembly/state/store.ts). */
export const Account = {
  ADDRESS: 0, BALANCE: 32, NONCE: 64, CODE: 72, FLAGS: 76, SLOTS: 80, SLOT_CAP: 84, SLOT_COUNT: 88,
  FLAG_EXISTS: 1, FLAG_STORAGE_COMPLETE: 2,
} as const;

/** Store-wide flags (assembly/state/store.ts). */
export const StoreFlags = { ABSENT_UNKNOWN: 1 } as const;

/** Store slot record (assembly/state/store.ts). */
export const Slot = { KEY: 0, VALUE: 32 } as const;

/** Code entry (assembly/state/code.ts). */
export const Code = { HASH: 0, LEN: 32, BYTES: 64 } as const;

/** Halt statuses of a frame (assembly/evm/status.ts). */
export const Status = [
  'success', 'revert', 'out of gas', 'stack underflow', 'stack overflow', 'invalid opcode', 'bad jump destination',
  'state change in static call', 'return data out of bounds', 'code size exceeded', 'code starts with 0xEF',
  'address collision', 'precompile failure',
] as const;

/** Why the core trapped (assembly/layout.ts FATAL_*). */
export const Fatal = {
  NONE: 0, SHARED_FULL: 1, BUG: 2, STACK_FULL: 3, MEMORY_FULL: 4, JOURNAL_FULL: 5, HEAP_FULL: 6, MISSING_ACCOUNT: 7,
  MISSING_SLOT: 8, MISSING_BLOCK_HASH: 9, MV_FULL: 10, DEPENDENCY: 11,
} as const;
