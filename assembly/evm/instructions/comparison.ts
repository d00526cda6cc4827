// LT .. ISZERO: push 1 or 0. Operand a is the stack top, b the next.

import * as u256 from "../../u256";

@inline function setBool(r: usize, v: bool): void {
  store<u64>(r, <u64>v);
  store<u64>(r, 0, 8);
  store<u64>(r, 0, 16);
  store<u64>(r, 0, 24);
}

@inline export function lt(sp: usize): void { setBool(sp - 64, u256.lt(sp - 32, sp - 64)); }
@inline export function gt(sp: usize): void { setBool(sp - 64, u256.gt(sp - 32, sp - 64)); }
@inline export function slt(sp: usize): void { setBool(sp - 64, u256.slt(sp - 32, sp - 64)); }
@inline export function sgt(sp: usize): void { setBool(sp - 64, u256.sgt(sp - 32, sp - 64)); }
@inline export function eq(sp: usize): void { setBool(sp - 64, u256.eq(sp - 32, sp - 64)); }
@inline export function iszero(sp: usize): void { setBool(sp - 32, u256.isZero(sp - 32)); }
