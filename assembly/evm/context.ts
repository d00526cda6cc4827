// The block and transaction the core is executing, as structs TypeScript writes into memory
// (src/core/layout.ts mirrors these offsets). Values are words in the core's little-endian limb form.

// Block environment.
export const B_COINBASE: usize = 0; // word
export const B_NUMBER: usize = 32; // u64
export const B_TIMESTAMP: usize = 40; // u64
export const B_GAS_LIMIT: usize = 48; // u64
export const B_BASE_FEE: usize = 64; // word
export const B_PREVRANDAO: usize = 96; // word: DIFFICULTY before the merge
export const B_BLOB_BASE_FEE: usize = 128; // word
export const B_CHAIN_ID: usize = 160; // word
export const B_BLOCK_HASHES: usize = 192; // u32 pointer to 256 words: hash of block number-1-i at i
export const B_BLOCK_HASHES_KNOWN: usize = 196; // u32 pointer to a 256-bit map: bit i set when entry i was given
export const B_SIZE: usize = 256;

// Transaction.
export const T_CALLER: usize = 0; // word
export const T_TO: usize = 32; // word
export const T_VALUE: usize = 64; // word
export const T_GAS_PRICE: usize = 96; // word: gasPrice, or maxFeePerGas for types 2 and 3
export const T_PRIORITY_FEE: usize = 128; // word: maxPriorityFeePerGas (types 2 and 3)
export const T_BLOB_FEE_CAP: usize = 160; // word: maxFeePerBlobGas (type 3)
export const T_GAS_LIMIT: usize = 192; // u64
export const T_NONCE: usize = 200; // u64
export const T_TYPE: usize = 208; // u32
export const T_FLAGS: usize = 212; // u32
export const T_DATA: usize = 216; // u32 pointer
export const T_DATA_LEN: usize = 220; // u32
export const T_ACCESS_LIST: usize = 224; // u32 pointer: per address [word, u64 key count, pad to 64] + key words
export const T_ACCESS_LIST_LEN: usize = 228; // u32 number of addresses
export const T_BLOB_HASHES: usize = 232; // u32 pointer to words
export const T_BLOB_COUNT: usize = 236; // u32
export const T_ACCESS_LIST_KEYS: usize = 240; // u32 number of storage keys in all
export const T_GAS_AVAILABLE: usize = 248; // u64: gas left in the block for this transaction
export const T_SIZE: usize = 256;

export const TX_CREATE: u32 = 1; // T_FLAGS: no `to`, a contract creation
// T_FLAGS: a system call (EIP-4788 beacon root): no validity checks, no fees, no nonce, not warmed.
export const TX_SYSTEM: u32 = 2;
// T_FLAGS: a plain value transfer whose credit parallel mode may defer (state/credits.ts); ignored sequentially.
export const TX_CREDIT: u32 = 4;

/** The block being executed (set by `setBlock`). */
export let block: usize = 0;
/** The transaction being executed. */
export let tx: usize = 0;

export function setBlock(ptr: usize): void { block = ptr; }
export function setTx(ptr: usize): void { tx = ptr; }

// Per-transaction values the instructions read.
export let gasPrice: usize = 0; // word: the effective gas price (GASPRICE)
export function setGasPrice(p: usize): void { gasPrice = p; }
