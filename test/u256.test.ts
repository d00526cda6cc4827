// 256-bit words (assembly/u256.ts) against a BigInt reference, through build/testing.wasm on a
// shared memory: table-driven edge values, seeded random operands of random bit lengths, division
// shapes that reach Knuth D's rare branches, and aliasing of the result with the inputs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadTestingWasm } from "./helpers/testing-wasm.js";

type Ptr = number;
type Binary = (r: Ptr, a: Ptr, b: Ptr) => void;
type Ternary = (r: Ptr, a: Ptr, b: Ptr, n: Ptr) => void;
type Compare = (a: Ptr, b: Ptr) => number;

interface U256Exports {
  u256_add: Binary; u256_sub: Binary; u256_mul: Binary;
  u256_div: Binary; u256_sdiv: Binary; u256_mod: Binary; u256_smod: Binary;
  u256_addmod: Ternary; u256_mulmod: Ternary;
  u256_exp: Binary; u256_signextend: Binary; u256_byte: Binary;
  u256_shl: Binary; u256_shr: Binary; u256_sar: Binary;
  u256_and: Binary; u256_or: Binary; u256_xor: Binary;
  u256_not(r: Ptr, a: Ptr): void;
  u256_lt: Compare; u256_gt: Compare; u256_slt: Compare; u256_sgt: Compare; u256_eq: Compare;
  u256_isZero(a: Ptr): number;
  u256_copy(r: Ptr, a: Ptr): void;
  u256_setU64(r: Ptr, v: bigint): void;
  u256_fitsU64(a: Ptr): number;
  u256_lowU64(a: Ptr): bigint;
  u256_byteLength(a: Ptr): number;
  u256_fromBigEndian(r: Ptr, src: Ptr, len: number): void;
  u256_toBigEndian(dst: Ptr, a: Ptr): void;
}

const { exports: wasm, memory, scratch } = await loadTestingWasm<U256Exports>();
const heap = new Uint8Array(memory.buffer);
const limbs = new BigUint64Array(memory.buffer);

// Scratch words; the loader aligns scratch to 64 bytes.
const A = scratch, B = scratch + 32, N = scratch + 64, R = scratch + 96, BYTES = scratch + 128;

const TWO256 = 1n << 256n;
const MASK = TWO256 - 1n;
const TOP = 1n << 255n;

function write(p: Ptr, x: bigint): void {
  assert.ok(x >= 0n && x <= MASK, `write: ${x} is not a word`);
  for (let i = 0; i < 4; i++) limbs[p / 8 + i] = BigInt.asUintN(64, x >> BigInt(64 * i));
}

function read(p: Ptr): bigint {
  let x = 0n;
  for (let i = 3; i >= 0; i--) x = (x << 64n) | limbs[p / 8 + i];
  return x;
}

const hex = (x: bigint): string => "0x" + x.toString(16);
const signed = (x: bigint): bigint => (x >= TOP ? x - TWO256 : x);
const word = (x: bigint): bigint => x & MASK; // two's complement for negative x
const bitLength = (x: bigint): number => (x === 0n ? 0 : x.toString(2).length);

// -------------------------------------------------------------------------------------------------
// Reference semantics (execution-specs), on unsigned words.

const ref = {
  add: (a: bigint, b: bigint) => word(a + b),
  sub: (a: bigint, b: bigint) => word(a - b),
  mul: (a: bigint, b: bigint) => word(a * b),
  div: (a: bigint, b: bigint) => (b === 0n ? 0n : a / b),
  mod: (a: bigint, b: bigint) => (b === 0n ? 0n : a % b),
  // BigInt division truncates toward zero and % takes the dividend's sign, as the EVM wants;
  // -2^255 / -1 = 2^255 wraps back to -2^255.
  sdiv: (a: bigint, b: bigint) => (b === 0n ? 0n : word(signed(a) / signed(b))),
  smod: (a: bigint, b: bigint) => (b === 0n ? 0n : word(signed(a) % signed(b))),
  addmod: (a: bigint, b: bigint, n: bigint) => (n === 0n ? 0n : (a + b) % n),
  mulmod: (a: bigint, b: bigint, n: bigint) => (n === 0n ? 0n : (a * b) % n),
  exp(base: bigint, e: bigint): bigint {
    let result = 1n;
    let b = base;
    for (; e > 0n; e >>= 1n) {
      if (e & 1n) result = (result * b) & MASK;
      b = (b * b) & MASK;
    }
    return result;
  },
  signextend(b: bigint, x: bigint): bigint {
    if (b >= 31n) return x;
    const bits = 8n * (b + 1n);
    const low = x & ((1n << bits) - 1n);
    return low & (1n << (bits - 1n)) ? word(low - (1n << bits)) : low;
  },
  byte: (i: bigint, x: bigint) => (i >= 32n ? 0n : (x >> (8n * (31n - i))) & 0xffn),
  shl: (s: bigint, v: bigint) => (s >= 256n ? 0n : word(v << s)),
  shr: (s: bigint, v: bigint) => (s >= 256n ? 0n : v >> s),
  sar: (s: bigint, v: bigint) => word(signed(v) >> (s >= 256n ? 256n : s)),
  and: (a: bigint, b: bigint) => a & b,
  or: (a: bigint, b: bigint) => a | b,
  xor: (a: bigint, b: bigint) => a ^ b,
  not: (a: bigint) => MASK ^ a,
  lt: (a: bigint, b: bigint) => a < b,
  gt: (a: bigint, b: bigint) => a > b,
  slt: (a: bigint, b: bigint) => signed(a) < signed(b),
  sgt: (a: bigint, b: bigint) => signed(a) > signed(b),
  eq: (a: bigint, b: bigint) => a === b,
};

// -------------------------------------------------------------------------------------------------
// Inputs

/** Seeded generator (mulberry32), so a failure names a reproducible input. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Random words of varied shape: exact random bit lengths (so operands of unequal length meet),
 *  runs of ones (long carries and borrows), and powers of two with small offsets. */
function randomWords(seed: number): () => bigint {
  const next = rng(seed);
  const bits = (n: number): bigint => {
    let x = 0n;
    for (let i = 0; i < n; i += 32) x = (x << 32n) | BigInt(next());
    return x & ((1n << BigInt(n)) - 1n);
  };
  return () => {
    const kind = next() % 10;
    const len = next() % 257;
    if (kind < 7) return len === 0 ? 0n : (1n << BigInt(len - 1)) | bits(len - 1);
    if (kind < 9) return (1n << BigInt(len)) - 1n;
    return word((1n << BigInt(len % 256)) + BigInt((next() % 5) - 2));
  };
}

/** Edge values: small numbers, limb and half-limb boundaries, the sign boundary and -1. */
const EDGES: bigint[] = (() => {
  const set = new Set<bigint>([0n, 1n, 2n, 3n, 7n, 255n, 256n, 0xffff_ffffn, 1n << 32n]);
  set.add(10n ** 18n);
  for (const k of [31, 63, 64, 65, 96, 127, 128, 129, 160, 191, 192, 193, 224, 254, 255]) {
    const p = 1n << BigInt(k);
    set.add(p);
    set.add(p - 1n);
    set.add(p + 1n);
  }
  for (const x of [TWO256 - 1n, TWO256 - 2n, TOP - 1n, TOP, TOP + 1n]) set.add(x);
  // Divisors of 1..4 limbs with their top bit set and ones below: Knuth D's hardest shapes.
  for (const limbCount of [1, 2, 3, 4]) {
    const high = 1n << BigInt(64 * limbCount - 1);
    set.add(high | 1n);
    set.add((high << 1n) - 1n);
    set.add(high | (high >> 1n));
  }
  set.add(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210_0f1e_2d3c_4b5a_6978_8796_a5b4_c3d2_e1f0n);
  return [...set].filter((x) => x >= 0n && x <= MASK);
})();

/** Pairs (a, b) with a = q*b + r or q*b - d near quotient limb boundaries, any divisor length:
 *  these reach the rare branches of division (the 3-by-2 corrections, the add-back step and the
 *  quotient limb 2^64 - 1). */
function divisionShapes(seed: number, count: number): [bigint, bigint][] {
  const next = randomWords(seed);
  const small = rng(seed + 1);
  const out: [bigint, bigint][] = [];
  while (out.length < count) {
    let b = next();
    if (b === 0n) continue;
    // Half the divisors get the top bit of their top limb set (already normalized).
    if (small() % 2) b |= 1n << BigInt(Math.ceil(bitLength(b) / 64) * 64 - 1);
    const shape = small() % 6;
    let a: bigint;
    if (shape === 0) a = b - 1n - (next() % b); // a < b sharing b's top bits: q̂ = 1, q = 0
    else if (shape === 1) a = (b << 64n) - 1n - (next() % b); // quotient limb 2^64 - 1
    else if (shape === 2) a = b * (next() % (TWO256 / b)) + b - 1n;
    else if (shape === 3) a = b * (next() % (TWO256 / b)) - 1n;
    else if (shape === 4) a = b * ((1n << BigInt(small() % 256)) - 1n);
    else a = MASK - (next() % b);
    if (a >= 0n && a <= MASK) out.push([a, b]);
  }
  return out;
}

const RANDOM_COUNT = 3000;

// -------------------------------------------------------------------------------------------------
// Runners: each compares the module with the reference and names the inputs when they differ.

function checkBinary(
  name: string, fn: Binary, want: (a: bigint, b: bigint) => bigint,
  pairs: Iterable<[bigint, bigint]>,
): number {
  let n = 0;
  for (const [a, b] of pairs) {
    write(A, a); write(B, b); write(R, 0xdeadn);
    fn(R, A, B);
    const got = read(R), expected = want(a, b);
    if (got !== expected) {
      assert.fail(`${name}(${hex(a)}, ${hex(b)}) = ${hex(got)}, want ${hex(expected)}`);
    }
    n++;
  }
  return n;
}

function checkTernary(
  name: string, fn: Ternary, want: (a: bigint, b: bigint, n: bigint) => bigint,
  triples: Iterable<[bigint, bigint, bigint]>,
): number {
  let count = 0;
  for (const [a, b, n] of triples) {
    write(A, a); write(B, b); write(N, n); write(R, 0xdeadn);
    fn(R, A, B, N);
    const got = read(R), expected = want(a, b, n);
    if (got !== expected) {
      assert.fail(`${name}(${hex(a)}, ${hex(b)}, ${hex(n)}) = ${hex(got)}, want ${hex(expected)}`);
    }
    count++;
  }
  return count;
}

function* edgePairs(): Generator<[bigint, bigint]> {
  for (const a of EDGES) for (const b of EDGES) yield [a, b];
}

function* randomPairs(seed: number, count = RANDOM_COUNT): Generator<[bigint, bigint]> {
  const next = randomWords(seed);
  for (let i = 0; i < count; i++) yield [next(), next()];
}

/** Random pairs whose second operand is a small number (shift amounts, byte indices). */
function* smallSecond(seed: number, limit: number): Generator<[bigint, bigint]> {
  const next = randomWords(seed), small = rng(seed + 1);
  for (let i = 0; i < RANDOM_COUNT; i++) yield [BigInt(small() % limit), next()];
}

/** Result aliasing: r == a, r == b, and r == a == b, each against the reference. */
function checkAliasing(name: string, fn: Binary, want: (a: bigint, b: bigint) => bigint): void {
  for (const [a, b] of [...randomPairs(0xa11a5, 200), ...edgePairs()].slice(0, 1200)) {
    write(A, a); write(B, b);
    fn(A, A, B);
    assert.equal(read(A), want(a, b), `${name}: r == a for (${hex(a)}, ${hex(b)})`);
    write(A, a); write(B, b);
    fn(B, A, B);
    assert.equal(read(B), want(a, b), `${name}: r == b for (${hex(a)}, ${hex(b)})`);
    write(A, a);
    fn(A, A, A);
    assert.equal(read(A), want(a, a), `${name}: r == a == b for ${hex(a)}`);
  }
}

// -------------------------------------------------------------------------------------------------
// Arithmetic

const BINARY: [string, Binary, (a: bigint, b: bigint) => bigint][] = [
  ["add", wasm.u256_add, ref.add],
  ["sub", wasm.u256_sub, ref.sub],
  ["mul", wasm.u256_mul, ref.mul],
  ["div", wasm.u256_div, ref.div],
  ["mod", wasm.u256_mod, ref.mod],
  ["sdiv", wasm.u256_sdiv, ref.sdiv],
  ["smod", wasm.u256_smod, ref.smod],
  ["and", wasm.u256_and, ref.and],
  ["or", wasm.u256_or, ref.or],
  ["xor", wasm.u256_xor, ref.xor],
];

for (const [name, fn, want] of BINARY) {
  test(`${name}: edge values`, () => {
    assert.equal(checkBinary(name, fn, want, edgePairs()), EDGES.length ** 2);
  });
  test(`${name}: random operands of random lengths`, () => {
    checkBinary(name, fn, want, randomPairs(0x5eed + name.length * 7919 + name.charCodeAt(0)));
  });
  test(`${name}: result aliases an input`, () => checkAliasing(name, fn, want));
}

for (const [name, fn, want] of BINARY.filter(([n]) => ["div", "mod", "sdiv", "smod"].includes(n))) {
  test(`${name}: quotient-boundary shapes for every divisor length`, () => {
    checkBinary(name, fn, want, divisionShapes(0xd1f0 + name.length, 6000));
    // The same shapes with the signs flipped reach the signed paths with negative operands.
    const negated = divisionShapes(0x51de + name.length, 2000).map(([a, b]): [bigint, bigint] =>
      [word(-a), b % 2n ? word(-b) : b]);
    checkBinary(name, fn, want, negated);
  });
}

test("sdiv and smod: overflow and sign cases from the Yellow Paper", () => {
  const minusOne = MASK, min = TOP;
  const cases: [bigint, bigint, bigint, bigint][] = [
    // a, b, a sdiv b, a smod b
    [min, minusOne, min, 0n],
    [min, 1n, min, 0n],
    [word(-7n), 2n, word(-3n), word(-1n)],
    [7n, word(-2n), word(-3n), 1n],
    [word(-7n), word(-2n), 3n, word(-1n)],
    [word(-8n), 0n, 0n, 0n],
    [minusOne, min, 0n, minusOne],
  ];
  for (const [a, b, q, m] of cases) {
    write(A, a); write(B, b);
    wasm.u256_sdiv(R, A, B);
    assert.equal(read(R), q, `sdiv(${hex(a)}, ${hex(b)})`);
    wasm.u256_smod(R, A, B);
    assert.equal(read(R), m, `smod(${hex(a)}, ${hex(b)})`);
  }
});

const TERNARY: [string, Ternary, (a: bigint, b: bigint, n: bigint) => bigint][] = [
  ["addmod", wasm.u256_addmod, ref.addmod],
  ["mulmod", wasm.u256_mulmod, ref.mulmod],
];

for (const [name, fn, want] of TERNARY) {
  test(`${name}: edge values`, () => {
    const sub = EDGES.filter((_, i) => i % 3 === 0);
    const triples: [bigint, bigint, bigint][] = [];
    for (const a of sub) for (const b of sub) for (const n of sub) triples.push([a, b, n]);
    assert.equal(checkTernary(name, fn, want, triples), sub.length ** 3);
  });
  test(`${name}: random operands of random lengths`, () => {
    const next = randomWords(0x7e57 + name.length * 31);
    const triples: [bigint, bigint, bigint][] = [];
    for (let i = 0; i < RANDOM_COUNT; i++) triples.push([next(), next(), next()]);
    checkTernary(name, fn, want, triples);
  });
  test(`${name}: operands reduced modulo n, and n with its top bit set`, () => {
    const next = randomWords(0x3ed + name.length);
    const triples: [bigint, bigint, bigint][] = [];
    for (let i = 0; i < RANDOM_COUNT; i++) {
      const n = next() | (i % 2 ? TOP : 0n);
      if (n === 0n) continue;
      triples.push([next() % n, next() % n, n]);
    }
    // secp256k1's and BN254's moduli, as precompile-style code uses them.
    const p = 2n ** 256n - 2n ** 32n - 977n;
    const q = 21888242871839275222246405745257275088696311157297823808474668231597683998303n;
    triples.push([p - 1n, p - 1n, p], [q - 1n, q - 2n, q], [MASK, MASK, p], [MASK, MASK, q]);
    checkTernary(name, fn, want, triples);
  });
  test(`${name}: result aliases an input`, () => {
    const next = randomWords(0xa1 + name.length);
    for (let i = 0; i < 500; i++) {
      const a = next(), b = next(), n = next();
      for (const [r, x, y, m] of [[A, A, B, N], [B, A, B, N], [N, A, B, N], [A, A, A, A]]) {
        write(A, a); write(B, b); write(N, n);
        fn(r, x, y, m);
        const expected = x === y ? want(a, a, a) : want(a, b, n);
        const inputs = `(${hex(a)}, ${hex(b)}, ${hex(n)})`;
        assert.equal(read(r), expected, `${name} with r at +${r - scratch} for ${inputs}`);
      }
    }
  });
}

test("mulmod: partial remainders equal to the modulus' top limbs", () => {
  // (a * 2^64) mod n with a < n sharing n's top 128 bits makes the second quotient limb 2^64 - 1,
  // where division must not use its 3-by-2 step; a = n - d near q*n reaches the add-back.
  const next = randomWords(0x70b);
  const triples: [bigint, bigint, bigint][] = [];
  for (let i = 0; i < RANDOM_COUNT; i++) {
    const n = next() | (1n << BigInt(128 + (i % 128)));
    const d = (next() % (1n << BigInt(1 + (i % 127)))) + 1n;
    triples.push([n - d, 1n << 64n, n], [n - d, next(), n], [n - 1n, n - d, n]);
  }
  checkTernary("mulmod", wasm.u256_mulmod, ref.mulmod, triples);
});

test("exp: edge values and random operands", () => {
  const next = randomWords(0xe4);
  const pairs: [bigint, bigint][] = [...edgePairs()];
  for (let i = 0; i < RANDOM_COUNT; i++) pairs.push([next(), next()]);
  // Small bases, including 2 (a fast path), with exponents around 256 and around limb edges.
  for (const base of [0n, 1n, 2n, 3n, 10n, 256n, MASK]) {
    for (const e of [0n, 1n, 2n, 63n, 64n, 65n, 127n, 128n, 255n, 256n, 257n, 1n << 64n, MASK]) {
      pairs.push([base, e]);
    }
  }
  checkBinary("exp", wasm.u256_exp, ref.exp, pairs);
  checkAliasing("exp", wasm.u256_exp, ref.exp);
});

// -------------------------------------------------------------------------------------------------
// Bitwise and shifts

test("not: edge values, random words and aliasing", () => {
  const next = randomWords(0x404);
  const values = [...EDGES, ...Array.from({ length: RANDOM_COUNT }, next)];
  for (const a of values) {
    write(A, a);
    wasm.u256_not(R, A);
    assert.equal(read(R), ref.not(a), `not(${hex(a)})`);
    wasm.u256_not(A, A);
    assert.equal(read(A), ref.not(a), `not in place (${hex(a)})`);
  }
});

const SHIFT_LIKE: [string, Binary, (a: bigint, b: bigint) => bigint][] = [
  ["shl", wasm.u256_shl, ref.shl],
  ["shr", wasm.u256_shr, ref.shr],
  ["sar", wasm.u256_sar, ref.sar],
  ["byte", wasm.u256_byte, ref.byte],
  ["signextend", wasm.u256_signextend, ref.signextend],
];

for (const [name, fn, want] of SHIFT_LIKE) {
  test(`${name}: edge values, small and huge first operands, aliasing`, () => {
    checkBinary(name, fn, want, edgePairs());
    const limit = name === "byte" || name === "signextend" ? 40 : 300;
    checkBinary(name, fn, want, smallSecond(0x5a1f + name.length, limit));
    checkBinary(name, fn, want, randomPairs(0xb16 + name.length));
    const every: [bigint, bigint][] = [];
    for (let s = 0; s <= 260; s++) {
      every.push([BigInt(s), EDGES[(s * 7) % EDGES.length]!], [BigInt(s), MASK]);
    }
    checkBinary(name, fn, want, every);
    checkAliasing(name, fn, want);
  });
}

// -------------------------------------------------------------------------------------------------
// Comparisons

const COMPARE: [string, Compare, (a: bigint, b: bigint) => boolean][] = [
  ["lt", wasm.u256_lt, ref.lt],
  ["gt", wasm.u256_gt, ref.gt],
  ["slt", wasm.u256_slt, ref.slt],
  ["sgt", wasm.u256_sgt, ref.sgt],
  ["eq", wasm.u256_eq, ref.eq],
];

for (const [name, fn, want] of COMPARE) {
  test(`${name}: edge values, random words, equal and same-address operands`, () => {
    const next = randomWords(0xc0 + name.length);
    const pairs: [bigint, bigint][] = [...edgePairs()];
    for (let i = 0; i < RANDOM_COUNT; i++) {
      const a = next();
      // Operands that differ only in one limb exercise the limb-by-limb comparison.
      const limb = (next() & 0xffff_ffff_ffff_ffffn) << BigInt(64 * (i % 4));
      const b = i % 3 === 0 ? a ^ limb : next();
      pairs.push([a, b]);
    }
    for (const [a, b] of pairs) {
      write(A, a); write(B, b);
      assert.equal(fn(A, B) === 1, want(a, b), `${name}(${hex(a)}, ${hex(b)})`);
      assert.equal(fn(A, A) === 1, want(a, a), `${name}(a, a) for ${hex(a)}`);
    }
  });
}

test("isZero, fitsU64, lowU64, byteLength: edge values and random words", () => {
  const next = randomWords(0x15);
  for (const a of [...EDGES, ...Array.from({ length: RANDOM_COUNT }, next)]) {
    write(A, a);
    assert.equal(wasm.u256_isZero(A) === 1, a === 0n, `isZero(${hex(a)})`);
    assert.equal(wasm.u256_fitsU64(A) === 1, a < 1n << 64n, `fitsU64(${hex(a)})`);
    // i64 results reach JS as signed BigInts.
    const low = BigInt.asUintN(64, wasm.u256_lowU64(A));
    assert.equal(low, BigInt.asUintN(64, a), `lowU64(${hex(a)})`);
    assert.equal(wasm.u256_byteLength(A), Math.ceil(bitLength(a) / 8), `byteLength(${hex(a)})`);
  }
});

test("copy and setU64", () => {
  const next = randomWords(0xc0b1);
  for (let i = 0; i < 500; i++) {
    const a = next();
    write(A, a); write(R, next());
    wasm.u256_copy(R, A);
    assert.equal(read(R), a);
    wasm.u256_copy(A, A);
    assert.equal(read(A), a);
    const v = a & ((1n << 64n) - 1n);
    write(R, MASK);
    wasm.u256_setU64(R, v);
    assert.equal(read(R), v, `setU64(${hex(v)}) must clear the high limbs`);
  }
});

// -------------------------------------------------------------------------------------------------
// Byte order

test("fromBigEndian: every length, unaligned, right-aligned like PUSHn", () => {
  const bytes = rng(0xbe);
  for (let len = 0; len <= 32; len++) {
    for (let offset = 0; offset < 8; offset++) {
      const src = BYTES + offset;
      let expected = 0n;
      for (let i = 0; i < len; i++) {
        const b = bytes() & 0xff;
        heap[src + i] = b;
        expected = (expected << 8n) | BigInt(b);
      }
      heap[src + len] = 0xee; // a byte past the end must not be read
      write(R, MASK);
      wasm.u256_fromBigEndian(R, src, len);
      assert.equal(read(R), expected, `fromBigEndian(len ${len}, offset ${offset})`);
    }
  }
});

test("fromBigEndian: reads nothing past src + len (source at the end of memory)", () => {
  const end = memory.buffer.byteLength;
  for (let len = 0; len <= 32; len++) {
    const src = end - len;
    let expected = 0n;
    for (let i = 0; i < len; i++) {
      heap[src + i] = (i * 37 + len) & 0xff;
      expected = (expected << 8n) | BigInt((i * 37 + len) & 0xff);
    }
    wasm.u256_fromBigEndian(R, src, len);
    assert.equal(read(R), expected, `fromBigEndian at the end of memory, len ${len}`);
  }
});

test("fromBigEndian: the destination may overlap the source", () => {
  const src = BYTES;
  for (let i = 0; i < 32; i++) heap[src + i] = i + 1;
  const expected = BigInt("0x" + Buffer.from(heap.subarray(src, src + 32)).toString("hex"));
  wasm.u256_fromBigEndian(src, src, 32);
  assert.equal(read(src), expected);
});

test("toBigEndian: round trip, exact bytes and in-place conversion", () => {
  const next = randomWords(0x2be);
  for (const a of [...EDGES, ...Array.from({ length: 1000 }, next)]) {
    write(A, a);
    wasm.u256_toBigEndian(BYTES, A);
    const be = Buffer.from(heap.subarray(BYTES, BYTES + 32)).toString("hex");
    assert.equal(be, a.toString(16).padStart(64, "0"), `toBigEndian(${hex(a)})`);
    wasm.u256_fromBigEndian(R, BYTES, 32);
    assert.equal(read(R), a);
    wasm.u256_toBigEndian(A, A);
    assert.equal(Buffer.from(heap.subarray(A, A + 32)).toString("hex"), be, "toBigEndian in place");
  }
});
