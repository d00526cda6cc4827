// keccak-256 as Ethereum uses it: Keccak[c = 512] with the original padding (first pad byte 0x01),
// not FIPS 202 SHA3-256 (0x06). Addresses, storage keys, mapping slots, KECCAK256, CREATE2 and the
// tries all hash through here, so it allocates nothing and is safe on any thread.
//
// The whole sponge runs in one function so that the 25 lanes of the state stay in wasm locals: the
// module runs on many threads over one shared memory with no usable allocator, and locals are what
// V8 keeps in registers. The permutation follows the Keccak team's "simple" implementation, as do
// XKCP and ethash (whose keccak evmone uses): lane A[x][y] is named A<row><column>, rows b g k m s
// for y = 0..4 and columns a e i o u for x = 0..4, so `Age` is A[1][1] and absorbs block bytes
// 8 * (x + 5y) onward.
// The rotation offsets and the π lane order are those of FIPS 202, section 3.2.

/** Bytes absorbed per permutation: (1600 - 2 * 256) / 8 = 136, i.e. lanes 0..16. */
const RATE: usize = 136;

/** Keccak-f[1600] ι constants, one per round; read-only static data (never written at runtime). */
const ROUND_CONSTANTS = memory.data<u64>([
  0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000,
  0x000000000000808b, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
  0x000000000000008a, 0x0000000000000088, 0x0000000080008009, 0x000000008000000a,
  0x000000008000808b, 0x800000000000008b, 0x8000000000008089, 0x8000000000008003,
  0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
  0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008
]);

/**
 * Writes keccak-256 of the `len` bytes at `data` to the 32 bytes at `out`. Any length and any
 * alignment; `out` may overlap the input because it is written only after the last read.
 */
export function keccak256(out: usize, data: usize, len: usize): void {
  let Aba: u64 = 0, Abe: u64 = 0, Abi: u64 = 0, Abo: u64 = 0, Abu: u64 = 0;
  let Aga: u64 = 0, Age: u64 = 0, Agi: u64 = 0, Ago: u64 = 0, Agu: u64 = 0;
  let Aka: u64 = 0, Ake: u64 = 0, Aki: u64 = 0, Ako: u64 = 0, Aku: u64 = 0;
  let Ama: u64 = 0, Ame: u64 = 0, Ami: u64 = 0, Amo: u64 = 0, Amu: u64 = 0;
  let Asa: u64 = 0, Ase: u64 = 0, Asi: u64 = 0, Aso: u64 = 0, Asu: u64 = 0;
  // The state after a round, before it is copied back into A.
  let Eba: u64, Ebe: u64, Ebi: u64, Ebo: u64, Ebu: u64;
  let Ega: u64, Ege: u64, Egi: u64, Ego: u64, Egu: u64;
  let Eka: u64, Eke: u64, Eki: u64, Eko: u64, Eku: u64;
  let Ema: u64, Eme: u64, Emi: u64, Emo: u64, Emu: u64;
  let Esa: u64, Ese: u64, Esi: u64, Eso: u64, Esu: u64;
  let c0: u64, c1: u64, c2: u64, c3: u64, c4: u64;
  let d0: u64, d1: u64, d2: u64, d3: u64, d4: u64;
  let b0: u64, b1: u64, b2: u64, b3: u64, b4: u64;

  let p = data;
  let rem = len;
  while (true) {
    // The block with fewer than RATE bytes left (possibly none) is the last one and carries the
    // padding; an input of exactly k * RATE bytes therefore ends with a block of padding only.
    const last = rem < RATE;
    // Lanes 0..16 in state order, row by row: y = 0 (b), 1 (g), 2 (k), 3 (m).
    Aba ^= lane(p, rem, 0); Abe ^= lane(p, rem, 1); Abi ^= lane(p, rem, 2);
    Abo ^= lane(p, rem, 3); Abu ^= lane(p, rem, 4);
    Aga ^= lane(p, rem, 5); Age ^= lane(p, rem, 6); Agi ^= lane(p, rem, 7);
    Ago ^= lane(p, rem, 8); Agu ^= lane(p, rem, 9);
    Aka ^= lane(p, rem, 10); Ake ^= lane(p, rem, 11); Aki ^= lane(p, rem, 12);
    Ako ^= lane(p, rem, 13); Aku ^= lane(p, rem, 14);
    Ama ^= lane(p, rem, 15); Ame ^= lane(p, rem, 16);
    if (last) Ame ^= 0x8000000000000000; // the closing pad bit, top bit of the block's last byte

    // Keccak-f[1600]: 24 rounds of θ, ρ, π, χ, ι.
    for (let round: usize = 0; round < 24; round++) {
      // θ: every lane of column x takes D[x] = C[x-1] ^ rotl(C[x+1], 1), C = column parity.
      c0 = Aba ^ Aga ^ Aka ^ Ama ^ Asa;
      c1 = Abe ^ Age ^ Ake ^ Ame ^ Ase;
      c2 = Abi ^ Agi ^ Aki ^ Ami ^ Asi;
      c3 = Abo ^ Ago ^ Ako ^ Amo ^ Aso;
      c4 = Abu ^ Agu ^ Aku ^ Amu ^ Asu;
      d0 = c4 ^ rotl<u64>(c1, 1);
      d1 = c0 ^ rotl<u64>(c2, 1);
      d2 = c1 ^ rotl<u64>(c3, 1);
      d3 = c2 ^ rotl<u64>(c4, 1);
      d4 = c3 ^ rotl<u64>(c0, 1);
      // ρ rotates each lane and π moves it; b0..b4 gather the five lanes that land in one row
      // of the next state, and χ (plus ι on the first lane) mixes that row into E.
      b0 = Aba ^ d0;
      b1 = rotl<u64>(Age ^ d1, 44);
      b2 = rotl<u64>(Aki ^ d2, 43);
      b3 = rotl<u64>(Amo ^ d3, 21);
      b4 = rotl<u64>(Asu ^ d4, 14);
      Eba = b0 ^ (~b1 & b2) ^ load<u64>(ROUND_CONSTANTS + (round << 3));
      Ebe = b1 ^ (~b2 & b3);
      Ebi = b2 ^ (~b3 & b4);
      Ebo = b3 ^ (~b4 & b0);
      Ebu = b4 ^ (~b0 & b1);
      b0 = rotl<u64>(Abo ^ d3, 28);
      b1 = rotl<u64>(Agu ^ d4, 20);
      b2 = rotl<u64>(Aka ^ d0, 3);
      b3 = rotl<u64>(Ame ^ d1, 45);
      b4 = rotl<u64>(Asi ^ d2, 61);
      Ega = b0 ^ (~b1 & b2);
      Ege = b1 ^ (~b2 & b3);
      Egi = b2 ^ (~b3 & b4);
      Ego = b3 ^ (~b4 & b0);
      Egu = b4 ^ (~b0 & b1);
      b0 = rotl<u64>(Abe ^ d1, 1);
      b1 = rotl<u64>(Agi ^ d2, 6);
      b2 = rotl<u64>(Ako ^ d3, 25);
      b3 = rotl<u64>(Amu ^ d4, 8);
      b4 = rotl<u64>(Asa ^ d0, 18);
      Eka = b0 ^ (~b1 & b2);
      Eke = b1 ^ (~b2 & b3);
      Eki = b2 ^ (~b3 & b4);
      Eko = b3 ^ (~b4 & b0);
      Eku = b4 ^ (~b0 & b1);
      b0 = rotl<u64>(Abu ^ d4, 27);
      b1 = rotl<u64>(Aga ^ d0, 36);
      b2 = rotl<u64>(Ake ^ d1, 10);
      b3 = rotl<u64>(Ami ^ d2, 15);
      b4 = rotl<u64>(Aso ^ d3, 56);
      Ema = b0 ^ (~b1 & b2);
      Eme = b1 ^ (~b2 & b3);
      Emi = b2 ^ (~b3 & b4);
      Emo = b3 ^ (~b4 & b0);
      Emu = b4 ^ (~b0 & b1);
      b0 = rotl<u64>(Abi ^ d2, 62);
      b1 = rotl<u64>(Ago ^ d3, 55);
      b2 = rotl<u64>(Aku ^ d4, 39);
      b3 = rotl<u64>(Ama ^ d0, 41);
      b4 = rotl<u64>(Ase ^ d1, 2);
      Esa = b0 ^ (~b1 & b2);
      Ese = b1 ^ (~b2 & b3);
      Esi = b2 ^ (~b3 & b4);
      Eso = b3 ^ (~b4 & b0);
      Esu = b4 ^ (~b0 & b1);
      // One round per iteration with a copy back measured faster than two rounds A → E → A
      // per iteration or a fully unrolled permutation: V8 allocates registers better in a small
      // loop body, and the copies are register moves.
      Aba = Eba; Abe = Ebe; Abi = Ebi; Abo = Ebo; Abu = Ebu;
      Aga = Ega; Age = Ege; Agi = Egi; Ago = Ego; Agu = Egu;
      Aka = Eka; Ake = Eke; Aki = Eki; Ako = Eko; Aku = Eku;
      Ama = Ema; Ame = Eme; Ami = Emi; Amo = Emo; Amu = Emu;
      Asa = Esa; Ase = Ese; Asi = Esi; Aso = Eso; Asu = Esu;
    }

    if (last) break;
    p += RATE;
    rem -= RATE;
  }

  // Squeeze: the digest is the first four lanes, little-endian.
  store<u64>(out, Aba);
  store<u64>(out, Abe, 8);
  store<u64>(out, Abi, 16);
  store<u64>(out, Abo, 24);
}

/**
 * Lane `i` of the block at `p` when `rem` input bytes are left from `p`, as a little-endian u64.
 * Past the input it is padding: 0x01 right after the last input byte, then zeros (the closing
 * 0x80 is the caller's). Never reads at or past `p + rem`, so input at the very end of memory is
 * fine. In full blocks the first test always holds, which the branch predictor learns.
 */
// @ts-ignore: decorator
@inline function lane(p: usize, rem: usize, i: usize): u64 {
  const at = i << 3;
  if (rem >= at + 8) return load<u64>(p + at);
  if (rem < at) return 0;
  return tailLane(p + at, rem - at);
}

/** The `k` (0..7) bytes at `p` followed by the 0x01 pad byte, in at most three loads. */
// @ts-ignore: decorator
@inline function tailLane(p: usize, k: usize): u64 {
  let v: u64 = 0;
  let at: usize = 0;
  if (k & 4) { v = <u64>load<u32>(p); at = 4; }
  if (k & 2) { v |= <u64>load<u16>(p + at) << (at << 3); at += 2; }
  if (k & 1) { v |= <u64>load<u8>(p + at) << (at << 3); }
  return v | (<u64>1 << (k << 3));
}
