// JUMP, JUMPI, PC, GAS, KECCAK256 and the halting instructions' operands.

import * as u256 from "../../u256";
import { keccak256 as hash } from "../../crypto/keccak";
import { scratch } from "../../layout";
import { chargeMemory, memArg, memBase } from "../frame";
import { isJumpDest } from "../../state/code";

/** The jump target as a code offset, or u64 max when it cannot be a valid destination. */
@inline export function jumpTarget(w: usize): u64 {
  return u256.fitsU64(w) ? load<u64>(w) : u64.MAX_VALUE;
}

/** Whether `dest` (a code offset) is a JUMPDEST of the frame's code entry. */
@inline export function validJump(code: usize, dest: u64): bool {
  return dest < 0xffffffff && isJumpDest(code, <usize>dest);
}

@inline export function keccak256(sp: usize, gas: i64): i64 {
  const offset = memArg(sp - 32), size = memArg(sp - 64);
  gas -= <i64>((size + 31) >> 5) * 6;
  if (gas < 0) return gas;
  gas = chargeMemory(offset, size, gas);
  if (gas < 0) return gas;
  hash(scratch, memBase + <usize>offset, <usize>size);
  u256.fromBigEndian(sp - 64, scratch, 32);
  return gas;
}
