// The wasm ordered trie (assembly/trie/ordered.ts: leaf hashes in any order, the bottom branches of
// some ranges of them, then the nodes above), against the TypeScript builder (orderedTrieRoot, itself
// checked against @ethereumjs/mpt), at the counts where the keys rlp(i) change shape and at random ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex } from '../../src/bytes.js';
import { orderedTrieRoot } from '../../src/trie/index.js';
import { loadTestingWasm } from '../helpers/testing-wasm.js';
import { prng } from '../helpers/random.js';

interface OrderedExports {
  orderedLeafHash(i: number, n: number, value: number, len: number, out: number): void;
  orderedRoot(n: number, leaves: number, work: number, out: number): void;
  orderedBottoms(from: number, to: number, n: number, leaves: number, work: number): void;
  orderedLeavesBytes(n: number): number;
  leafRoom(): number;
  orderedRootWork(): number;
  orderedBottomsWork(): number;
}

const { exports: wasm, memory, scratch } = await loadTestingWasm<OrderedExports>();

/**
 * The wasm root of `values` (each at least 32 bytes), hashing the leaves in a shuffled order, and the
 * bottom branches of each aligned range of `chunk` leaves with probability `bottoms` (as the threads
 * hashing a block's receipts do; the rest are left to orderedRoot).
 */
function wasmRoot(values: Uint8Array[], seed: number, bottoms = 0, chunk = 32): string {
  const n = values.length;
  const rand = prng(seed);
  const room = wasm.leafRoom();
  const work = scratch;
  const out = work + Math.max(wasm.orderedRootWork(), wasm.orderedBottomsWork());
  const leaves = out + 64;
  let free = leaves + wasm.orderedLeavesBytes(n);
  const need = free + values.reduce((a, v) => a + room + v.length + 8, 0);
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  const heap = new Uint8Array(memory.buffer);
  heap.fill(0, leaves + 32 * n, free);
  const order = values.map((_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (const i of order) {
    const value = free + room;
    heap.set(values[i], value);
    wasm.orderedLeafHash(i, n, value, values[i].length, leaves + 32 * i);
    free = value + values[i].length + 8;
  }
  for (let from = 0; from < n; from += chunk) if (rand() < bottoms) wasm.orderedBottoms(from, Math.min(n, from + chunk), n, leaves, work);
  wasm.orderedRoot(n, leaves, work, out);
  return bytesToHex(new Uint8Array(memory.buffer).slice(out, out + 32));
}

function randomValues(n: number, seed: number, sizes: () => number): Uint8Array[] {
  const rand = prng(seed);
  return Array.from({ length: n }, () => Uint8Array.from({ length: sizes() }, () => Math.floor(rand() * 256)));
}

describe('ordered trie in wasm', () => {
  it('equals orderedTrieRoot at every count where the keys change shape', () => {
    const rand = prng(7);
    for (const n of [1, 2, 3, 15, 16, 17, 127, 128, 129, 130, 143, 144, 255, 256, 257, 271, 4095, 4096, 4097]) {
      const values = randomValues(n, n, () => 32 + Math.floor(rand() * 100));
      assert.equal(wasmRoot(values, n), bytesToHex(orderedTrieRoot(values)), `n = ${n}`);
    }
  });

  it('equals orderedTrieRoot at random counts and value sizes (header lengths of 1, 2 and 3 bytes)', () => {
    const rand = prng(11);
    for (let round = 0; round < 20; round++) {
      const n = 1 + Math.floor(rand() * 2500);
      const values = randomValues(n, 100 + round, () => (rand() < 0.01 ? 300 + Math.floor(rand() * 70_000) : 32 + Math.floor(rand() * 400)));
      assert.equal(wasmRoot(values, round), bytesToHex(orderedTrieRoot(values)), `round ${round}, n = ${n}`);
    }
  });

  it('a count past 65,535 (four-byte keys)', () => {
    const values = randomValues(65_600, 3, () => 32);
    assert.equal(wasmRoot(values, 3, 0.5), bytesToHex(orderedTrieRoot(values)));
  });

  it('the same root whichever bottom branches were hashed with the leaves, over ranges of any alignment', () => {
    const rand = prng(13);
    for (const n of [128, 143, 144, 160, 255, 256, 257, 300, 2000, 4097]) {
      const values = randomValues(n, n, () => 32 + Math.floor(rand() * 300));
      const expected = bytesToHex(orderedTrieRoot(values));
      for (const [bottoms, chunk] of [[1, 32], [0.5, 32], [1, 16], [1, 24], [1, n], [0.7, 7]]) {
        assert.equal(wasmRoot(values, n, bottoms, chunk), expected, `n = ${n}, ranges of ${chunk}, each with probability ${bottoms}`);
      }
    }
  });

  it('a changed value changes the root (the check can fail)', () => {
    const values = randomValues(300, 5, () => 40);
    const before = wasmRoot(values, 1);
    values[200][39] ^= 1;
    assert.notEqual(wasmRoot(values, 1), before);
    assert.equal(wasmRoot(values, 2), bytesToHex(orderedTrieRoot(values)));
  });
});
