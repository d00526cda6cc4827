// Root hashes of hexary Merkle-Patricia tries (Yellow Paper appendix D), computed from the full
// key/value set in one pass: sort the keys, then recurse over nibble ranges. Every node's RLP is
// written into one growable stack buffer; a finished child is replaced in place by its reference
// (its own RLP when shorter than 32 bytes, else the RLP string of its keccak-256), so no node objects
// or databases exist.

import { bytesToHex, hexToBytes, keccak256 } from '../bytes.js';
import { encodeUint, rlpEncode, rlpHeaderLength, writeRlpHeader } from '../rlp.js';

/** Root of the empty trie: keccak256(rlp('')). */
export const EMPTY_TRIE_ROOT: Uint8Array = hexToBytes('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');

/** A trie entry: key bytes and a non-empty value (an empty value means "absent" in a trie). */
export type TrieEntry = [key: Uint8Array, value: Uint8Array];

/** Room left in front of each node for its list header (1 + up to 8 length bytes). */
const HEADER_ROOM = 9;
const EMPTY_STRING = 0x80;
const HASH_REF = 0x80 + 32;

/** Nibble `i` of `key` (high half of each byte first). */
function nibble(key: Uint8Array, i: number): number {
  return (key[i >> 1] >> ((~i & 1) << 2)) & 15;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

class RootBuilder {
  private buf: Uint8Array;
  private top = 0;

  /** `keys` sorted ascending and unique; `values` non-empty. */
  constructor(
    private readonly keys: Uint8Array[],
    private readonly values: Uint8Array[],
    capacity: number,
  ) {
    this.buf = new Uint8Array(capacity);
  }

  root(): Uint8Array {
    const begin = this.node(0, this.keys.length, 0);
    return keccak256(this.buf.subarray(begin, this.top));
  }

  private ensure(n: number): void {
    if (this.top + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.top + n));
    grown.set(this.buf.subarray(0, this.top));
    this.buf = grown;
  }

  // Writes the node for keys[lo, hi), whose first `depth` nibbles are already consumed, at the top
  // of the stack and returns where its RLP begins (it ends at `top`).
  private node(lo: number, hi: number, depth: number): number {
    const headerAt = this.top;
    this.ensure(HEADER_ROOM);
    this.top += HEADER_ROOM;
    const keys = this.keys;
    if (hi - lo === 1) {
      const key = keys[lo];
      this.writePath(key, depth, key.length * 2, true);
      this.writeString(this.values[lo]);
    } else {
      // Sorted keys: the prefix shared by the first and last is shared by all.
      const first = keys[lo];
      const last = keys[hi - 1];
      const limit = Math.min(first.length, last.length) * 2;
      let d = depth;
      while (d < limit && nibble(first, d) === nibble(last, d)) d++;
      if (d > depth) {
        this.writePath(first, depth, d, false);
        this.ref(lo, hi, d);
      } else {
        this.branch(lo, hi, depth);
      }
    }
    const payload = this.top - headerAt - HEADER_ROOM;
    const begin = headerAt + HEADER_ROOM - rlpHeaderLength(payload);
    writeRlpHeader(this.buf, begin, payload, true);
    return begin;
  }

  // Writes the reference to the node for keys[lo, hi) at the top of the stack.
  private ref(lo: number, hi: number, depth: number): void {
    const start = this.top;
    const begin = this.node(lo, hi, depth);
    const length = this.top - begin;
    if (length < 32) {
      this.buf.copyWithin(start, begin, this.top);
      this.top = start + length;
    } else {
      // The node occupied at least HEADER_ROOM - 3 + 32 bytes from `start`: room for the 33 written.
      const hash = keccak256(this.buf.subarray(begin, this.top));
      this.buf[start] = HASH_REF;
      this.buf.set(hash, start + 1);
      this.top = start + 33;
    }
  }

  // Branch payload: 16 child references by the nibble at `depth`, then the value of the key that
  // ends exactly here, if any (it sorts first).
  private branch(lo: number, hi: number, depth: number): void {
    const keys = this.keys;
    let i = lo;
    const valueAt = keys[lo].length * 2 === depth ? i++ : -1;
    for (let n = 0; n < 16; n++) {
      if (i < hi && nibble(keys[i], depth) === n) {
        let j = i + 1;
        while (j < hi && nibble(keys[j], depth) === n) j++;
        this.ref(i, j, depth + 1);
        i = j;
      } else {
        this.ensure(1);
        this.buf[this.top++] = EMPTY_STRING;
      }
    }
    if (valueAt >= 0) {
      this.writeString(this.values[valueAt]);
    } else {
      this.ensure(1);
      this.buf[this.top++] = EMPTY_STRING;
    }
  }

  // Hex-prefix encoding (appendix C) of nibbles [from, to) of `key`, as an RLP string.
  private writePath(key: Uint8Array, from: number, to: number, leaf: boolean): void {
    const count = to - from;
    const odd = count & 1;
    const size = (count >> 1) + 1;
    this.ensure(size + 9);
    const buf = this.buf;
    let pos = this.top;
    if (size > 1) pos = writeRlpHeader(buf, pos, size, false);
    // First byte: flags (2 = leaf, 1 = odd length) in the high nibble, the odd nibble in the low one;
    // it is always below 0x80, so a one-byte path is its own RLP.
    const flags = (leaf ? 2 : 0) | odd;
    buf[pos++] = odd ? (flags << 4) | nibble(key, from) : flags << 4;
    for (let i = from + odd; i < to; i += 2) buf[pos++] = (nibble(key, i) << 4) | nibble(key, i + 1);
    this.top = pos;
  }

  private writeString(value: Uint8Array): void {
    this.ensure(value.length + 9);
    if (value.length === 1 && value[0] < EMPTY_STRING) {
      this.buf[this.top++] = value[0];
      return;
    }
    this.top = writeRlpHeader(this.buf, this.top, value.length, false);
    this.buf.set(value, this.top);
    this.top += value.length;
  }
}

// An entry as sorted internally; `shown` is the key to name in errors when `key` is its hash.
export type OwnedEntry = [key: Uint8Array, value: Uint8Array, shown?: Uint8Array];

// Root of the trie holding `entries`, an array this function owns (it is sorted in place). `what`
// names a key in error messages.
function rootOf(entries: OwnedEntry[], what: string): Uint8Array {
  if (entries.length === 0) return EMPTY_TRIE_ROOT.slice();
  entries.sort((a, b) => compareBytes(a[0], b[0]));
  const keys = new Array<Uint8Array>(entries.length);
  const values = new Array<Uint8Array>(entries.length);
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    const [key, value, shown] = entries[i];
    if (i > 0 && compareBytes(keys[i - 1], key) === 0) throw new Error(`trie: duplicate ${what} ${bytesToHex(shown ?? key)}`);
    if (value.length === 0) throw new Error(`trie: empty value for ${what} ${bytesToHex(shown ?? key)}`);
    keys[i] = key;
    values[i] = value;
    bytes += key.length + value.length;
  }
  // A guess that avoids growing in the common case; the builder grows when it is short.
  return new RootBuilder(keys, values, Math.min(2 * bytes + 64 * entries.length + 256, 1 << 24)).root();
}

function checkEntry(entry: TrieEntry, fn: string): TrieEntry {
  if (!(entry[0] instanceof Uint8Array) || !(entry[1] instanceof Uint8Array)) {
    throw new TypeError(`${fn}: an entry must be [key: Uint8Array, value: Uint8Array]`);
  }
  return entry;
}

/** Root hash of the trie holding these key/value pairs (keys unique, any order; values non-empty). */
export function trieRoot(entries: Iterable<TrieEntry>): Uint8Array {
  const all: OwnedEntry[] = [];
  for (const e of entries) all.push(checkEntry(e, 'trieRoot'));
  return rootOf(all, 'key');
}

/** Root hash of the "secure" trie: as {@link trieRoot} with every key replaced by its keccak-256. */
export function secureTrieRoot(entries: Iterable<TrieEntry>): Uint8Array {
  const all: OwnedEntry[] = [];
  for (const e of entries) {
    const [key, value] = checkEntry(e, 'secureTrieRoot');
    all.push([keccak256(key), value, key]);
  }
  return rootOf(all, 'key');
}

/**
 * Secure-trie root from [key, value] pairs this module's callers build and own (no copy, no checks
 * beyond rootOf's); `what` names a key in errors. Internal to src/trie.
 */
export function secureRootOfOwned(entries: OwnedEntry[], what: string): Uint8Array {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    e[2] = e[0];
    e[0] = keccak256(e[0]);
  }
  return rootOf(entries, what);
}

/** Root hash of a list stored under key rlp(index), as for transactions, receipts and withdrawals. */
export function orderedTrieRoot(values: readonly Uint8Array[]): Uint8Array {
  const all = new Array<OwnedEntry>(values.length);
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] instanceof Uint8Array)) throw new TypeError(`orderedTrieRoot: value ${i} is not a Uint8Array`);
    all[i] = [rlpEncode(encodeUint(i)), values[i]];
  }
  return rootOf(all, 'index key');
}
