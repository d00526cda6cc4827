// Hashing of addresses and storage keys for the open-addressing tables. Keys are words in the
// core's little-endian limb form; test addresses and slots are often tiny numbers, so mix all limbs.

@inline function mix(x: u64): u32 {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccd;
  x ^= x >> 33;
  return <u32>x;
}

/** Hash of an address word (limbs 0..2). */
@inline export function hashAddress(a: usize): u32 {
  return mix(load<u64>(a) ^ rotl<u64>(load<u64>(a, 8), 21) ^ rotl<u64>(load<u64>(a, 16), 42));
}

/** Hash of a 256-bit storage key. */
@inline export function hashWord(k: usize): u32 {
  return mix(load<u64>(k) ^ rotl<u64>(load<u64>(k, 8), 17) ^ rotl<u64>(load<u64>(k, 16), 34) ^
    rotl<u64>(load<u64>(k, 24), 51));
}

/** Hash of an (address, key) pair, for transient storage. */
@inline export function hashAddressWord(a: usize, k: usize): u32 {
  return hashWord(k) ^ (hashAddress(a) * 0x9e3779b9);
}

@inline export function addressEquals(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a, 8) == load<u64>(b, 8) && load<u64>(a, 16) == load<u64>(b, 16);
}

@inline export function wordEquals(a: usize, b: usize): bool {
  return load<u64>(a) == load<u64>(b) && load<u64>(a, 8) == load<u64>(b, 8) &&
    load<u64>(a, 16) == load<u64>(b, 16) && load<u64>(a, 24) == load<u64>(b, 24);
}
