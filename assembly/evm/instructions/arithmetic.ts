// ADD .. SIGNEXTEND. Operand a is the stack top, b the next; the result replaces b.
// Stack bounds and static gas were checked by the interpreter from the opcode table.

import * as u256 from "../../u256";
import { EXP_BYTE_GAS } from "../rules";

@inline export function add(sp: usize): void { u256.add(sp - 64, sp - 32, sp - 64); }
@inline export function mul(sp: usize): void { u256.mul(sp - 64, sp - 32, sp - 64); }
@inline export function sub(sp: usize): void { u256.sub(sp - 64, sp - 32, sp - 64); }
@inline export function div(sp: usize): void { u256.div(sp - 64, sp - 32, sp - 64); }
@inline export function sdiv(sp: usize): void { u256.sdiv(sp - 64, sp - 32, sp - 64); }
@inline export function mod(sp: usize): void { u256.mod(sp - 64, sp - 32, sp - 64); }
@inline export function smod(sp: usize): void { u256.smod(sp - 64, sp - 32, sp - 64); }
@inline export function addmod(sp: usize): void { u256.addmod(sp - 96, sp - 32, sp - 64, sp - 96); }
@inline export function mulmod(sp: usize): void { u256.mulmod(sp - 96, sp - 32, sp - 64, sp - 96); }
@inline export function signextend(sp: usize): void { u256.signextend(sp - 64, sp - 32, sp - 64); }

/** EXP; returns its dynamic gas (per exponent byte, EIP-160). */
@inline export function exp(sp: usize): i64 {
  const cost = EXP_BYTE_GAS * <i64>u256.byteLength(sp - 64);
  u256.exp(sp - 64, sp - 32, sp - 64);
  return cost;
}
