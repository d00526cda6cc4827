// 256-bit EVM words in linear memory.
//
// A word is 32 bytes at a `usize` address: four little-endian u64 limbs, limb i at p + 8*i, limb 0
// least significant (so the word is the little-endian 256-bit integer). Every function writes its
// result to `r` only after reading all inputs into locals, so `r` may alias any input. Nothing here
// allocates: the module runs on many threads over one shared memory with a non-thread-safe runtime,
// so all scratch lives in wasm locals.
//
// WebAssembly has no 64x64->128 multiply and no 128/64 divide. Products use `mulhi` (four 32x32
// multiplies) next to the native low 64-bit multiply; division uses Möller–Granlund reciprocals
// ("Improved division by invariant integers", as in evmone's intx): apart from the u64 / u64 fast
// path, the only native divisions are the two that compute a reciprocal once per operation.

// -------------------------------------------------------------------------------------------------
// Limb primitives

const M32: u64 = 0xffff_ffff;
const SIGN: u64 = 0x8000_0000_0000_0000;

/** High 64 bits of the 128-bit product a*b (the low half is the native `a * b`). */
// @ts-ignore: decorator
@inline function mulhi(a: u64, b: u64): u64 {
  const a0 = a & M32, a1 = a >> 32, b0 = b & M32, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  // Each term is < 2^32, so the middle column cannot overflow.
  const mid = (p00 >> 32) + (p01 & M32) + (p10 & M32);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/** x >> (64 - s) for s in 0..63, 0 when s == 0 (a plain `x >> 64` is `x >> 0` in wasm). */
// @ts-ignore: decorator
@inline function spill(x: u64, s: u64): u64 {
  return (x >> 1) >> (63 - s);
}

/** x << (64 - s) for s in 0..63, 0 when s == 0. */
// @ts-ignore: decorator
@inline function spillLeft(x: u64, s: u64): u64 {
  return (x << 1) << (63 - s);
}

// @ts-ignore: decorator
@inline function store4(r: usize, x0: u64, x1: u64, x2: u64, x3: u64): void {
  store<u64>(r, x0);
  store<u64>(r, x1, 8);
  store<u64>(r, x2, 16);
  store<u64>(r, x3, 24);
}

// -------------------------------------------------------------------------------------------------
// Helpers

/** r = a. */
// @ts-ignore: decorator
@inline export function copy(r: usize, a: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  store4(r, a0, a1, a2, a3);
}

/** r = v, zero-extended. */
// @ts-ignore: decorator
@inline export function setU64(r: usize, v: u64): void {
  store4(r, v, 0, 0, 0);
}

/** True when a < 2^64. */
// @ts-ignore: decorator
@inline export function fitsU64(a: usize): bool {
  return (load<u64>(a, 8) | load<u64>(a, 16) | load<u64>(a, 24)) == 0;
}

/** The least significant 64 bits of a. */
// @ts-ignore: decorator
@inline export function lowU64(a: usize): u64 {
  return load<u64>(a);
}

/** Number of significant bytes of a, 0 for zero (EXP charges gas per exponent byte). */
export function byteLength(a: usize): u32 {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  if (a3 != 0) return 24 + (<u32>(71 - clz<u64>(a3)) >> 3);
  if (a2 != 0) return 16 + (<u32>(71 - clz<u64>(a2)) >> 3);
  if (a1 != 0) return 8 + (<u32>(71 - clz<u64>(a1)) >> 3);
  return <u32>(71 - clz<u64>(a0)) >> 3; // clz(0) = 64 gives 0
}

/** Reads n (0..8) big-endian bytes ending at `end` into the low bytes of a u64. */
// @ts-ignore: decorator
@inline function loadBE(end: usize, n: usize): u64 {
  if (n >= 8) return bswap<u64>(load<u64>(end - 8));
  let p = end - n;
  let x: u64 = 0;
  // Never touch bytes outside [end - n, end): the source may sit at the end of memory.
  if (n & 4) { x = <u64>bswap<u32>(load<u32>(p)); p += 4; }
  if (n & 2) { x = (x << 16) | <u64>bswap<u16>(load<u16>(p)); p += 2; }
  if (n & 1) { x = (x << 8) | <u64>load<u8>(p); }
  return x;
}

/** r = the len (0..32) big-endian bytes at src, right-aligned (PUSHn; a short CALLDATALOAD tail is
 *  the caller's to left-align). Any overlap of r and src is fine. */
export function fromBigEndian(r: usize, src: usize, len: usize): void {
  const end = src + len;
  if (len == 32) {
    const x3 = bswap<u64>(load<u64>(src)), x2 = bswap<u64>(load<u64>(src, 8));
    const x1 = bswap<u64>(load<u64>(src, 16)), x0 = bswap<u64>(load<u64>(src, 24));
    store4(r, x0, x1, x2, x3);
    return;
  }
  const x0 = loadBE(end, len);
  const x1 = len > 8 ? loadBE(end - 8, len - 8) : 0;
  const x2 = len > 16 ? loadBE(end - 16, len - 16) : 0;
  const x3 = len > 24 ? loadBE(end - 24, len - 24) : 0;
  store4(r, x0, x1, x2, x3);
}

/** Writes a as 32 big-endian bytes at dst. All of a is read first, so dst may overlap a. */
export function toBigEndian(dst: usize, a: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  store4(dst, bswap<u64>(a3), bswap<u64>(a2), bswap<u64>(a1), bswap<u64>(a0));
}

// -------------------------------------------------------------------------------------------------
// Comparison

/** a == 0. */
// @ts-ignore: decorator
@inline export function isZero(a: usize): bool {
  return (load<u64>(a) | load<u64>(a, 8) | load<u64>(a, 16) | load<u64>(a, 24)) == 0;
}

/** a == b. */
// @ts-ignore: decorator
@inline export function eq(a: usize, b: usize): bool {
  return ((load<u64>(a) ^ load<u64>(b)) | (load<u64>(a, 8) ^ load<u64>(b, 8)) |
    (load<u64>(a, 16) ^ load<u64>(b, 16)) | (load<u64>(a, 24) ^ load<u64>(b, 24))) == 0;
}

/** Unsigned a < b on limbs, most significant first. */
// @ts-ignore: decorator
@inline function lt4(
  a0: u64, a1: u64, a2: u64, a3: u64, b0: u64, b1: u64, b2: u64, b3: u64,
): bool {
  if (a3 != b3) return a3 < b3;
  if (a2 != b2) return a2 < b2;
  if (a1 != b1) return a1 < b1;
  return a0 < b0;
}

/** Unsigned a < b. */
// @ts-ignore: decorator
@inline export function lt(a: usize, b: usize): bool {
  return lt4(
    load<u64>(a), load<u64>(a, 8), load<u64>(a, 16), load<u64>(a, 24),
    load<u64>(b), load<u64>(b, 8), load<u64>(b, 16), load<u64>(b, 24),
  );
}

/** Unsigned a > b. */
// @ts-ignore: decorator
@inline export function gt(a: usize, b: usize): bool {
  return lt(b, a);
}

/** Signed (two's complement) a < b. */
// @ts-ignore: decorator
@inline export function slt(a: usize, b: usize): bool {
  // Flipping the sign bit maps two's complement order onto unsigned order.
  return lt4(
    load<u64>(a), load<u64>(a, 8), load<u64>(a, 16), load<u64>(a, 24) ^ SIGN,
    load<u64>(b), load<u64>(b, 8), load<u64>(b, 16), load<u64>(b, 24) ^ SIGN,
  );
}

/** Signed (two's complement) a > b. */
// @ts-ignore: decorator
@inline export function sgt(a: usize, b: usize): bool {
  return slt(b, a);
}

// -------------------------------------------------------------------------------------------------
// Bitwise

/** r = a & b. */
// @ts-ignore: decorator
@inline export function and(r: usize, a: usize, b: usize): void {
  const x0 = load<u64>(a) & load<u64>(b), x1 = load<u64>(a, 8) & load<u64>(b, 8);
  const x2 = load<u64>(a, 16) & load<u64>(b, 16), x3 = load<u64>(a, 24) & load<u64>(b, 24);
  store4(r, x0, x1, x2, x3);
}

/** r = a | b. */
// @ts-ignore: decorator
@inline export function or(r: usize, a: usize, b: usize): void {
  const x0 = load<u64>(a) | load<u64>(b), x1 = load<u64>(a, 8) | load<u64>(b, 8);
  const x2 = load<u64>(a, 16) | load<u64>(b, 16), x3 = load<u64>(a, 24) | load<u64>(b, 24);
  store4(r, x0, x1, x2, x3);
}

/** r = a ^ b. */
// @ts-ignore: decorator
@inline export function xor(r: usize, a: usize, b: usize): void {
  const x0 = load<u64>(a) ^ load<u64>(b), x1 = load<u64>(a, 8) ^ load<u64>(b, 8);
  const x2 = load<u64>(a, 16) ^ load<u64>(b, 16), x3 = load<u64>(a, 24) ^ load<u64>(b, 24);
  store4(r, x0, x1, x2, x3);
}

/** r = ~a. */
// @ts-ignore: decorator
@inline export function not(r: usize, a: usize): void {
  const x0 = ~load<u64>(a), x1 = ~load<u64>(a, 8), x2 = ~load<u64>(a, 16), x3 = ~load<u64>(a, 24);
  store4(r, x0, x1, x2, x3);
}

/** r = EVM BYTE: the i-th byte of x counted from the most significant end, 0 if i >= 32. */
export function byte(r: usize, i: usize, x: usize): void {
  const i0 = load<u64>(i);
  let v: u64 = 0;
  if (i0 < 32 && (load<u64>(i, 8) | load<u64>(i, 16) | load<u64>(i, 24)) == 0) {
    // Memory is little-endian, so big-endian byte i of the word sits at offset 31 - i.
    v = <u64>load<u8>(x + <usize>(31 - i0));
  }
  store4(r, v, 0, 0, 0);
}

/** Shift amount of a 256-bit word, saturated to 256. */
// @ts-ignore: decorator
@inline function shiftAmount(s: usize): u64 {
  const s0 = load<u64>(s);
  return (load<u64>(s, 8) | load<u64>(s, 16) | load<u64>(s, 24)) != 0 || s0 > 256 ? 256 : s0;
}

/** r = x >> s for s in 0..255 on limbs (SHR, and unnormalizing a division remainder). */
function shr4(r: usize, s: u64, x0: u64, x1: u64, x2: u64, x3: u64): void {
  // Whole limbs first (by 2, then by 1), then the bits within a limb.
  if (s & 128) { x0 = x2; x1 = x3; x2 = 0; x3 = 0; }
  if (s & 64) { x0 = x1; x1 = x2; x2 = x3; x3 = 0; }
  const b = s & 63;
  store4(r,
    (x0 >> b) | spillLeft(x1, b),
    (x1 >> b) | spillLeft(x2, b),
    (x2 >> b) | spillLeft(x3, b),
    x3 >> b,
  );
}

/** r = value << shift (EVM SHL), 0 for shift >= 256. */
export function shl(r: usize, shift: usize, value: usize): void {
  const s = shiftAmount(shift);
  let x0 = load<u64>(value), x1 = load<u64>(value, 8);
  let x2 = load<u64>(value, 16), x3 = load<u64>(value, 24);
  if (s >= 256) { store4(r, 0, 0, 0, 0); return; }
  if (s & 128) { x3 = x1; x2 = x0; x1 = 0; x0 = 0; }
  if (s & 64) { x3 = x2; x2 = x1; x1 = x0; x0 = 0; }
  const b = s & 63;
  store4(r, x0 << b, (x1 << b) | spill(x0, b), (x2 << b) | spill(x1, b), (x3 << b) | spill(x2, b));
}

/** r = value >> shift, logical (EVM SHR), 0 for shift >= 256. */
export function shr(r: usize, shift: usize, value: usize): void {
  const s = shiftAmount(shift);
  const x0 = load<u64>(value), x1 = load<u64>(value, 8);
  const x2 = load<u64>(value, 16), x3 = load<u64>(value, 24);
  if (s >= 256) { store4(r, 0, 0, 0, 0); return; }
  shr4(r, s, x0, x1, x2, x3);
}

/** r = value >> shift, arithmetic (EVM SAR): 0 or all ones for shift >= 256. */
export function sar(r: usize, shift: usize, value: usize): void {
  const s = shiftAmount(shift);
  let x0 = load<u64>(value), x1 = load<u64>(value, 8);
  let x2 = load<u64>(value, 16), x3 = load<u64>(value, 24);
  const fill = <u64>(<i64>x3 >> 63);
  if (s >= 256) { store4(r, fill, fill, fill, fill); return; }
  if (s & 128) { x0 = x2; x1 = x3; x2 = fill; x3 = fill; }
  if (s & 64) { x0 = x1; x1 = x2; x2 = x3; x3 = fill; }
  const b = s & 63;
  store4(r,
    (x0 >> b) | spillLeft(x1, b),
    (x1 >> b) | spillLeft(x2, b),
    (x2 >> b) | spillLeft(x3, b),
    <u64>(<i64>x3 >> b),
  );
}

/** r = EVM SIGNEXTEND: extend x from the sign bit of its byte b (counted from the least
 *  significant end); b >= 31 returns x. */
export function signextend(r: usize, b: usize, x: usize): void {
  const b0 = load<u64>(b);
  let x0 = load<u64>(x), x1 = load<u64>(x, 8), x2 = load<u64>(x, 16), x3 = load<u64>(x, 24);
  if ((load<u64>(b, 8) | load<u64>(b, 16) | load<u64>(b, 24)) == 0 && b0 < 31) {
    const bit = b0 * 8 + 7; // the sign bit, 7..247
    // Shifting the sign bit to bit 63 and back arithmetically extends it through the limb.
    const up = 63 - (bit & 63);
    const limb = bit >> 6;
    if (limb == 0) {
      x0 = <u64>(<i64>(x0 << up) >> up);
      x1 = x2 = x3 = <u64>(<i64>x0 >> 63);
    } else if (limb == 1) {
      x1 = <u64>(<i64>(x1 << up) >> up);
      x2 = x3 = <u64>(<i64>x1 >> 63);
    } else if (limb == 2) {
      x2 = <u64>(<i64>(x2 << up) >> up);
      x3 = <u64>(<i64>x2 >> 63);
    } else {
      x3 = <u64>(<i64>(x3 << up) >> up);
    }
  }
  store4(r, x0, x1, x2, x3);
}

// -------------------------------------------------------------------------------------------------
// Addition, subtraction, multiplication

/** r = a + b mod 2^256. */
// @ts-ignore: decorator
@inline export function add(r: usize, a: usize, b: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  const s0 = a0 + b0;
  let c = <u64>(s0 < a0);
  const t1 = a1 + b1;
  const s1 = t1 + c;
  // At most one of the two additions in a limb can wrap.
  c = <u64>(t1 < a1) | <u64>(s1 < t1);
  const t2 = a2 + b2;
  const s2 = t2 + c;
  c = <u64>(t2 < a2) | <u64>(s2 < t2);
  store4(r, s0, s1, s2, a3 + b3 + c);
}

/** r = a - b mod 2^256. */
// @ts-ignore: decorator
@inline export function sub(r: usize, a: usize, b: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  let c = <u64>(a0 < b0);
  const t1 = a1 - b1;
  const d1 = t1 - c;
  c = <u64>(a1 < b1) | <u64>(t1 < c);
  const t2 = a2 - b2;
  const d2 = t2 - c;
  c = <u64>(a2 < b2) | <u64>(t2 < c);
  store4(r, a0 - b0, d1, d2, a3 - b3 - c);
}

/** r = a * b mod 2^256 from limb values (shared by MUL and EXP). */
function mul4(
  r: usize, a0: u64, a1: u64, a2: u64, a3: u64, b0: u64, b1: u64, b2: u64, b3: u64,
): void {
  // Schoolbook on 64-bit limbs, truncated: only products a_i*b_j with i+j <= 3 matter, and those
  // with i+j == 3 need only their low half, which wasm multiplies natively. That leaves 6 mulhi.
  // hi + two carries cannot overflow: (2^64-1)^2 + 2(2^64-1) < 2^128.
  const r0 = a0 * b0;
  let h = mulhi(a0, b0);
  let r1 = a0 * b1 + h;
  h = mulhi(a0, b1) + <u64>(r1 < h);
  let r2 = a0 * b2 + h;
  h = mulhi(a0, b2) + <u64>(r2 < h);
  let r3 = a0 * b3 + h;

  let t = a1 * b0 + r1;
  h = mulhi(a1, b0) + <u64>(t < r1);
  r1 = t;
  t = a1 * b1 + h;
  let c = <u64>(t < h);
  t += r2;
  c += <u64>(t < r2);
  h = mulhi(a1, b1) + c;
  r2 = t;
  r3 += a1 * b2 + h;

  t = a2 * b0 + r2;
  h = mulhi(a2, b0) + <u64>(t < r2);
  r2 = t;
  r3 += a2 * b1 + h;

  r3 += a3 * b0;
  store4(r, r0, r1, r2, r3);
}

/** r = a * a mod 2^256 from limb values: the cross products once, doubled, plus the squares (4
 *  mulhi instead of mul4's 6; EXP spends most of its time here). */
function sqr4(r: usize, a0: u64, a1: u64, a2: u64, a3: u64): void {
  // Cross terms x = a0a1 << 64 + a0a2 << 128 + (a0a3 + a1a2) << 192, truncated.
  const x1 = a0 * a1;
  const h01 = mulhi(a0, a1);
  const l02 = a0 * a2;
  const x2 = h01 + l02;
  const x3 = mulhi(a0, a2) + <u64>(x2 < l02) + a0 * a3 + a1 * a2;
  // 2x + a0^2 + a1^2 << 128.
  const d1 = mulhi(a0, a0), d2 = a1 * a1, d3 = mulhi(a1, a1);
  const y1 = x1 << 1, y2 = (x2 << 1) | (x1 >> 63), y3 = (x3 << 1) | (x2 >> 63);
  const r1 = y1 + d1;
  const c1 = <u64>(r1 < d1);
  const t2 = y2 + d2;
  const r2 = t2 + c1;
  const c2 = <u64>(t2 < d2) | <u64>(r2 < c1);
  store4(r, a0 * a0, r1, r2, y3 + d3 + c2);
}

/** r = a * b mod 2^256. */
// @ts-ignore: decorator
@inline export function mul(r: usize, a: usize, b: usize): void {
  mul4(r,
    load<u64>(a), load<u64>(a, 8), load<u64>(a, 16), load<u64>(a, 24),
    load<u64>(b), load<u64>(b, 8), load<u64>(b, 16), load<u64>(b, 24),
  );
}

/** r = base ** exponent mod 2^256 (EVM EXP), by square-and-multiply from the top exponent bit. */
export function exp(r: usize, base: usize, exponent: usize): void {
  const b0 = load<u64>(base), b1 = load<u64>(base, 8);
  const b2 = load<u64>(base, 16), b3 = load<u64>(base, 24);
  const e0 = load<u64>(exponent), e1 = load<u64>(exponent, 8);
  const e2 = load<u64>(exponent, 16), e3 = load<u64>(exponent, 24);
  const eHigh = e1 | e2 | e3;
  if ((eHigh | e0) == 0) { store4(r, 1, 0, 0, 0); return; }
  if ((b1 | b2 | b3) == 0 && b0 <= 2) {
    // 0^e = 0 and 1^e = 1 for e > 0; 2^e is a single bit (solc emits EXP for 2**n).
    if (b0 < 2) { store4(r, b0, 0, 0, 0); return; }
    if (eHigh != 0 || e0 >= 256) { store4(r, 0, 0, 0, 0); return; }
    const one = <u64>1 << (e0 & 63);
    const limb = e0 >> 6;
    store4(r, select<u64>(one, 0, limb == 0), select<u64>(one, 0, limb == 1),
      select<u64>(one, 0, limb == 2), select<u64>(one, 0, limb == 3));
    return;
  }
  // The accumulator lives in r (base and exponent are already in locals, so aliasing is fine).
  // Walk the exponent limbs from the most significant nonzero one; the top set bit seeds r = base.
  let limbs = e3 != 0 ? 4 : e2 != 0 ? 3 : e1 != 0 ? 2 : 1;
  let e = limbs == 4 ? e3 : limbs == 3 ? e2 : limbs == 2 ? e1 : e0;
  let bits = 63 - <i32>clz<u64>(e); // bits left below the top set bit of this limb
  store4(r, b0, b1, b2, b3);
  while (true) {
    while (bits > 0) {
      --bits;
      sqr4(r, load<u64>(r), load<u64>(r, 8), load<u64>(r, 16), load<u64>(r, 24));
      if ((e >> <u64>bits) & 1) {
        mul4(r, load<u64>(r), load<u64>(r, 8), load<u64>(r, 16), load<u64>(r, 24), b0, b1, b2, b3);
      }
    }
    if (--limbs == 0) break;
    e = limbs == 3 ? e2 : limbs == 2 ? e1 : e0;
    bits = 64;
  }
}

// -------------------------------------------------------------------------------------------------
// Division
//
// Quotient digits are 64-bit limbs. A divisor of one limb uses udiv2by1 per dividend limb; longer
// divisors use Knuth's algorithm D where each quotient limb comes from a 3-by-2 division on the top
// two divisor limbs (exact for them, so the multiply-subtract of the remaining limbs borrows rarely
// and at most one add-back follows). Both need a normalized divisor (top bit set).

/** floor((2^128 - 1) / d) - 2^64 for normalized d: Hacker's Delight divlu on 32-bit halves. */
function reciprocal2by1(d: u64): u64 {
  // Divide (~d : ~0) by d; ~d < d, so the quotient fits in 64 bits.
  const dh = d >> 32, dl = d & M32;
  const uh = ~d;
  // First 32-bit quotient digit of (uh : 0xffffffff) / d.
  let q1 = uh / dh;
  let rhat = uh - q1 * dh;
  while (q1 > M32 || q1 * dl > ((rhat << 32) | M32)) {
    --q1;
    rhat += dh;
    if (rhat > M32) break;
  }
  const mid = ((uh << 32) | M32) - q1 * d; // wraps correctly: the true value is < d
  let q0 = mid / dh;
  rhat = mid - q0 * dh;
  while (q0 > M32 || q0 * dl > ((rhat << 32) | M32)) {
    --q0;
    rhat += dh;
    if (rhat > M32) break;
  }
  return (q1 << 32) | q0;
}

/** Reciprocal of the normalized 128-bit divisor (d1 : d0) for the 3-by-2 step (intx's
 *  reciprocal_3by2). */
function reciprocal3by2(d1: u64, d0: u64): u64 {
  let v = reciprocal2by1(d1);
  let p = d1 * v + d0;
  if (p < d0) {
    --v;
    if (p >= d1) {
      --v;
      p -= d1;
    }
    p -= d1;
  }
  const t1 = mulhi(v, d0), t0 = v * d0;
  p += t1;
  if (p < t1) {
    --v;
    if (p > d1 || (p == d1 && t0 >= d0)) --v;
  }
  return v;
}

/** Quotient of (uh : ul) / d for normalized d and uh < d, given v = reciprocal2by1(d); the
 *  remainder is then ul - q * d. */
// @ts-ignore: decorator
@inline function udiv2by1(uh: u64, ul: u64, d: u64, v: u64): u64 {
  if (uh == 0) return <u64>(ul >= d);
  const pl = v * uh;
  const ql = pl + ul;
  let qh = mulhi(v, uh) + uh + <u64>(ql < pl) + 1;
  let rem = ul - qh * d;
  if (rem > ql) {
    --qh;
    rem += d;
  }
  if (rem >= d) ++qh;
  return qh;
}

/**
 * Writes to r the quotient (wantRem false) or remainder of u / v, where u is `ulen` limbs given
 * top-aligned (u7 most significant, the low 8 - ulen limbs zero) and v (v3..v0) is nonzero. The
 * quotient must fit 256 bits when wanted. Shared by DIV/MOD/SDIV/SMOD (ulen 4), ADDMOD (5) and
 * MULMOD (8).
 */
function udivrem(
  r: usize, ulen: i32,
  u7: u64, u6: u64, u5: u64, u4: u64, u3: u64, u2: u64, u1: u64, u0: u64,
  v3: u64, v2: u64, v1: u64, v0: u64, wantRem: bool,
): void {
  // Drop leading zero limbs so ulen is the dividend's true length.
  while (ulen > 0 && u7 == 0) {
    u7 = u6; u6 = u5; u5 = u4; u4 = u3; u3 = u2; u2 = u1; u1 = u0; u0 = 0;
    --ulen;
  }
  const vlen = v3 != 0 ? 4 : v2 != 0 ? 3 : v1 != 0 ? 2 : 1;

  if (ulen < vlen) {
    // u < v: quotient 0, remainder u (which fits in vlen <= 4 limbs). Undo the top alignment.
    if (!wantRem) { store4(r, 0, 0, 0, 0); return; }
    if (ulen == 0) store4(r, 0, 0, 0, 0);
    else if (ulen == 1) store4(r, u7, 0, 0, 0);
    else if (ulen == 2) store4(r, u6, u7, 0, 0);
    else store4(r, u5, u6, u7, 0);
    return;
  }
  if (ulen == 1) {
    // Both fit in 64 bits: native division.
    store4(r, wantRem ? u7 % v0 : u7 / v0, 0, 0, 0);
    return;
  }

  let q3: u64 = 0, q2: u64 = 0, q1: u64 = 0, q0: u64 = 0;

  if (vlen == 1) {
    // Long division by one normalized limb; the extra top limb of u << s is below d.
    const s = clz<u64>(v0);
    const d = v0 << s;
    const v = reciprocal2by1(d);
    let rem = spill(u7, s);
    for (let i = ulen; i > 0; --i) {
      const x = (u7 << s) | spill(u6, s);
      u7 = u6; u6 = u5; u5 = u4; u4 = u3; u3 = u2; u2 = u1; u1 = u0; u0 = 0;
      const q = udiv2by1(rem, x, d, v);
      rem = x - q * d;
      q3 = q2; q2 = q1; q1 = q0; q0 = q;
    }
    if (wantRem) store4(r, rem >> s, 0, 0, 0);
    else store4(r, q0, q1, q2, q3);
    return;
  }

  // Knuth D. Shift v left so its top bit is bit 255 (its low 4 - vlen limbs become zero) and u by
  // the same amount: the bit part shifts u's limbs, the limb part only appends zero limbs below u,
  // which the window below takes in as it slides (feeds past the end of u are zero).
  const s = clz<u64>(v3 != 0 ? v3 : v2 != 0 ? v2 : v1) + <u64>(4 - vlen) * 64;
  const bs = s & 63;
  if (s & 128) { v3 = v1; v2 = v0; v1 = 0; v0 = 0; }
  if (s & 64) { v3 = v2; v2 = v1; v1 = v0; v0 = 0; }
  v3 = (v3 << bs) | spill(v2, bs);
  v2 = (v2 << bs) | spill(v1, bs);
  v1 = (v1 << bs) | spill(v0, bs);
  v0 = v0 << bs;
  const rcp = reciprocal3by2(v3, v2);

  // The window w4..w0 holds the top 5 limbs of the normalized dividend being reduced; f0..f3 are
  // the limbs still to come (u shifted by bs has ulen + 1 limbs; further feeds are zero).
  let w4 = spill(u7, bs);
  let w3 = (u7 << bs) | spill(u6, bs);
  let w2 = (u6 << bs) | spill(u5, bs);
  let w1 = (u5 << bs) | spill(u4, bs);
  let w0 = (u4 << bs) | spill(u3, bs);
  let f0 = (u3 << bs) | spill(u2, bs);
  let f1 = (u2 << bs) | spill(u1, bs);
  let f2 = (u1 << bs) | spill(u0, bs);
  let f3 = u0 << bs;
  // One quotient limb per dividend limb beyond the divisor's, plus one for the extra top limb.
  let steps = ulen + 1 - vlen;
  while (true) {
    let q: u64;
    if (w4 == v3 && w3 == v2) {
      // udivrem3by2 needs (w4 : w3) < (v3 : v2). Here the quotient limb is exactly 2^64 - 1:
      // W - q*V = V + X - 2^192 where X = (w2 : w1 : w0) - (v1 : v0 : 0) mod 2^192, and since
      // V >= 2^255 and X < 2^192 that lies in [0, V) (intx's udivrem_knuth does the same).
      q = ~<u64>0;
      const x1 = w1 - v0;
      const x2 = w2 - v1 - <u64>(w1 < v0);
      const y0 = w0 + v0;
      const c0 = <u64>(y0 < v0);
      let y1 = x1 + v1;
      let c1 = <u64>(y1 < v1);
      y1 += c0;
      c1 |= <u64>(y1 < c0);
      let y2 = x2 + v2;
      let c2 = <u64>(y2 < v2);
      y2 += c1;
      c2 |= <u64>(y2 < c1);
      w3 = v3 + c2 - 1; w2 = y2; w1 = y1; w0 = y0;
    } else {
      // udivrem3by2: q and (r1 : r0) = (w4 : w3 : w2) - q * (v3 : v2), exact for these limbs.
      const pl = rcp * w4;
      const ql = pl + w3;
      let qh = mulhi(rcp, w4) + w4 + <u64>(ql < pl);
      let r1 = w3 - qh * v3;
      const tl = v2 * qh, th = mulhi(v2, qh);
      // (r1 : r0) = (r1 : w2) - (th : tl) - (v3 : v2), all mod 2^128.
      let r0 = w2 - tl;
      r1 = r1 - th - <u64>(w2 < tl);
      const bq = <u64>(r0 < v2);
      r0 -= v2;
      r1 = r1 - v3 - bq;
      ++qh;
      if (r1 >= ql) {
        --qh;
        r0 += v2;
        r1 += v3 + <u64>(r0 < v2);
      }
      if (r1 > v3 || (r1 == v3 && r0 >= v2)) {
        ++qh;
        const bb = <u64>(r0 < v2);
        r0 -= v2;
        r1 = r1 - v3 - bb;
      }
      q = qh;
      if (vlen == 2) {
        // The divisor's low limbs are zero: the 3-by-2 remainder is the whole remainder.
        w3 = r1; w2 = r0;
      } else {
        // Subtract q * (v1 : v0), a 3-limb value (p2 : p1 : p0), from (r1 : r0 : w1 : w0).
        const p0 = q * v0;
        const m0 = v0 != 0 ? mulhi(q, v0) : 0; // v0 is zero for 3-limb divisors
        const p1 = q * v1 + m0;
        const p2 = mulhi(q, v1) + <u64>(p1 < m0);
        const n0 = w0 - p0;
        const br0 = <u64>(w0 < p0);
        const n1a = w1 - p1;
        const n1 = n1a - br0;
        const br1 = <u64>(w1 < p1) | <u64>(n1a < br0);
        const n2a = r0 - p2;
        const n2 = n2a - br1;
        const br2 = <u64>(r0 < p2) | <u64>(n2a < br1);
        const n3 = r1 - br2;
        if (r1 < br2) {
          // Went negative: q was one too large (rare). Add V back; the carry out of limb 3
          // cancels the borrow.
          --q;
          const z0 = n0 + v0;
          const c0 = <u64>(z0 < n0);
          let z1 = n1 + v1;
          let c1 = <u64>(z1 < n1);
          z1 += c0;
          c1 |= <u64>(z1 < c0);
          let z2 = n2 + v2;
          let c2 = <u64>(z2 < n2);
          z2 += c1;
          c2 |= <u64>(z2 < c1);
          w3 = n3 + v3 + c2; w2 = z2; w1 = z1; w0 = z0;
        } else {
          w3 = n3; w2 = n2; w1 = n1; w0 = n0;
        }
      }
    }
    q3 = q2; q2 = q1; q1 = q0; q0 = q;
    if (--steps == 0) break;
    w4 = w3; w3 = w2; w2 = w1; w1 = w0; w0 = f0;
    f0 = f1; f1 = f2; f2 = f3; f3 = 0;
  }
  if (wantRem) shr4(r, s, w0, w1, w2, w3);
  else store4(r, q0, q1, q2, q3);
}

/** r = a / b, unsigned, 0 when b == 0. */
export function div(r: usize, a: usize, b: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  if ((b1 | b2 | b3) == 0) {
    if (b0 == 0) { store4(r, 0, 0, 0, 0); return; }
    if ((a1 | a2 | a3) == 0) { store4(r, a0 / b0, 0, 0, 0); return; }
  }
  udivrem(r, 4, a3, a2, a1, a0, 0, 0, 0, 0, b3, b2, b1, b0, false);
}

/** r = a % b, unsigned, 0 when b == 0. */
export function mod(r: usize, a: usize, b: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  if ((b1 | b2 | b3) == 0) {
    if (b0 == 0) { store4(r, 0, 0, 0, 0); return; }
    if ((a1 | a2 | a3) == 0) { store4(r, a0 % b0, 0, 0, 0); return; }
  }
  udivrem(r, 4, a3, a2, a1, a0, 0, 0, 0, 0, b3, b2, b1, b0, true);
}

/** r = -r in place (two's complement). */
function negate(r: usize): void {
  const x0 = ~load<u64>(r), x1 = ~load<u64>(r, 8), x2 = ~load<u64>(r, 16), x3 = ~load<u64>(r, 24);
  const y0 = x0 + 1;
  let c = <u64>(y0 == 0);
  const y1 = x1 + c;
  c &= <u64>(y1 == 0);
  const y2 = x2 + c;
  c &= <u64>(y2 == 0);
  store4(r, y0, y1, y2, x3 + c);
}

/** Signed division/remainder on magnitudes; the quotient is negative when the signs differ, the
 *  remainder takes the dividend's sign. */
function sdivrem(r: usize, a: usize, b: usize, wantRem: bool): void {
  let a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  let b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  if ((b0 | b1 | b2 | b3) == 0) { store4(r, 0, 0, 0, 0); return; }
  const aNeg = <i64>a3 < 0, bNeg = <i64>b3 < 0;
  if (aNeg) {
    // |a| = ~a + 1; -2^255 stays 2^255, which is right as an unsigned magnitude.
    a0 = ~a0; a1 = ~a1; a2 = ~a2; a3 = ~a3;
    a0 += 1;
    let c = <u64>(a0 == 0);
    a1 += c; c &= <u64>(a1 == 0);
    a2 += c; c &= <u64>(a2 == 0);
    a3 += c;
  }
  if (bNeg) {
    b0 = ~b0; b1 = ~b1; b2 = ~b2; b3 = ~b3;
    b0 += 1;
    let c = <u64>(b0 == 0);
    b1 += c; c &= <u64>(b1 == 0);
    b2 += c; c &= <u64>(b2 == 0);
    b3 += c;
  }
  udivrem(r, 4, a3, a2, a1, a0, 0, 0, 0, 0, b3, b2, b1, b0, wantRem);
  // -2^255 / -1 = 2^255, which reads back as -2^255: the EVM's defined overflow result.
  if (wantRem ? aNeg : aNeg != bNeg) negate(r);
}

/** r = a / b, signed, truncating toward zero, 0 when b == 0. */
export function sdiv(r: usize, a: usize, b: usize): void {
  sdivrem(r, a, b, false);
}

/** r = a % b, signed: the sign of the dividend, 0 when b == 0. */
export function smod(r: usize, a: usize, b: usize): void {
  sdivrem(r, a, b, true);
}

/** r = (a + b) % n with the 257-bit sum, 0 when n == 0. */
export function addmod(r: usize, a: usize, b: usize, n: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  const n0 = load<u64>(n), n1 = load<u64>(n, 8), n2 = load<u64>(n, 16), n3 = load<u64>(n, 24);
  if ((n0 | n1 | n2 | n3) == 0) { store4(r, 0, 0, 0, 0); return; }
  const s0 = a0 + b0;
  let c = <u64>(s0 < a0);
  const t1 = a1 + b1;
  const s1 = t1 + c;
  c = <u64>(t1 < a1) | <u64>(s1 < t1);
  const t2 = a2 + b2;
  const s2 = t2 + c;
  c = <u64>(t2 < a2) | <u64>(s2 < t2);
  const t3 = a3 + b3;
  const s3 = t3 + c;
  c = <u64>(t3 < a3) | <u64>(s3 < t3);
  if (lt4(a0, a1, a2, a3, n0, n1, n2, n3) && lt4(b0, b1, b2, b3, n0, n1, n2, n3)) {
    // Reduced operands (the usual case in modular arithmetic): the sum is below 2n.
    if (c == 0 && lt4(s0, s1, s2, s3, n0, n1, n2, n3)) { store4(r, s0, s1, s2, s3); return; }
    let bw = <u64>(s0 < n0);
    const d1a = s1 - n1;
    const d1 = d1a - bw;
    bw = <u64>(s1 < n1) | <u64>(d1a < bw);
    const d2a = s2 - n2;
    const d2 = d2a - bw;
    bw = <u64>(s2 < n2) | <u64>(d2a < bw);
    store4(r, s0 - n0, d1, d2, s3 - n3 - bw);
    return;
  }
  udivrem(r, 5, c, s3, s2, s1, s0, 0, 0, 0, n3, n2, n1, n0, true);
}

/** r = (a * b) % n with the full 512-bit product, 0 when n == 0. */
export function mulmod(r: usize, a: usize, b: usize, n: usize): void {
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  const b0 = load<u64>(b), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24);
  const n0 = load<u64>(n), n1 = load<u64>(n, 8), n2 = load<u64>(n, 16), n3 = load<u64>(n, 24);
  if ((n0 | n1 | n2 | n3) == 0) { store4(r, 0, 0, 0, 0); return; }
  // Full schoolbook product p7..p0, one row per limb of a. Each step adds a 128-bit product, the
  // limb already there and the carry: (2^64-1)^2 + 2(2^64-1) < 2^128, so the carry fits one limb.
  let p0: u64, p1: u64, p2: u64, p3: u64, p4: u64, p5: u64, p6: u64, p7: u64;
  let lo: u64, h: u64, t: u64;
  // Row 0.
  p0 = a0 * b0; h = mulhi(a0, b0);
  lo = a0 * b1; p1 = lo + h; h = mulhi(a0, b1) + <u64>(p1 < lo);
  lo = a0 * b2; p2 = lo + h; h = mulhi(a0, b2) + <u64>(p2 < lo);
  lo = a0 * b3; p3 = lo + h; p4 = mulhi(a0, b3) + <u64>(p3 < lo);
  // Row 1.
  lo = a1 * b0; t = lo + p1; h = mulhi(a1, b0) + <u64>(t < lo); p1 = t;
  lo = a1 * b1 + h; h = mulhi(a1, b1) + <u64>(lo < h); t = lo + p2; h += <u64>(t < lo); p2 = t;
  lo = a1 * b2 + h; h = mulhi(a1, b2) + <u64>(lo < h); t = lo + p3; h += <u64>(t < lo); p3 = t;
  lo = a1 * b3 + h; h = mulhi(a1, b3) + <u64>(lo < h); t = lo + p4; h += <u64>(t < lo); p4 = t;
  p5 = h;
  // Row 2.
  lo = a2 * b0; t = lo + p2; h = mulhi(a2, b0) + <u64>(t < lo); p2 = t;
  lo = a2 * b1 + h; h = mulhi(a2, b1) + <u64>(lo < h); t = lo + p3; h += <u64>(t < lo); p3 = t;
  lo = a2 * b2 + h; h = mulhi(a2, b2) + <u64>(lo < h); t = lo + p4; h += <u64>(t < lo); p4 = t;
  lo = a2 * b3 + h; h = mulhi(a2, b3) + <u64>(lo < h); t = lo + p5; h += <u64>(t < lo); p5 = t;
  p6 = h;
  // Row 3.
  lo = a3 * b0; t = lo + p3; h = mulhi(a3, b0) + <u64>(t < lo); p3 = t;
  lo = a3 * b1 + h; h = mulhi(a3, b1) + <u64>(lo < h); t = lo + p4; h += <u64>(t < lo); p4 = t;
  lo = a3 * b2 + h; h = mulhi(a3, b2) + <u64>(lo < h); t = lo + p5; h += <u64>(t < lo); p5 = t;
  lo = a3 * b3 + h; h = mulhi(a3, b3) + <u64>(lo < h); t = lo + p6; h += <u64>(t < lo); p6 = t;
  p7 = h;
  udivrem(r, 8, p7, p6, p5, p4, p3, p2, p1, p0, n3, n2, n1, n0, true);
}
