// MLOAD, MSTORE, MSTORE8, MSIZE, MCOPY and the copy to memory that the *COPY instructions share.
// Each returns the gas left (negative: out of gas) after its dynamic memory and copy charges.

import * as u256 from "../../u256";
import { chargeMemory, copyCost, memArg, memBase, memSize } from "../frame";

@inline export function mload(sp: usize, gas: i64): i64 {
  const offset = memArg(sp - 32);
  gas = chargeMemory(offset, 32, gas);
  if (gas >= 0) u256.fromBigEndian(sp - 32, memBase + <usize>offset, 32);
  return gas;
}

@inline export function mstore(sp: usize, gas: i64): i64 {
  const offset = memArg(sp - 32);
  gas = chargeMemory(offset, 32, gas);
  if (gas >= 0) u256.toBigEndian(memBase + <usize>offset, sp - 64);
  return gas;
}

@inline export function mstore8(sp: usize, gas: i64): i64 {
  const offset = memArg(sp - 32);
  gas = chargeMemory(offset, 1, gas);
  if (gas >= 0) store<u8>(memBase + <usize>offset, load<u8>(sp - 64));
  return gas;
}

@inline export function msize(sp: usize): void {
  u256.setU64(sp, <u64>memSize);
}

/** MCOPY (EIP-5656): dst, src, size; overlapping regions copy as if through a buffer. */
export function mcopy(sp: usize, gas: i64): i64 {
  const dst = memArg(sp - 32), src = memArg(sp - 64), size = memArg(sp - 96);
  if (size == 0) return gas;
  gas -= copyCost(size);
  if (gas < 0) return gas;
  gas = chargeMemory(dst > src ? dst : src, size, gas);
  if (gas >= 0) memory.copy(memBase + <usize>dst, memBase + <usize>src, <usize>size);
  return gas;
}

/**
 * The *COPY instructions: copies `size` bytes from `source` (of `sourceLen` bytes) at the offset word
 * `from` into memory at `memOffset`, zero-filling past the end of the source.
 */
export function copyToMemory(memOffset: u64, from: usize, size: u64, source: usize, sourceLen: usize, gas: i64): i64 {
  if (size == 0) return gas;
  gas -= copyCost(size);
  if (gas < 0) return gas;
  gas = chargeMemory(memOffset, size, gas);
  if (gas < 0) return gas;
  const dst = memBase + <usize>memOffset;
  const n = <usize>size;
  const start = memArg(from);
  const available: usize = start >= <u64>sourceLen ? 0 : sourceLen - <usize>start;
  const copied = available < n ? available : n;
  if (copied > 0) memory.copy(dst, source + <usize>start, copied);
  if (copied < n) memory.fill(dst + copied, 0, n - copied);
  return gas;
}
