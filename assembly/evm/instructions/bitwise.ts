// AND .. SAR. Operand a is the stack top, b the next; the result replaces b.

import * as u256 from "../../u256";

@inline export function and(sp: usize): void { u256.and(sp - 64, sp - 32, sp - 64); }
@inline export function or(sp: usize): void { u256.or(sp - 64, sp - 32, sp - 64); }
@inline export function xor(sp: usize): void { u256.xor(sp - 64, sp - 32, sp - 64); }
@inline export function not(sp: usize): void { u256.not(sp - 32, sp - 32); }
@inline export function byte(sp: usize): void { u256.byte(sp - 64, sp - 32, sp - 64); }
@inline export function shl(sp: usize): void { u256.shl(sp - 64, sp - 32, sp - 64); }
@inline export function shr(sp: usize): void { u256.shr(sp - 64, sp - 32, sp - 64); }
@inline export function sar(sp: usize): void { u256.sar(sp - 64, sp - 32, sp - 64); }
