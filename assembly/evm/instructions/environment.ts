// ADDRESS .. EXTCODEHASH: the executing account, its call and other accounts.

import * as u256 from "../../u256";
import { header, H_EMPTY_CODE_HASH, scratch } from "../../layout";
import {
  F_ADDRESS, F_CALLER, F_CODE, F_INPUT, F_INPUT_LEN, F_RETURNDATA, F_RETURNDATA_LEN, F_VALUE, memArg, raise,
} from "../frame";
import { Eip, has, COLD_ACCOUNT_ACCESS_COST, WARM_STORAGE_READ_COST } from "../rules";
import { RETURNDATA_OUT_OF_BOUNDS } from "../status";
import { tx, T_CALLER, gasPrice } from "../context";
import { CODE_BYTES, CODE_HASH, codeLength } from "../../state/code";
import { LA_BALANCE, codeOf, isEmpty, loadAccount, warmAccount } from "../../state/journal";
import { copyToMemory } from "./memory";

/** Truncates a stack word to an address word in place (the upper 96 bits cleared). */
@inline export function toAddress(w: usize): void {
  store<u64>(w, load<u64>(w, 16) & 0xffffffff, 16);
  store<u64>(w, 0, 24);
}

/**
 * Loads the account named by the stack word at `w` (truncated to an address in place) and charges the
 * EIP-2929 cold surcharge; returns the gas left (negative: out of gas) and leaves the record in `accessed`.
 */
export let accessed: usize = 0;
export function accessAccount(w: usize, gas: i64): i64 {
  toAddress(w);
  accessed = loadAccount(w);
  if (has(Eip.EIP2929) && warmAccount(accessed)) gas -= COLD_ACCOUNT_ACCESS_COST - WARM_STORAGE_READ_COST;
  return gas;
}

@inline export function address(sp: usize, f: usize): void { u256.copy(sp, f + F_ADDRESS); }
@inline export function caller(sp: usize, f: usize): void { u256.copy(sp, f + F_CALLER); }
@inline export function callvalue(sp: usize, f: usize): void { u256.copy(sp, f + F_VALUE); }
@inline export function origin(sp: usize): void { u256.copy(sp, tx + T_CALLER); }
@inline export function gasprice(sp: usize): void { u256.copy(sp, gasPrice); }

export function balance(sp: usize, gas: i64): i64 {
  gas = accessAccount(sp - 32, gas);
  if (gas >= 0) u256.copy(sp - 32, accessed + LA_BALANCE);
  return gas;
}

export function calldataload(sp: usize, f: usize): void {
  const input = <usize>load<u32>(f + F_INPUT);
  const len = <u64>load<u32>(f + F_INPUT_LEN);
  const offset = memArg(sp - 32);
  if (offset + 32 <= len) {
    u256.fromBigEndian(sp - 32, input + <usize>offset, 32);
  } else {
    // Past the end the calldata reads as zeros.
    const available: usize = offset >= len ? 0 : <usize>(len - offset);
    memory.fill(scratch, 0, 32);
    if (available > 0) memory.copy(scratch, input + <usize>offset, available);
    u256.fromBigEndian(sp - 32, scratch, 32);
  }
}

@inline export function calldatasize(sp: usize, f: usize): void { u256.setU64(sp, <u64>load<u32>(f + F_INPUT_LEN)); }

@inline export function calldatacopy(sp: usize, gas: i64, f: usize): i64 {
  return copyToMemory(memArg(sp - 32), sp - 64, memArg(sp - 96), <usize>load<u32>(f + F_INPUT),
    <usize>load<u32>(f + F_INPUT_LEN), gas);
}

@inline export function codesize(sp: usize, f: usize): void {
  u256.setU64(sp, <u64>codeLength(<usize>load<u32>(f + F_CODE)));
}

@inline export function codecopy(sp: usize, gas: i64, f: usize): i64 {
  const code = <usize>load<u32>(f + F_CODE);
  return copyToMemory(memArg(sp - 32), sp - 64, memArg(sp - 96), code + CODE_BYTES, codeLength(code), gas);
}

export function extcodesize(sp: usize, gas: i64): i64 {
  gas = accessAccount(sp - 32, gas);
  if (gas >= 0) u256.setU64(sp - 32, <u64>codeLength(codeOf(accessed)));
  return gas;
}

export function extcodecopy(sp: usize, gas: i64): i64 {
  gas = accessAccount(sp - 32, gas);
  if (gas < 0) return gas;
  const code = codeOf(accessed);
  return copyToMemory(memArg(sp - 64), sp - 96, memArg(sp - 128), code + CODE_BYTES, codeLength(code), gas);
}

/** EXTCODEHASH (EIP-1052): 0 for an empty account, else the hash of its code. */
export function extcodehash(sp: usize, gas: i64): i64 {
  gas = accessAccount(sp - 32, gas);
  if (gas < 0) return gas;
  const code = codeOf(accessed);
  if (isEmpty(accessed)) u256.setU64(sp - 32, 0);
  else if (code == 0) u256.copy(sp - 32, header() + H_EMPTY_CODE_HASH);
  else u256.fromBigEndian(sp - 32, code + CODE_HASH, 32);
  return gas;
}

@inline export function returndatasize(sp: usize, f: usize): void {
  u256.setU64(sp, <u64>load<u32>(f + F_RETURNDATA_LEN));
}

/** RETURNDATACOPY (EIP-211): reading past the end of the return data is an exceptional halt. */
export function returndatacopy(sp: usize, gas: i64, f: usize): i64 {
  const from = memArg(sp - 64), size = memArg(sp - 96);
  const len = <u64>load<u32>(f + F_RETURNDATA_LEN);
  if (from + size > len) return raise(RETURNDATA_OUT_OF_BOUNDS);
  return copyToMemory(memArg(sp - 32), sp - 64, size, <usize>load<u32>(f + F_RETURNDATA), <usize>len, gas);
}
