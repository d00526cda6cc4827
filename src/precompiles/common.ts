import type { Fork } from '../fork/forks.js';

/**
 * Outcome of a precompile call. `ok: false` means the call fails and consumes all gas given
 * (out of gas, or input the precompile rejects); `ok: true` never has `gasUsed` above the limit.
 */
export type PrecompileResult = { ok: true; gasUsed: bigint; output: Uint8Array } | { ok: false };

/** The shape every precompile in this folder has: input bytes and gas available in, result out. */
export type Precompile = (input: Uint8Array, gasLimit: bigint, fork: Fork) => PrecompileResult;

/** The failed call; it carries no data, so one frozen object serves every failure. */
export const FAILURE: PrecompileResult = Object.freeze({ ok: false });

/** Empty output: ecrecover on a bad signature, modexp with a zero-length modulus. */
export const EMPTY: Uint8Array = new Uint8Array(0);

/** Number of 32-byte words `length` bytes occupy, rounded up (the unit of the linear gas rules). */
export function words(length: number): bigint {
  return BigInt(Math.ceil(length / 32));
}

/**
 * The first `size` bytes of `input`, reading zeros past its end (ecrecover, modexp header, bn254
 * add/mul). Returns a view when `input` is long enough, else a zero-padded copy.
 */
export function rightPad(input: Uint8Array, size: number): Uint8Array {
  if (input.length >= size) return input.subarray(0, size);
  const out = new Uint8Array(size);
  out.set(input);
  return out;
}
