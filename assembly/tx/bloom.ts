// Logs blooms (yellow paper, section 4.3.1): each log's address and topics set three bits each,
// taken from their keccak-256. The same token addresses and event signatures recur in most of a
// block's logs, so the bits of recent items are kept in a small direct-mapped cache per instance
// (layout.ts bloomCache) and a hit costs no hash.

import * as u256 from "../u256";
import { BLOOM_CACHE_ENTRIES, BLOOM_CACHE_ENTRY, bloomCache, scratch } from "../layout";
import { keccak256 } from "../crypto/keccak";

// A cache entry: the item as stored (a little-endian word, 32 bytes), its kind, its three bit indexes (u16 each).
const BC_KIND: usize = 32;
const BC_BITS: usize = 36;
/** An address is hashed as its 20 bytes, a topic as its 32: the same word gives different bits. */
export const ITEM_ADDRESS: u32 = 1;
export const ITEM_TOPIC: u32 = 2;

/** Sets in `bloom` (256 bytes) the three bits of the item: the little-endian word at `word`, of `kind`. */
export function addToBloom(bloom: usize, word: usize, kind: u32): void {
  const entry = bitsOf(word, kind);
  for (let i: usize = 0; i < 3; i++) {
    const bit = <u32>load<u16>(entry + BC_BITS + (i << 1));
    const at = bloom + 255 - <usize>(bit >> 3);
    store<u8>(at, load<u8>(at) | <u8>(<u32>1 << (bit & 7)));
  }
}

/** The cache entry holding the item's bits, filled first on a miss. */
function bitsOf(word: usize, kind: u32): usize {
  const w0 = load<u64>(word), w1 = load<u64>(word, 8), w2 = load<u64>(word, 16), w3 = load<u64>(word, 24);
  // Fibonacci hashing of the folded word: the top bits of the product pick the entry.
  const slot = <usize>(((w0 ^ w1 ^ w2 ^ w3 ^ <u64>kind) * 0x9e3779b97f4a7c15) >> 56);
  const entry = bloomCache + slot * BLOOM_CACHE_ENTRY;
  if (load<u32>(entry + BC_KIND) == kind && load<u64>(entry) == w0 && load<u64>(entry, 8) == w1 &&
    load<u64>(entry, 16) == w2 && load<u64>(entry, 24) == w3) return entry;
  const be = scratch + 192;
  const hash = scratch + 224;
  u256.toBigEndian(be, word);
  if (kind == ITEM_ADDRESS) keccak256(hash, be + 12, 20);
  else keccak256(hash, be, 32);
  // Each pair of the hash's first six bytes, mod 2048, is a bit index.
  for (let i: usize = 0; i < 3; i++) {
    store<u16>(entry + BC_BITS + (i << 1), <u16>(((<u32>load<u8>(hash + (i << 1)) << 8) | <u32>load<u8>(hash + (i << 1) + 1)) & 2047));
  }
  memory.copy(entry, word, 32);
  store<u32>(entry + BC_KIND, kind);
  return entry;
}
