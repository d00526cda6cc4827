// u256 test exports: thin wrappers so each function of assembly/u256.ts is an export of
// build/testing.wasm (the library's own functions are inlined into the interpreter, not exported).
import {
  add, sub, mul, div, sdiv, mod, smod, addmod, mulmod, exp, signextend, byte,
  shl, shr, sar, and, or, xor, not, lt, gt, slt, sgt, eq, isZero,
  copy, setU64, fitsU64, lowU64, byteLength, fromBigEndian, toBigEndian,
} from "../u256";

export function u256_add(r: usize, a: usize, b: usize): void { add(r, a, b); }
export function u256_sub(r: usize, a: usize, b: usize): void { sub(r, a, b); }
export function u256_mul(r: usize, a: usize, b: usize): void { mul(r, a, b); }
export function u256_div(r: usize, a: usize, b: usize): void { div(r, a, b); }
export function u256_sdiv(r: usize, a: usize, b: usize): void { sdiv(r, a, b); }
export function u256_mod(r: usize, a: usize, b: usize): void { mod(r, a, b); }
export function u256_smod(r: usize, a: usize, b: usize): void { smod(r, a, b); }
export function u256_addmod(r: usize, a: usize, b: usize, n: usize): void { addmod(r, a, b, n); }
export function u256_mulmod(r: usize, a: usize, b: usize, n: usize): void { mulmod(r, a, b, n); }
export function u256_exp(r: usize, base: usize, exponent: usize): void { exp(r, base, exponent); }
export function u256_signextend(r: usize, b: usize, x: usize): void { signextend(r, b, x); }
export function u256_byte(r: usize, i: usize, x: usize): void { byte(r, i, x); }
export function u256_shl(r: usize, shift: usize, value: usize): void { shl(r, shift, value); }
export function u256_shr(r: usize, shift: usize, value: usize): void { shr(r, shift, value); }
export function u256_sar(r: usize, shift: usize, value: usize): void { sar(r, shift, value); }
export function u256_and(r: usize, a: usize, b: usize): void { and(r, a, b); }
export function u256_or(r: usize, a: usize, b: usize): void { or(r, a, b); }
export function u256_xor(r: usize, a: usize, b: usize): void { xor(r, a, b); }
export function u256_not(r: usize, a: usize): void { not(r, a); }
export function u256_lt(a: usize, b: usize): bool { return lt(a, b); }
export function u256_gt(a: usize, b: usize): bool { return gt(a, b); }
export function u256_slt(a: usize, b: usize): bool { return slt(a, b); }
export function u256_sgt(a: usize, b: usize): bool { return sgt(a, b); }
export function u256_eq(a: usize, b: usize): bool { return eq(a, b); }
export function u256_isZero(a: usize): bool { return isZero(a); }
export function u256_copy(r: usize, a: usize): void { copy(r, a); }
export function u256_setU64(r: usize, v: u64): void { setU64(r, v); }
export function u256_fitsU64(a: usize): bool { return fitsU64(a); }
export function u256_lowU64(a: usize): u64 { return lowU64(a); }
export function u256_byteLength(a: usize): u32 { return byteLength(a); }
export function u256_fromBigEndian(r: usize, src: usize, len: usize): void {
  fromBigEndian(r, src, len);
}
export function u256_toBigEndian(dst: usize, a: usize): void { toBigEndian(dst, a); }
