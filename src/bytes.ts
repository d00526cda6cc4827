import { keccak_256 } from '@noble/hashes/sha3.js';

let keccakImpl: (data: Uint8Array) => Uint8Array = keccak_256;

/**
 * Keccak-256 (the pre-standard padding Ethereum uses). @noble/hashes until a wasm core exists in
 * this thread; then the core's, which is about 15 times faster (src/core/core.ts registers it).
 */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccakImpl(data);
}

/** Replaces the keccak-256 implementation (it must give the same digests). */
export function useKeccak(impl: (data: Uint8Array) => Uint8Array): void {
  keccakImpl = impl;
}


// Nibble value by character code; -1 marks a non-hex character.
const NIBBLE = /* @__PURE__ */ (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) t[65 + i] = t[97 + i] = 10 + i;
  return t;
})();

const BYTE_HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hexError(hex: string, what: string | undefined, why: string): Error {
  const shown = hex.length > 80 ? `${hex.slice(0, 80)}…` : hex;
  return new Error(`${what ?? 'hex value'}: ${why}: ${JSON.stringify(shown)}`);
}

// Byte value by a pair of character codes ((first << 7) | second, both ASCII); -1 where either is not hex.
const BYTE_OF_PAIR = /* @__PURE__ */ (() => {
  const t = new Int16Array(1 << 14).fill(-1);
  for (let a = 0; a < 128; a++) {
    for (let b = 0; b < 128; b++) if (NIBBLE[a] >= 0 && NIBBLE[b] >= 0) t[(a << 7) | b] = (NIBBLE[a] << 4) | NIBBLE[b];
  }
  return t;
})();

function nibbleAt(hex: string, i: number): number {
  const c = hex.charCodeAt(i);
  return c < 128 ? NIBBLE[c] : -1;
}

function hasPrefix(hex: string): boolean {
  return hex.length >= 2 && hex.charCodeAt(0) === 48 && (hex.charCodeAt(1) | 0x20) === 120;
}

/**
 * Decodes hex (with or without `0x`) to bytes. Odd length is rejected rather than padded: byte data
 * in RPC and fixture JSON always has whole bytes, and quantities go through {@link hexToBigInt}.
 * `what` names the value in the error message.
 */
export function hexToBytes(hex: string, what?: string): Uint8Array {
  if (typeof hex !== 'string') throw new Error(`${what ?? 'hex value'}: expected a hex string, got ${typeof hex}`);
  const start = hasPrefix(hex) ? 2 : 0;
  const digits = hex.length - start;
  if (digits & 1) throw hexError(hex, what, 'odd number of hex digits');
  const out = new Uint8Array(digits >>> 1);
  for (let i = 0, j = start; i < out.length; i++, j += 2) {
    const a = hex.charCodeAt(j), b = hex.charCodeAt(j + 1);
    const byte = (a | b) < 128 ? BYTE_OF_PAIR[(a << 7) | b] : -1;
    if (byte < 0) throw hexError(hex, what, `non-hex character at position ${nibbleAt(hex, j) < 0 ? j : j + 1}`);
    out[i] = byte;
  }
  return out;
}

/**
 * A map key for an address (20 bytes): ten UTF-16 code units, two bytes each. Not for display; a
 * fraction of bytesToHex's cost where a block's addresses are counted or grouped.
 */
export function addressKey(a: Uint8Array): string {
  return String.fromCharCode(
    (a[0] << 8) | a[1], (a[2] << 8) | a[3], (a[4] << 8) | a[5], (a[6] << 8) | a[7], (a[8] << 8) | a[9],
    (a[10] << 8) | a[11], (a[12] << 8) | a[13], (a[14] << 8) | a[15], (a[16] << 8) | a[17], (a[18] << 8) | a[19],
  );
}

/** Encodes bytes as `0x`-prefixed lowercase hex. */
export function bytesToHex(bytes: Uint8Array): string {
  // Short inputs concatenate; longer ones fill ASCII codes and decode once (one string, no ropes).
  if (bytes.length <= 8) {
    let s = '0x';
    for (let i = 0; i < bytes.length; i++) s += BYTE_HEX[bytes[i]];
    return s;
  }
  const out = bytes.length <= HEX_SCRATCH_BYTES ? hexScratch : new Uint16Array(1 + bytes.length);
  out[0] = 0x7830; // "0x" as two ASCII bytes, little-endian
  for (let i = 0; i < bytes.length; i++) out[i + 1] = HEX_PAIR[bytes[i]];
  return LATIN1.decode(new Uint8Array(out.buffer, 0, 2 + 2 * bytes.length));
}

const HEX_SCRATCH_BYTES = 4096;
const hexScratch = new Uint16Array(1 + HEX_SCRATCH_BYTES);
const LATIN1 = new TextDecoder('latin1');
// Each byte's two hex digits as one little-endian u16 of ASCII codes.
const HEX_PAIR = /* @__PURE__ */ (() => {
  const t = new Uint16Array(256);
  const digits = '0123456789abcdef';
  for (let i = 0; i < 256; i++) t[i] = digits.charCodeAt(i >> 4) | (digits.charCodeAt(i & 15) << 8);
  return t;
})();

function quantityName(what: string | (() => string) | undefined): string {
  return typeof what === 'function' ? what() : what ?? 'hex quantity';
}

/**
 * Parses a hex quantity (with or without `0x`, any number of digits) as an unsigned bigint.
 * `0x` alone is zero, as in the Ethereum test fixtures. `what` names the value in an error (a
 * function: the name is made only then; callers parsing many values make none).
 */
export function hexToBigInt(hex: string, what?: string | (() => string)): bigint {
  if (typeof hex !== 'string') throw new Error(`${quantityName(what)}: expected a hex string, got ${typeof hex}`);
  const start = hasPrefix(hex) ? 2 : 0;
  for (let i = start; i < hex.length; i++) {
    if (nibbleAt(hex, i) < 0) throw hexError(hex, quantityName(what), `non-hex character at position ${i}`);
  }
  if (hex.length === start) return 0n;
  return start === 2 ? BigInt(hex) : BigInt(`0x${hex}`); // BigInt reads a 0x or 0X prefix itself
}

/**
 * Big-endian bytes of an unsigned integer: minimal (no leading zeros, empty for 0) without `length`,
 * left-padded to exactly `length` bytes with it (throws if the value does not fit).
 */
export function bigIntToBytes(value: bigint, length?: number): Uint8Array {
  if (value < 0n) throw new Error(`bigIntToBytes: negative value ${value}`);
  if (value <= 0xffffffffffffn) {
    // Common case (nonces, small balances, slot numbers) without going through a string.
    let v = Number(value);
    let n = 0;
    for (let t = v; t > 0; t = Math.floor(t / 256)) n++;
    const size = length ?? n;
    if (n > size) throw new Error(`bigIntToBytes: ${value} does not fit in ${size} bytes`);
    const out = new Uint8Array(size);
    for (let i = size - 1; v > 0; i--, v = Math.floor(v / 256)) out[i] = v % 256;
    return out;
  }
  let hex = value.toString(16);
  if (hex.length & 1) hex = `0${hex}`;
  const n = hex.length >>> 1;
  const size = length ?? n;
  if (n > size) throw new Error(`bigIntToBytes: 0x${hex} does not fit in ${size} bytes`);
  const out = new Uint8Array(size);
  for (let i = size - n, j = 0; i < size; i++, j += 2) out[i] = (NIBBLE[hex.charCodeAt(j)] << 4) | NIBBLE[hex.charCodeAt(j + 1)];
  return out;
}

/** Writes the `length` bytes of `hex` (with or without `0x`) into `out` at `pos`; the position after them. */
export function hexInto(out: Uint8Array, pos: number, hex: string, length: number): number {
  const start = hasPrefix(hex) ? 2 : 0;
  if (hex.length - start !== 2 * length) throw hexError(hex, undefined, `expected ${length} bytes`);
  for (let i = 0, j = start; i < length; i++, j += 2) {
    const hi = nibbleAt(hex, j);
    const lo = nibbleAt(hex, j + 1);
    if ((hi | lo) < 0) throw hexError(hex, undefined, `non-hex character at position ${hi < 0 ? j : j + 1}`);
    out[pos + i] = (hi << 4) | lo;
  }
  return pos + length;
}

/** Writes `value` big-endian in `length` bytes into `out` at `pos` (it must fit); the position after them. */
export function bigIntInto(out: Uint8Array, pos: number, value: bigint, length: number): number {
  if (value < 0n) throw new Error(`bigIntInto: negative value ${value}`);
  const end = pos + length;
  if (value <= 0xffffffffffffn) {
    let v = Number(value);
    for (let i = end - 1; i >= pos; i--, v = Math.floor(v / 256)) out[i] = v % 256;
    if (v > 0) throw new Error(`bigIntInto: ${value} does not fit in ${length} bytes`);
    return end;
  }
  const hex = value.toString(16);
  const n = (hex.length + 1) >>> 1;
  if (n > length) throw new Error(`bigIntInto: 0x${hex} does not fit in ${length} bytes`);
  out.fill(0, pos, end - n);
  // An odd number of digits: the first byte has one.
  let j = 0, i = end - n;
  if (hex.length & 1) out[i++] = NIBBLE[hex.charCodeAt(j++)];
  for (; i < end; i++, j += 2) out[i] = (NIBBLE[hex.charCodeAt(j)] << 4) | NIBBLE[hex.charCodeAt(j + 1)];
  return end;
}

/** Reads big-endian bytes as an unsigned integer (empty is 0). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length <= 6) {
    let v = 0;
    for (let i = 0; i < bytes.length; i++) v = v * 256 + bytes[i];
    return BigInt(v);
  }
  let s = '0x';
  for (let i = 0; i < bytes.length; i++) s += BYTE_HEX[bytes[i]];
  return BigInt(s);
}

/** Concatenates byte arrays into one new array. */
export function concatBytes(...arrays: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const a of arrays) size += a.length;
  const out = new Uint8Array(size);
  let pos = 0;
  for (const a of arrays) {
    out.set(a, pos);
    pos += a.length;
  }
  return out;
}

/** True when both arrays hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
