// Work for a fresh thread's JIT: V8 optimises a function only after many calls, so a worker that
// meets a few ecrecovers or pairings per block would run them unoptimised, several times slower than
// the calling thread, which runs them all when blocks run sequentially. Every input here makes its
// precompile do its whole computation (a recovery, curve additions and a multiplication, a pairing,
// twelve BLAKE2 rounds, a modular exponentiation), built from the curves' own generators.

import { bn254 } from '@noble/curves/bn254.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { numberToBytesBE } from '@noble/curves/utils.js';
import { Fork } from '../fork/forks.js';
import { runPrecompile } from './index.js';

const word = (v: bigint): Uint8Array => numberToBytesBE(v, 32);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** [address, input] pairs, one per precompile 0x01–0x09 (0x0a needs a KZG proof: it is left cold). */
export function warmUpInputs(): [number, Uint8Array][] {
  const g1 = bn254.G1.Point.BASE.toAffine();
  const g2 = bn254.G2.Point.BASE.toAffine();
  const data = new Uint8Array(64).fill(0xab);
  const blake = new Uint8Array(213);
  blake.set([0, 0, 0, 12]); // rounds
  blake[212] = 1; // final block
  return [
    // r = x of the generator, s = 1: a valid recovery.
    [1, concat(new Uint8Array(32).fill(1), word(27n), word(secp256k1.Point.BASE.toAffine().x), word(1n))],
    [2, data],
    [3, data],
    [4, data],
    [5, concat(word(32n), word(32n), word(32n), word(3n), word((1n << 255n) - 19n), word((1n << 255n) - 19n))],
    [6, concat(word(g1.x), word(g1.y), word(g1.x), word(g1.y))],
    [7, concat(word(g1.x), word(g1.y), word((1n << 200n) + 12345n))],
    [8, concat(word(g1.x), word(g1.y), word(g2.x.c1), word(g2.x.c0), word(g2.y.c1), word(g2.y.c0))],
    [9, blake],
  ];
}

/** Runs every precompile `rounds` times. */
export function warmUpPrecompiles(rounds: number): void {
  const all = warmUpInputs();
  for (let r = 0; r < rounds; r++) for (const [address, input] of all) runPrecompile(address, input, 1n << 40n, Fork.Cancun);
}
