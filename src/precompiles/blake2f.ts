import { FAILURE, type PrecompileResult } from './common.js';

// EIP-152 (Istanbul): 1 gas per round.
const BLAKE2F_ROUND_GAS = 1n;
// EIP-152 input: rounds (4, big-endian) | h (64) | m (128) | t (16) | f (1).
const BLAKE2F_INPUT_SIZE = 213;

// BLAKE2b IV (RFC 7693), as little-endian u32 pairs: [lo0, hi0, lo1, hi1, ...].
// prettier-ignore
const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

// BLAKE2b message schedule (RFC 7693, section 2.7); round i uses row i mod 10.
// prettier-ignore
const SIGMA = new Uint8Array([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
  11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
  7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
  9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
  2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
  12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
  13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
  6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
  10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
]);

// Scratch state, u64 words as u32 pairs. Precompiles run synchronously and never re-enter, so
// one set per module instance (per worker) is enough.
const v = new Uint32Array(32);
const m = new Uint32Array(32);

/**
 * Precompile 0x09 (EIP-152): the BLAKE2b compression function F with a caller-chosen number of
 * rounds. Input must be exactly 213 bytes and its final-block flag 0 or 1; output is the new h.
 */
export function blake2f(input: Uint8Array, gasLimit: bigint): PrecompileResult {
  if (input.length !== BLAKE2F_INPUT_SIZE) return FAILURE;
  const final = input[212];
  if (final !== 0 && final !== 1) return FAILURE;
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const rounds = view.getUint32(0, false);
  const gas = BLAKE2F_ROUND_GAS * BigInt(rounds);
  if (gas > gasLimit) return FAILURE;

  // h, m and t are little-endian u64s; reading each as two little-endian u32s gives [lo, hi].
  for (let i = 0; i < 16; i++) {
    v[i] = view.getUint32(4 + 4 * i, true);
    v[16 + i] = IV[i];
  }
  for (let i = 0; i < 32; i++) m[i] = view.getUint32(68 + 4 * i, true);
  // v12 ^= t0, v13 ^= t1, and v14 is inverted for the final block.
  v[24] ^= view.getUint32(196, true);
  v[25] ^= view.getUint32(200, true);
  v[26] ^= view.getUint32(204, true);
  v[27] ^= view.getUint32(208, true);
  if (final === 1) {
    v[28] = ~v[28];
    v[29] = ~v[29];
  }

  for (let round = 0; round < rounds; round++) {
    const s = (round % 10) * 16;
    mix(0, 8, 16, 24, SIGMA[s + 0], SIGMA[s + 1]);
    mix(2, 10, 18, 26, SIGMA[s + 2], SIGMA[s + 3]);
    mix(4, 12, 20, 28, SIGMA[s + 4], SIGMA[s + 5]);
    mix(6, 14, 22, 30, SIGMA[s + 6], SIGMA[s + 7]);
    mix(0, 10, 20, 30, SIGMA[s + 8], SIGMA[s + 9]);
    mix(2, 12, 22, 24, SIGMA[s + 10], SIGMA[s + 11]);
    mix(4, 14, 16, 26, SIGMA[s + 12], SIGMA[s + 13]);
    mix(6, 8, 18, 28, SIGMA[s + 14], SIGMA[s + 15]);
  }

  // h[i] ^= v[i] ^ v[i + 8], written out little-endian.
  const output = new Uint8Array(64);
  const out = new DataView(output.buffer);
  for (let i = 0; i < 16; i++) {
    out.setUint32(4 * i, view.getUint32(4 + 4 * i, true) ^ v[i] ^ v[16 + i], true);
  }
  return { ok: true, gasUsed: gas, output };
}

/**
 * The BLAKE2b G function on v[a], v[b], v[c], v[d] (u32-pair offsets) with message words x and y
 * (u64 indices). Every local holds an unsigned u32 (`>>> 0` after each bit operation), so a sum of
 * two fits a double exactly and its carry into the high half is `sum > 0xffffffff`. Rotations by
 * 32, 24, 16 and 63 are a swap and shifts across the pair.
 */
function mix(a: number, b: number, c: number, d: number, x: number, y: number): void {
  let al = v[a], ah = v[a + 1], bl = v[b], bh = v[b + 1];
  let cl = v[c], ch = v[c + 1], dl = v[d], dh = v[d + 1];
  let sum: number, lo: number;

  // a = a + b + m[x]
  sum = al + bl;
  ah = (ah + bh + (sum > 0xffffffff ? 1 : 0)) >>> 0;
  sum = (sum >>> 0) + m[2 * x];
  ah = (ah + m[2 * x + 1] + (sum > 0xffffffff ? 1 : 0)) >>> 0;
  al = sum >>> 0;
  // d = rotr64(d ^ a, 32)
  lo = (dh ^ ah) >>> 0;
  dh = (dl ^ al) >>> 0;
  dl = lo;
  // c = c + d
  sum = cl + dl;
  ch = (ch + dh + (sum > 0xffffffff ? 1 : 0)) >>> 0;
  cl = sum >>> 0;
  // b = rotr64(b ^ c, 24)
  bl ^= cl;
  bh ^= ch;
  lo = ((bl >>> 24) | (bh << 8)) >>> 0;
  bh = ((bh >>> 24) | (bl << 8)) >>> 0;
  bl = lo;
  // a = a + b + m[y]
  sum = al + bl;
  ah = (ah + bh + (sum > 0xffffffff ? 1 : 0)) >>> 0;
  sum = (sum >>> 0) + m[2 * y];
  ah = (ah + m[2 * y + 1] + (sum > 0xffffffff ? 1 : 0)) >>> 0;
  al = sum >>> 0;
  // d = rotr64(d ^ a, 16)
  dl ^= al;
  dh ^= ah;
  lo = ((dl >>> 16) | (dh << 16)) >>> 0;
  dh = ((dh >>> 16) | (dl << 16)) >>> 0;
  dl = lo;
  // c = c + d
  sum = cl + dl;
  ch = (ch + dh + (sum > 0xffffffff ? 1 : 0)) >>> 0;
  cl = sum >>> 0;
  // b = rotr64(b ^ c, 63), which is rotl64 by 1
  bl ^= cl;
  bh ^= ch;
  lo = ((bl << 1) | (bh >>> 31)) >>> 0;
  bh = ((bh << 1) | (bl >>> 31)) >>> 0;
  bl = lo;

  v[a] = al;
  v[a + 1] = ah;
  v[b] = bl;
  v[b + 1] = bh;
  v[c] = cl;
  v[c + 1] = ch;
  v[d] = dl;
  v[d + 1] = dh;
}
