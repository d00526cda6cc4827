// The root of an ordered trie (Yellow Paper appendix D: values under key rlp(index), as for
// receipts), in two steps so that threads can share the work: every leaf's hash, each on its own
// (any thread, any order), with the bottom branches of the groups of leaves it completes
// (`orderedBottoms`), then the nodes above them on one thread.
//
// The trie's shape depends only on the number of values n. The keys rlp(i) sort as 1..127 (one
// byte each), then 0 (0x80), then 128, 129, ... (0x81 xx, 0x82 xx xx, ...); no key is a prefix of
// another. A leaf hangs one nibble below the longest prefix its key shares with a sorted neighbour.
// Values are at least 32 bytes (a receipt holds a 256-byte bloom), so every node is at least 32
// bytes and every reference to a node is its hash.

import { keccak256 } from "../crypto/keccak";

// Working memory of `orderedRoot`: one node encoding per level. Keys are at most 5 bytes (n < 2^32),
// 10 nibbles, and each nibble takes a branch and at most one extension.
const LEVELS: usize = 24;
const LEVEL_BYTES: usize = 17 * 33 + 8;

/** Bytes a value needs free in front of it for `orderedLeafHash` to write the leaf's headers. */
export const LEAF_ROOM: usize = 32;
/** Bytes of working memory `orderedRoot` needs. */
export const ORDERED_ROOT_WORK: usize = LEVELS * LEVEL_BYTES;
/** Bytes of working memory `orderedBottoms` needs: a branch and the level below it. */
export const ORDERED_BOTTOMS_WORK: usize = 2 * LEVEL_BYTES;

// From index 128 on, the keys of an aligned group of 16 differ in their last nibble only (the
// lengths change at 256, 65536, …): each such group whose 16 leaves exist is one branch at the
// bottom of the trie. After the n leaf hashes lie, per group, a flag byte and that branch's hash.
const GROUP: u32 = 16;
const FIRST_GROUP: u32 = 128;
const GROUP_ENTRY: usize = 33;

/** Bytes a trie of n values needs for its leaf hashes and bottom branches (the flags zeroed before the leaves are hashed). */
export function orderedLeavesBytes(n: u32): usize {
  return (<usize>n << 5) + <usize>((n + GROUP - 1) / GROUP) * GROUP_ENTRY;
}

@inline function groupEntry(first: u32, n: u32, leaves: usize): usize {
  return leaves + (<usize>n << 5) + <usize>(first / GROUP) * GROUP_ENTRY;
}

/** Whether sorted positions [lo, hi) at `depth` are a bottom branch; its group's first index if so, else 0. */
function bottomGroup(lo: u32, hi: u32, depth: u32, n: u32): u32 {
  if (hi - lo != GROUP) return 0;
  const first = sortedAt(lo, n);
  return first >= FIRST_GROUP && first % GROUP == 0 && depth == keyNibbles(first) - 1 ? first : 0;
}

/**
 * Once leaves [from, to) of n are hashed (at `leaves`, orderedLeavesBytes(n) bytes): hashes the
 * bottom branches of the groups that lie within, for orderedRoot. `work` is ORDERED_BOTTOMS_WORK bytes.
 */
export function orderedBottoms(from: u32, to: u32, n: u32, leaves: usize, work: usize): void {
  let first = (from + GROUP - 1) / GROUP * GROUP;
  if (first < FIRST_GROUP) first = FIRST_GROUP;
  for (; first + GROUP <= to && first + GROUP <= n; first += GROUP) {
    const lo = positionOf(first, n);
    const entry = groupEntry(first, n, leaves);
    branchHash(lo, lo + GROUP, keyNibbles(first) - 1, n, leaves, work, entry + 1);
    store<u8>(entry, 1);
  }
}
const HASH_REF: u8 = 0x80 + 32;
const EMPTY: u8 = 0x80;

/** Bytes of i as a big-endian number without leading zeros. */
@inline function byteLength(i: u32): u32 {
  return 4 - (clz<u32>(i) >> 3);
}

/** Nibbles of rlp(i). */
@inline function keyNibbles(i: u32): u32 {
  return i < 128 ? 2 : 2 * (1 + byteLength(i));
}

/** Nibble d of rlp(i) (high half of each byte first). */
function keyNibble(i: u32, d: u32): u32 {
  let byte: u32;
  if (i == 0) byte = 0x80;
  else if (i < 128) byte = i;
  else {
    const len = byteLength(i);
    const b = d >> 1;
    byte = b == 0 ? 0x80 + len : (i >> ((len - b) << 3)) & 0xff;
  }
  return (d & 1) == 0 ? byte >> 4 : byte & 15;
}

/** The index at sorted position p of n keys. */
function sortedAt(p: u32, n: u32): u32 {
  const small: u32 = n - 1 < 127 ? n - 1 : 127; // keys 1..small come first
  if (p < small) return p + 1;
  return p == small ? 0 : 128 + (p - small - 1);
}

/** The sorted position of index i among n keys (the inverse of sortedAt). */
function positionOf(i: u32, n: u32): u32 {
  const small: u32 = n - 1 < 127 ? n - 1 : 127;
  if (i == 0) return small;
  return i < 128 ? i - 1 : small + 1 + (i - 128);
}

/** Nibbles rlp(a) and rlp(b) share from `from` on, counted from the start of the key. */
function sharedNibbles(a: u32, b: u32, from: u32): u32 {
  const na = keyNibbles(a), nb = keyNibbles(b);
  const limit = na < nb ? na : nb;
  let d = from;
  while (d < limit && keyNibble(a, d) == keyNibble(b, d)) d++;
  return d;
}

/** Writes the hex-prefix encoding (appendix C) of nibbles [from, to) of rlp(i) as an RLP string; returns its end. */
function writePath(p: usize, i: u32, from: u32, to: u32, leaf: bool): usize {
  const count = to - from;
  const odd = count & 1;
  const size = (count >> 1) + 1;
  if (size > 1) store<u8>(p++, <u8>(0x80 + size));
  const flags = (leaf ? 2 : 0) | odd;
  // The first byte is below 0x80, so a one-byte path is its own RLP.
  store<u8>(p++, <u8>(odd != 0 ? (flags << 4) | keyNibble(i, from) : flags << 4));
  for (let d = from + odd; d < to; d += 2) store<u8>(p++, <u8>((keyNibble(i, d) << 4) | keyNibble(i, d + 1)));
  return p;
}

/** Bytes of an RLP header for a payload of `len` bytes. */
@inline function headerSize(len: usize): usize {
  return len < 56 ? 1 : 1 + <usize>(4 - (clz<u32>(<u32>len) >> 3));
}

/** Writes an RLP string or list header for `len` bytes at p; returns the position after it. */
function writeHeader(p: usize, len: usize, list: bool): usize {
  const base: u32 = list ? 0xc0 : 0x80;
  if (len < 56) {
    store<u8>(p, <u8>(base + <u32>len));
    return p + 1;
  }
  const bytes = <u32>headerSize(len) - 1;
  store<u8>(p, <u8>(base + 55 + bytes));
  for (let k: u32 = 0; k < bytes; k++) store<u8>(p + 1 + k, <u8>(len >> ((bytes - 1 - k) << 3)));
  return p + 1 + bytes;
}

/**
 * Writes to `out` the hash of the leaf holding value i of n: the `len` bytes at `value`, which has
 * LEAF_ROOM bytes free in front of it (the leaf's headers go there) and is at least 32 bytes long.
 */
export function orderedLeafHash(i: u32, n: u32, value: usize, len: usize, out: usize): void {
  let consumed: u32 = 0;
  if (n > 1) {
    const p = positionOf(i, n);
    if (p > 0) consumed = sharedNibbles(i, sortedAt(p - 1, n), 0);
    if (p + 1 < n) {
      const next = sharedNibbles(i, sortedAt(p + 1, n), 0);
      if (next > consumed) consumed = next;
    }
    consumed++;
  }
  // Path and value header into a scratch spot in the room, then moved flush against the value.
  const path = value - LEAF_ROOM;
  let q = writePath(path, i, consumed, keyNibbles(i), true);
  q = writeHeader(q, len, false);
  const prefix = q - path;
  const payload = prefix + len;
  const start = value - prefix - headerSize(payload);
  memory.copy(value - prefix, path, prefix);
  writeHeader(start, payload, true);
  keccak256(out, start, value + len - start);
}

/**
 * Writes to `out` the root of the ordered trie of n ≥ 1 values whose leaf hashes (orderedLeafHash)
 * are at `leaves`, 32 bytes each in index order, then the bottom branches' flags and hashes
 * (orderedLeavesBytes; those not flagged are hashed here); `work` is ORDERED_ROOT_WORK bytes.
 */
export function orderedRoot(n: u32, leaves: usize, work: usize, out: usize): void {
  nodeHash(0, n, 0, n, leaves, work, out);
}

// The hash of the node for sorted positions [lo, hi) whose first `depth` nibbles are consumed; `work`
// is this level's encoding space, deeper levels use what follows it.
function nodeHash(lo: u32, hi: u32, depth: u32, n: u32, leaves: usize, work: usize, out: usize): void {
  if (hi - lo == 1) {
    memory.copy(out, leaves + (<usize>sortedAt(lo, n) << 5), 32);
    return;
  }
  const first = sortedAt(lo, n);
  const shared = sharedNibbles(first, sortedAt(hi - 1, n), depth);
  if (shared == depth) {
    branchHash(lo, hi, depth, n, leaves, work, out);
    return;
  }
  // An extension: [path, hash of the branch below].
  const ref = work + LEVEL_BYTES - 33;
  branchHash(lo, hi, shared, n, leaves, work + LEVEL_BYTES, ref + 1);
  store<u8>(ref, HASH_REF);
  const path = work + 8;
  const pathEnd = writePath(path, first, depth, shared, false);
  memory.copy(pathEnd, ref, 33);
  const payload = pathEnd + 33 - path;
  const start = path - headerSize(payload);
  writeHeader(start, payload, true);
  keccak256(out, start, path + payload - start);
}

// A branch at `depth`: sixteen children by the nibble there, and an empty value (no key ends here).
function branchHash(lo: u32, hi: u32, depth: u32, n: u32, leaves: usize, work: usize, out: usize): void {
  const group = bottomGroup(lo, hi, depth, n);
  if (group != 0 && load<u8>(groupEntry(group, n, leaves)) != 0) {
    memory.copy(out, groupEntry(group, n, leaves) + 1, 32);
    return;
  }
  const body = work + 8;
  let p = body;
  let pos = lo;
  for (let nib: u32 = 0; nib < 16; nib++) {
    // Keys sort by their nibbles, so in this node the nibble at `depth` never decreases along the
    // sorted positions: the run of `nib` ends at the first position past it.
    let end = pos, above = hi;
    while (end < above) {
      const mid = (end + above) >> 1;
      if (keyNibble(sortedAt(mid, n), depth) <= nib) end = mid + 1;
      else above = mid;
    }
    if (end == pos) {
      store<u8>(p++, EMPTY);
      continue;
    }
    store<u8>(p, HASH_REF);
    nodeHash(pos, end, depth + 1, n, leaves, work + LEVEL_BYTES, p + 1);
    p += 33;
    pos = end;
  }
  store<u8>(p++, EMPTY);
  const payload = p - body;
  const start = body - headerSize(payload);
  writeHeader(start, payload, true);
  keccak256(out, start, p - start);
}
