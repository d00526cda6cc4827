// POP, PUSH0..PUSH32, DUP1..DUP16, SWAP1..SWAP16.

import * as u256 from "../../u256";

/** PUSHn: reads n big-endian immediate bytes at pc (code is padded, so no bounds check). */
@inline export function push(sp: usize, pc: usize, n: usize): void {
  if (n <= 8) {
    // Assemble the value from its bytes; most pushes are short.
    let v: u64 = 0;
    for (let i: usize = 0; i < n; i++) v = (v << 8) | <u64>load<u8>(pc + i);
    store<u64>(sp, v);
    store<u64>(sp, 0, 8);
    store<u64>(sp, 0, 16);
    store<u64>(sp, 0, 24);
  } else {
    u256.fromBigEndian(sp, pc, n);
  }
}

@inline export function push0(sp: usize): void {
  store<u64>(sp, 0);
  store<u64>(sp, 0, 8);
  store<u64>(sp, 0, 16);
  store<u64>(sp, 0, 24);
}

/** DUPn: copies the n-th item (1 = top) onto the top. */
@inline export function dup(sp: usize, n: usize): void {
  const src = sp - (n << 5);
  store<u64>(sp, load<u64>(src));
  store<u64>(sp, load<u64>(src, 8), 8);
  store<u64>(sp, load<u64>(src, 16), 16);
  store<u64>(sp, load<u64>(src, 24), 24);
}

/** SWAPn: exchanges the top with the (n+1)-th item. */
@inline export function swap(sp: usize, n: usize): void {
  const a = sp - 32;
  const b = sp - ((n + 1) << 5);
  const a0 = load<u64>(a), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24);
  store<u64>(a, load<u64>(b));
  store<u64>(a, load<u64>(b, 8), 8);
  store<u64>(a, load<u64>(b, 16), 16);
  store<u64>(a, load<u64>(b, 24), 24);
  store<u64>(b, a0);
  store<u64>(b, a1, 8);
  store<u64>(b, a2, 16);
  store<u64>(b, a3, 24);
}
