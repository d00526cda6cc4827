// Precompiled contracts run in TypeScript (src/precompiles/) through one host import: the core hands
// over the input and the gas, the host writes the output into the heap and returns the gas used.

import { fatal, FATAL_HEAP_FULL, heapAlloc, heapEnd, heapPtr, scratch } from "../layout";
import { precompileCount } from "./rules";

/** Gas used, or PRECOMPILE_FAILED, or PRECOMPILE_NEEDS_SPACE when `outCap` was too small. */
@external("env", "precompile")
declare function hostPrecompile(address: u32, input: usize, inputLen: u32, gas: i64, out: usize, outCap: u32,
  outLenPtr: usize): i64;

const PRECOMPILE_FAILED: i64 = -1;
const PRECOMPILE_NEEDS_SPACE: i64 = -2;

/** The precompile number (1..count) an address word names under the current rules, else 0. */
export function precompileAt(address: usize): u32 {
  const lo = load<u64>(address);
  if ((load<u64>(address, 8) | load<u64>(address, 16)) != 0 || lo == 0 || lo > <u64>precompileCount) return 0;
  return <u32>lo;
}

/** Output of the last successful run. */
export let precompileOutput: usize = 0;
export let precompileOutputLen: usize = 0;

/** Runs precompile `id`; returns the gas left, or -1 when it fails (which consumes all gas). */
export function runPrecompile(id: u32, input: usize, inputLen: usize, gas: i64): i64 {
  const out = heapPtr;
  const outLenPtr = scratch;
  const used = hostPrecompile(id, input, <u32>inputLen, gas, out, <u32>(heapEnd - out), outLenPtr);
  if (used == PRECOMPILE_NEEDS_SPACE) fatal(FATAL_HEAP_FULL);
  if (used < 0 || used > gas) return -1;
  const len = <usize>load<u32>(outLenPtr);
  precompileOutput = heapAlloc(len);
  precompileOutputLen = len;
  return gas - used;
}
