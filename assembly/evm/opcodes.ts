// The opcode table: for every opcode its stack inputs and outputs, its static gas and the EIP that
// introduces it. The interpreter's step checks (undefined opcode, stack bounds, static gas) come from
// the per-fork table `buildOpTable` writes; instruction bodies charge only dynamic gas.

import { Eip, has, SLOAD_GAS, WARM_STORAGE_READ_COST } from "./rules";

export const STOP: u8 = 0x00, ADD: u8 = 0x01, MUL: u8 = 0x02, SUB: u8 = 0x03, DIV: u8 = 0x04, SDIV: u8 = 0x05,
  MOD: u8 = 0x06, SMOD: u8 = 0x07, ADDMOD: u8 = 0x08, MULMOD: u8 = 0x09, EXP: u8 = 0x0a, SIGNEXTEND: u8 = 0x0b;
export const LT: u8 = 0x10, GT: u8 = 0x11, SLT: u8 = 0x12, SGT: u8 = 0x13, EQ: u8 = 0x14, ISZERO: u8 = 0x15,
  AND: u8 = 0x16, OR: u8 = 0x17, XOR: u8 = 0x18, NOT: u8 = 0x19, BYTE: u8 = 0x1a, SHL: u8 = 0x1b, SHR: u8 = 0x1c,
  SAR: u8 = 0x1d;
export const KECCAK256: u8 = 0x20;
export const ADDRESS: u8 = 0x30, BALANCE: u8 = 0x31, ORIGIN: u8 = 0x32, CALLER: u8 = 0x33, CALLVALUE: u8 = 0x34,
  CALLDATALOAD: u8 = 0x35, CALLDATASIZE: u8 = 0x36, CALLDATACOPY: u8 = 0x37, CODESIZE: u8 = 0x38, CODECOPY: u8 = 0x39,
  GASPRICE: u8 = 0x3a, EXTCODESIZE: u8 = 0x3b, EXTCODECOPY: u8 = 0x3c, RETURNDATASIZE: u8 = 0x3d,
  RETURNDATACOPY: u8 = 0x3e, EXTCODEHASH: u8 = 0x3f;
export const BLOCKHASH: u8 = 0x40, COINBASE: u8 = 0x41, TIMESTAMP: u8 = 0x42, NUMBER: u8 = 0x43,
  PREVRANDAO: u8 = 0x44, GASLIMIT: u8 = 0x45, CHAINID: u8 = 0x46, SELFBALANCE: u8 = 0x47, BASEFEE: u8 = 0x48,
  BLOBHASH: u8 = 0x49, BLOBBASEFEE: u8 = 0x4a;
export const POP: u8 = 0x50, MLOAD: u8 = 0x51, MSTORE: u8 = 0x52, MSTORE8: u8 = 0x53, SLOAD: u8 = 0x54,
  SSTORE: u8 = 0x55, JUMP: u8 = 0x56, JUMPI: u8 = 0x57, PC: u8 = 0x58, MSIZE: u8 = 0x59, GAS: u8 = 0x5a,
  JUMPDEST: u8 = 0x5b, TLOAD: u8 = 0x5c, TSTORE: u8 = 0x5d, MCOPY: u8 = 0x5e, PUSH0: u8 = 0x5f;
export const PUSH1: u8 = 0x60, PUSH32: u8 = 0x7f, DUP1: u8 = 0x80, DUP16: u8 = 0x8f, SWAP1: u8 = 0x90,
  SWAP16: u8 = 0x9f, LOG0: u8 = 0xa0, LOG4: u8 = 0xa4;
export const CREATE: u8 = 0xf0, CALL: u8 = 0xf1, CALLCODE: u8 = 0xf2, RETURN: u8 = 0xf3, DELEGATECALL: u8 = 0xf4,
  CREATE2: u8 = 0xf5, STATICCALL: u8 = 0xfa, REVERT: u8 = 0xfd, INVALID: u8 = 0xfe, SELFDESTRUCT: u8 = 0xff;

export const STACK_LIMIT: u32 = 1024;
/** Marks an opcode the fork does not define: no stack height can satisfy it. */
export const UNDEFINED_MIN_HEIGHT: u64 = 0xffff;

/** Packs one table entry: static gas | min stack height << 32 | max stack height before the op << 48. */
@inline export function packOp(gas: u64, inputs: u32, outputs: u32): u64 {
  const growth = outputs > inputs ? outputs - inputs : 0;
  return gas | (<u64>inputs << 32) | (<u64>(STACK_LIMIT - growth) << 48);
}

@inline function set(table: usize, op: u32, gas: u64, inputs: u32, outputs: u32): void {
  store<u64>(table + (op << 3), packOp(gas, inputs, outputs));
}

@inline function setIf(enabled: bool, table: usize, op: u32, gas: u64, inputs: u32, outputs: u32): void {
  if (enabled) set(table, op, gas, inputs, outputs);
}

/** Writes the 256-entry table for the configured rules at `table` (2 KiB). */
export function buildOpTable(table: usize): void {
  for (let op: u32 = 0; op < 256; op++) store<u64>(table + (op << 3), UNDEFINED_MIN_HEIGHT << 32);
  const eip150 = has(Eip.EIP150), eip1884 = has(Eip.EIP1884), eip2929 = has(Eip.EIP2929);
  // With EIP-2929 the account-access opcodes charge the warm cost statically and the cold surcharge dynamically.
  const accountGas: u64 = eip2929 ? <u64>WARM_STORAGE_READ_COST : eip150 ? 700 : 20;
  set(table, STOP, 0, 0, 0);
  set(table, ADD, 3, 2, 1); set(table, MUL, 5, 2, 1); set(table, SUB, 3, 2, 1); set(table, DIV, 5, 2, 1);
  set(table, SDIV, 5, 2, 1); set(table, MOD, 5, 2, 1); set(table, SMOD, 5, 2, 1);
  set(table, ADDMOD, 8, 3, 1); set(table, MULMOD, 8, 3, 1); set(table, EXP, 10, 2, 1);
  set(table, SIGNEXTEND, 5, 2, 1);
  for (let op = LT; op <= EQ; op++) set(table, op, 3, 2, 1);
  set(table, ISZERO, 3, 1, 1); set(table, AND, 3, 2, 1); set(table, OR, 3, 2, 1); set(table, XOR, 3, 2, 1);
  set(table, NOT, 3, 1, 1); set(table, BYTE, 3, 2, 1);
  const eip145 = has(Eip.EIP145);
  setIf(eip145, table, SHL, 3, 2, 1); setIf(eip145, table, SHR, 3, 2, 1); setIf(eip145, table, SAR, 3, 2, 1);
  set(table, KECCAK256, 30, 2, 1);
  set(table, ADDRESS, 2, 0, 1);
  set(table, BALANCE, eip2929 ? <u64>WARM_STORAGE_READ_COST : eip1884 ? 700 : eip150 ? 400 : 20, 1, 1);
  set(table, ORIGIN, 2, 0, 1); set(table, CALLER, 2, 0, 1); set(table, CALLVALUE, 2, 0, 1);
  set(table, CALLDATALOAD, 3, 1, 1); set(table, CALLDATASIZE, 2, 0, 1); set(table, CALLDATACOPY, 3, 3, 0);
  set(table, CODESIZE, 2, 0, 1); set(table, CODECOPY, 3, 3, 0); set(table, GASPRICE, 2, 0, 1);
  set(table, EXTCODESIZE, accountGas, 1, 1); set(table, EXTCODECOPY, accountGas, 4, 0);
  const byzantium = has(Eip.BYZANTIUM);
  setIf(byzantium, table, RETURNDATASIZE, 2, 0, 1); setIf(byzantium, table, RETURNDATACOPY, 3, 3, 0);
  setIf(has(Eip.EIP1052), table, EXTCODEHASH, eip2929 ? <u64>WARM_STORAGE_READ_COST : eip1884 ? 700 : 400, 1, 1);
  set(table, BLOCKHASH, 20, 1, 1); set(table, COINBASE, 2, 0, 1); set(table, TIMESTAMP, 2, 0, 1);
  set(table, NUMBER, 2, 0, 1); set(table, PREVRANDAO, 2, 0, 1); set(table, GASLIMIT, 2, 0, 1);
  setIf(has(Eip.EIP1344), table, CHAINID, 2, 0, 1);
  setIf(eip1884, table, SELFBALANCE, 5, 0, 1);
  setIf(has(Eip.EIP3198), table, BASEFEE, 2, 0, 1);
  setIf(has(Eip.EIP4844), table, BLOBHASH, 3, 1, 1);
  setIf(has(Eip.EIP7516), table, BLOBBASEFEE, 2, 0, 1);
  set(table, POP, 2, 1, 0); set(table, MLOAD, 3, 1, 1); set(table, MSTORE, 3, 2, 0); set(table, MSTORE8, 3, 2, 0);
  set(table, SLOAD, <u64>SLOAD_GAS, 1, 1);
  set(table, SSTORE, 0, 2, 0); // all dynamic: EIP-2200's stipend guard must see the gas before any charge
  set(table, JUMP, 8, 1, 0); set(table, JUMPI, 10, 2, 0); set(table, PC, 2, 0, 1); set(table, MSIZE, 2, 0, 1);
  set(table, GAS, 2, 0, 1); set(table, JUMPDEST, 1, 0, 0);
  const eip1153 = has(Eip.EIP1153);
  setIf(eip1153, table, TLOAD, 100, 1, 1); setIf(eip1153, table, TSTORE, 100, 2, 0);
  setIf(has(Eip.EIP5656), table, MCOPY, 3, 3, 0);
  setIf(has(Eip.EIP3855), table, PUSH0, 2, 0, 1);
  for (let op = PUSH1; op <= PUSH32; op++) set(table, op, 3, 0, 1);
  for (let n: u32 = 1; n <= 16; n++) set(table, DUP1 + n - 1, 3, n, n + 1);
  for (let n: u32 = 1; n <= 16; n++) set(table, SWAP1 + n - 1, 3, n + 1, n + 1);
  for (let n: u32 = 0; n <= 4; n++) set(table, LOG0 + n, 375 + 375 * <u64>n, n + 2, 0);
  const callGas: u64 = eip2929 ? <u64>WARM_STORAGE_READ_COST : eip150 ? 700 : 40;
  set(table, CREATE, 32000, 3, 1); set(table, CALL, callGas, 7, 1); set(table, CALLCODE, callGas, 7, 1);
  set(table, RETURN, 0, 2, 0);
  setIf(has(Eip.HOMESTEAD), table, DELEGATECALL, callGas, 6, 1);
  setIf(has(Eip.EIP1014), table, CREATE2, 32000, 4, 1);
  setIf(byzantium, table, STATICCALL, callGas, 6, 1);
  setIf(byzantium, table, REVERT, 0, 2, 0);
  set(table, SELFDESTRUCT, eip150 ? 5000 : 0, 1, 0);
}
