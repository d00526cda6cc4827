// Call frames and EVM memory. Frames sit in a fixed array in the worker arena, one per depth; the
// interpreter keeps pc, sp and gas in locals and writes them back here only when it calls out.
// Memories are stacked: a child's memory starts where its parent's ends (the parent cannot grow
// while the child runs), so one region serves all depths with no allocation.

import { fatal, FATAL_MEMORY_FULL, memoryEnd } from "../layout";

// Frame fields (offsets).
export const F_ADDRESS: usize = 0; // word: the executing account (storage context, ADDRESS)
export const F_CALLER: usize = 32; // word
export const F_VALUE: usize = 64; // word
export const F_CODE: usize = 96; // u32 code entry
export const F_ACCOUNT: usize = 100; // u32 local account record of F_ADDRESS
export const F_PC: usize = 104; // u32 absolute address of the next opcode
export const F_SP: usize = 108; // u32 stack top (one past the top item)
export const F_GAS: usize = 112; // i64
export const F_STACK: usize = 120; // u32 stack bottom
export const F_MEMORY: usize = 124; // u32 memory base
export const F_MEMORY_SIZE: usize = 128; // u32 bytes, a multiple of 32
export const F_INPUT: usize = 132; // u32 calldata pointer
export const F_INPUT_LEN: usize = 136; // u32
export const F_RETURNDATA: usize = 140; // u32 output of the last child call
export const F_RETURNDATA_LEN: usize = 144; // u32
export const F_CHECKPOINT: usize = 148; // u32 journal position when the frame began
export const F_LOG_COUNT: usize = 152; // u32 logs before the frame began
export const F_LOG_TAIL: usize = 156; // u32
export const F_REFUND: usize = 160; // i64 refund counter when the frame began
export const F_KIND: usize = 168; // u32 the opcode that made the frame (CALL..., CREATE, CREATE2)
export const F_STATIC: usize = 172; // u32 bool
export const F_DEPTH: usize = 176; // u32
export const F_RET_OFFSET: usize = 180; // u32 where the parent wants the output
export const F_RET_SIZE: usize = 184; // u32

/** The largest memory size the core accepts; anything beyond costs more gas than can exist here. */
export const MAX_MEMORY: u64 = 0xffffffff;

// The current frame's memory, in globals because memory instructions are not the hot path.
export let memBase: usize = 0;
export let memSize: usize = 0; // bytes

/** Gas for a memory of `words` 32-byte words: 3 per word plus words² / 512. */
@inline export function memoryCost(words: u64): i64 {
  return <i64>(words * 3 + (words * words >> 9));
}

/** A stack word as a memory offset or size: its value, or a value past MAX_MEMORY if it is larger. */
@inline export function memArg(w: usize): u64 {
  const lo = load<u64>(w);
  return (load<u64>(w, 8) | load<u64>(w, 16) | load<u64>(w, 24)) != 0 || lo > MAX_MEMORY ? MAX_MEMORY + 1 : lo;
}

/**
 * Charges for and performs the memory growth that an access of `size` bytes at `offset` needs.
 * Returns the gas left; negative means out of gas. A zero size never grows memory.
 */
export function chargeMemory(offset: u64, size: u64, gas: i64): i64 {
  if (size == 0) return gas;
  const end = offset + size;
  if (end > MAX_MEMORY) return -1;
  if (end <= <u64>memSize) return gas;
  const words = (end + 31) >> 5;
  gas -= memoryCost(words) - memoryCost(<u64>memSize >> 5);
  if (gas < 0) return gas;
  const newSize = <usize>(words << 5);
  if (memBase + newSize > memoryEnd) fatal(FATAL_MEMORY_FULL);
  memory.fill(memBase + memSize, 0, newSize - memSize);
  memSize = newSize;
  return gas;
}

/** Gas for copying `size` bytes: 3 per word (CALLDATACOPY, CODECOPY, MCOPY, ...). */
@inline export function copyCost(size: u64): i64 {
  return <i64>(((size + 31) >> 5) * 3);
}

/** The transaction's refund counter (EIP-2200/3529); frames restore it when they fail. */
export let refundCounter: i64 = 0;
@inline export function addRefund(delta: i64): void { refundCounter += delta; }
export function setRefund(value: i64): void { refundCounter = value; }

/**
 * A halt other than out-of-gas raised inside an instruction body: the body sets it and returns a
 * negative gas; the interpreter reads it (0 means out of gas) and clears it.
 */
export let pendingError: u32 = 0;
@inline export function raise(status: u32): i64 {
  pendingError = status;
  return -1;
}
export function clearPendingError(): u32 {
  const s = pendingError;
  pendingError = 0;
  return s;
}
