// Recursive Length Prefix, Yellow Paper appendix B. Encoding measures first and writes into one
// allocation; decoding is strict: only the canonical encoding of an item is accepted.

import { bigIntToBytes } from './bytes.js';

/** An RLP item: a byte string or a list of items. */
export type RlpInput = Uint8Array | RlpInput[];

const STRING_OFFSET = 0x80;
const LIST_OFFSET = 0xc0;
/** Payloads shorter than this take a one-byte header; longer ones a length-of-length header. */
const SHORT_LIMIT = 56;

/** Number of bytes in the minimal big-endian form of a positive safe integer. */
function byteLength(n: number): number {
  let k = 1;
  while (n >= 256) {
    n = Math.floor(n / 256);
    k++;
  }
  return k;
}

/** Length of the header in front of a payload of `payloadLength` bytes (string or list). */
export function rlpHeaderLength(payloadLength: number): number {
  return payloadLength < SHORT_LIMIT ? 1 : 1 + byteLength(payloadLength);
}

/**
 * Writes the header of a string (`list` false) or list payload of `payloadLength` bytes at `pos` and
 * returns the position after it. Does not handle the single-byte string form; callers check that.
 */
export function writeRlpHeader(out: Uint8Array, pos: number, payloadLength: number, list: boolean): number {
  const offset = list ? LIST_OFFSET : STRING_OFFSET;
  if (payloadLength < SHORT_LIMIT) {
    out[pos] = offset + payloadLength;
    return pos + 1;
  }
  const k = byteLength(payloadLength);
  out[pos] = offset + SHORT_LIMIT - 1 + k;
  for (let i = k, n = payloadLength; i >= 1; i--, n = Math.floor(n / 256)) out[pos + i] = n % 256;
  return pos + 1 + k;
}

function stringLength(b: Uint8Array): number {
  return b.length === 1 && b[0] < STRING_OFFSET ? 1 : rlpHeaderLength(b.length) + b.length;
}

// Encoded length of `item`; list payload lengths are pushed to `lens` in pre-order so that the
// write pass does not measure nested lists again.
function measure(item: RlpInput, lens: number[]): number {
  if (item instanceof Uint8Array) return stringLength(item);
  if (!Array.isArray(item)) throw new TypeError(`rlpEncode: expected Uint8Array or array, got ${describe(item)}`);
  const slot = lens.length;
  lens.push(0);
  let payload = 0;
  for (let i = 0; i < item.length; i++) payload += measure(item[i], lens);
  lens[slot] = payload;
  return rlpHeaderLength(payload) + payload;
}

interface Cursor {
  pos: number;
  list: number;
}

function write(item: RlpInput, out: Uint8Array, lens: number[], c: Cursor): void {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0] < STRING_OFFSET) {
      out[c.pos++] = item[0];
      return;
    }
    c.pos = writeRlpHeader(out, c.pos, item.length, false);
    out.set(item, c.pos);
    c.pos += item.length;
    return;
  }
  c.pos = writeRlpHeader(out, c.pos, lens[c.list++], true);
  for (let i = 0; i < item.length; i++) write(item[i], out, lens, c);
}

/** RLP-encodes a byte string or a (nested) list of them. */
export function rlpEncode(input: RlpInput): Uint8Array {
  if (input instanceof Uint8Array) {
    const out = new Uint8Array(stringLength(input));
    write(input, out, [], { pos: 0, list: 0 });
    return out;
  }
  const lens: number[] = [];
  const out = new Uint8Array(measure(input, lens));
  write(input, out, lens, { pos: 0, list: 0 });
  return out;
}

/** Minimal big-endian bytes of an unsigned integer, empty for 0: how RLP carries scalars. */
export function encodeUint(value: bigint | number): Uint8Array {
  if (typeof value === 'bigint') return bigIntToBytes(value);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`encodeUint: not an unsigned safe integer: ${value}`);
  const out = new Uint8Array(value === 0 ? 0 : byteLength(value));
  for (let i = out.length - 1, n = value; i >= 0; i--, n = Math.floor(n / 256)) out[i] = n % 256;
  return out;
}

/** RLP encoding of an unsigned integer (0 → 0x80, 1024 → 0x820400). */
export function rlpEncodeUint(value: bigint | number): Uint8Array {
  return rlpEncode(encodeUint(value));
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function invalid(pos: number, why: string): Error {
  return new Error(`invalid RLP at offset ${pos}: ${why}`);
}

class Decoder {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  // Reads the item at `pos`, which must end at or before `end`.
  item(end: number): RlpInput {
    const bytes = this.bytes;
    const at = this.pos;
    const b = bytes[at];
    if (b < STRING_OFFSET) {
      this.pos = at + 1;
      return bytes.subarray(at, at + 1);
    }
    const list = b >= LIST_OFFSET;
    const short = b - (list ? LIST_OFFSET : STRING_OFFSET);
    let length: number;
    let start: number;
    if (short < SHORT_LIMIT) {
      length = short;
      start = at + 1;
    } else {
      const k = short - (SHORT_LIMIT - 1);
      start = at + 1 + k;
      if (start > end) throw invalid(at, `length of length ${k} runs past the end of the input`);
      if (bytes[at + 1] === 0) throw invalid(at, 'length has leading zero bytes');
      // Seven or more length bytes mean at least 2^48: beyond any input, and beyond exact doubles.
      if (k > 6) throw invalid(at, `${list ? 'list' : 'string'} length of ${k} bytes exceeds the input`);
      length = 0;
      for (let i = at + 1; i < start; i++) length = length * 256 + bytes[i];
      if (length < SHORT_LIMIT) throw invalid(at, `long form used for a length of ${length} (< 56)`);
    }
    const stop = start + length;
    if (stop > end) {
      throw invalid(at, `${list ? 'list' : 'string'} of ${length} bytes needs ${stop - end} more than available`);
    }
    this.pos = stop;
    if (!list) {
      if (length === 1 && bytes[start] < STRING_OFFSET) {
        throw invalid(at, `single byte 0x${bytes[start].toString(16).padStart(2, '0')} must encode as itself`);
      }
      return bytes.subarray(start, stop);
    }
    const items: RlpInput[] = [];
    this.pos = start;
    while (this.pos < stop) items.push(this.item(stop));
    return items;
  }
}

/**
 * Decodes exactly one canonical RLP item that spans all of `bytes`; throws on anything else
 * (truncation, trailing bytes, non-minimal lengths, a single byte below 0x80 wrapped as a string).
 * Decoded strings are views into `bytes`, not copies.
 */
export function rlpDecode(bytes: Uint8Array): RlpInput {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`rlpDecode: expected Uint8Array, got ${describe(bytes)}`);
  if (bytes.length === 0) throw invalid(0, 'empty input');
  const d = new Decoder(bytes);
  const item = d.item(bytes.length);
  if (d.pos !== bytes.length) throw invalid(d.pos, `${bytes.length - d.pos} trailing bytes after the item`);
  return item;
}
