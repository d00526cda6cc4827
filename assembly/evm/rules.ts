// The fork rules the core executes under: a set of EIP flags chosen by TypeScript before execution
// (from @ethereumjs/common's hardfork schedule) and the numbers derived from them. Nothing here is
// looked up per step: `configure` fills plain globals and the opcode table once per block.

/** EIP feature bits; TypeScript mirrors them in src/fork/rules.ts. */
export namespace Eip {
  export const HOMESTEAD: u32 = 1 << 0; // EIP-2 (create OOG fails), EIP-7 DELEGATECALL
  export const EIP150: u32 = 1 << 1; // IO gas repricing, all but 1/64 to calls
  export const EIP158: u32 = 1 << 2; // EIP-161 state clearing (touched empty accounts deleted), nonce 1 for contracts
  export const EIP160: u32 = 1 << 3; // EXP byte cost 50
  export const EIP170: u32 = 1 << 4; // contract code size limit
  export const BYZANTIUM: u32 = 1 << 5; // EIP-140 REVERT, EIP-211 RETURNDATA*, EIP-214 STATICCALL, EIP-658 status
  export const EIP145: u32 = 1 << 6; // SHL SHR SAR
  export const EIP1014: u32 = 1 << 7; // CREATE2
  export const EIP1052: u32 = 1 << 8; // EXTCODEHASH
  export const EIP1283: u32 = 1 << 9; // net gas metering for SSTORE (Constantinople only)
  export const EIP1344: u32 = 1 << 10; // CHAINID
  export const EIP1884: u32 = 1 << 11; // SLOAD/BALANCE/EXTCODEHASH repricing, SELFBALANCE
  export const EIP2200: u32 = 1 << 12; // net gas metering for SSTORE with the stipend guard
  export const EIP2028: u32 = 1 << 13; // calldata 16 gas per non-zero byte
  export const EIP2929: u32 = 1 << 14; // cold/warm state access
  export const EIP2930: u32 = 1 << 15; // access-list transactions (type 1)
  export const EIP1559: u32 = 1 << 16; // fee market transactions (type 2), base fee
  export const EIP3198: u32 = 1 << 17; // BASEFEE
  export const EIP3529: u32 = 1 << 18; // reduced refunds
  export const EIP3541: u32 = 1 << 19; // reject new code starting with 0xEF
  export const EIP4399: u32 = 1 << 20; // PREVRANDAO
  export const EIP3651: u32 = 1 << 21; // warm coinbase
  export const EIP3855: u32 = 1 << 22; // PUSH0
  export const EIP3860: u32 = 1 << 23; // initcode limit and metering
  export const EIP1153: u32 = 1 << 24; // TLOAD TSTORE
  export const EIP4844: u32 = 1 << 25; // blob transactions, BLOBHASH
  export const EIP5656: u32 = 1 << 26; // MCOPY
  export const EIP6780: u32 = 1 << 27; // SELFDESTRUCT only in the creating transaction
  export const EIP7516: u32 = 1 << 28; // BLOBBASEFEE
}

/** The active EIP bits. */
export let eips: u32 = 0;
/** Highest active precompile address (4 Frontier, 8 Byzantium, 9 Istanbul, 10 Cancun). */
export let precompileCount: u32 = 4;

@inline export function has(eip: u32): bool { return (eips & eip) != 0; }

// Gas constants that change between forks; the rest are named where they are used.
export let SLOAD_GAS: i64 = 50; // 200 EIP-150, 800 EIP-1884, warm read 100 EIP-2929
export let SSTORE_CLEARS_REFUND: i64 = 15000; // 4800 EIP-3529
export let EXP_BYTE_GAS: i64 = 10; // 50 EIP-160
export let SELFDESTRUCT_REFUND: i64 = 24000; // 0 EIP-3529
export let REFUND_QUOTIENT: u64 = 2; // 5 EIP-3529
export let TX_DATA_NONZERO_GAS: u64 = 68; // 16 EIP-2028
export let MAX_CODE_SIZE: u64 = 0xffffffff; // 24576 EIP-170
export let MAX_INITCODE_SIZE: u64 = 0xffffffff; // 49152 EIP-3860

export const WARM_STORAGE_READ_COST: i64 = 100; // EIP-2929
export const COLD_ACCOUNT_ACCESS_COST: i64 = 2600; // EIP-2929
export const COLD_SLOAD_COST: i64 = 2100; // EIP-2929
export const MAX_BLOBS_PER_BLOCK: u32 = 6; // EIP-4844
export const GAS_PER_BLOB: u64 = 131072; // EIP-4844

/** Chooses the rules for the coming transactions. */
export function configureRules(flags: u32): void {
  eips = flags;
  precompileCount = has(Eip.EIP4844) ? 10 : has(Eip.EIP1884) ? 9 : has(Eip.BYZANTIUM) ? 8 : 4;
  SLOAD_GAS = has(Eip.EIP2929) ? WARM_STORAGE_READ_COST : has(Eip.EIP1884) ? 800 : has(Eip.EIP150) ? 200 : 50;
  SSTORE_CLEARS_REFUND = has(Eip.EIP3529) ? 4800 : 15000;
  EXP_BYTE_GAS = has(Eip.EIP160) ? 50 : 10;
  SELFDESTRUCT_REFUND = has(Eip.EIP3529) ? 0 : 24000;
  REFUND_QUOTIENT = has(Eip.EIP3529) ? 5 : 2;
  TX_DATA_NONZERO_GAS = has(Eip.EIP2028) ? 16 : 68;
  MAX_CODE_SIZE = has(Eip.EIP170) ? 24576 : 0xffffffff;
  MAX_INITCODE_SIZE = has(Eip.EIP3860) ? 2 * 24576 : 0xffffffff;
}
