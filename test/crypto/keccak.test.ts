// keccak-256 (assembly/crypto/keccak.ts) against published vectors and @noble/hashes, through
// build/testing.wasm on a shared memory, as the workers run it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { keccak_256 as nobleKeccak } from "@noble/hashes/sha3.js";
import { loadTestingWasm } from "../helpers/testing-wasm.js";

interface KeccakExports {
  keccak_256(out: number, data: number, len: number): void;
}

const { exports: wasm, memory, scratch } = await loadTestingWasm<KeccakExports>();
const heap = new Uint8Array(memory.buffer);

/** Scratch memory: above all static data (the round constants among it), 64-byte aligned. */
const BASE = scratch;
const RATE = 136;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Deterministic bytes (mulberry32), so a failure names a reproducible input. */
function randomBytes(len: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bytes[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return bytes;
}

/** Copies `input` to `data`, hashes it into `out` and returns the 32 digest bytes. */
function keccakAt(input: Uint8Array, data = BASE, out = BASE + input.length + 64): string {
  heap.set(input, data);
  wasm.keccak_256(out, data, input.length);
  return hex(heap.slice(out, out + 32));
}

const expected = (input: Uint8Array): string => hex(nobleKeccak(input));

test("published vectors", () => {
  const vectors: [string, Uint8Array, string][] = [
    ["empty", new Uint8Array(0),
      "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"],
    ["abc", utf8("abc"), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"],
    ["fox", utf8("The quick brown fox jumps over the lazy dog"),
      "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"],
    // Cross-checked against an independent reference implementation (not only noble).
    ["bytes 0..135, one full block", Uint8Array.from({ length: 136 }, (_, i) => i),
      "7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e"],
    ["bytes 0..199", Uint8Array.from({ length: 200 }, (_, i) => i),
      "bfb0aa97863e797943cf7c33bb7e880bb4543f3d2703c0923c6901c2af57b890"],
  ];
  for (const [name, input, digest] of vectors) assert.equal(keccakAt(input), digest, name);
});

test("the sequences 0, 0 1, ..., 0 1 ... 199 match noble", () => {
  for (let len = 0; len <= 200; len++) {
    const input = Uint8Array.from({ length: len }, (_, i) => i);
    assert.equal(keccakAt(input), expected(input), `len ${len}`);
  }
});

test("every length 0..300 and the rate boundaries match noble", () => {
  const lengths = Array.from({ length: 301 }, (_, i) => i);
  for (const k of [1, 2, 3]) lengths.push(k * RATE - 1, k * RATE, k * RATE + 1);
  for (const len of lengths) {
    const input = randomBytes(len, len);
    assert.equal(keccakAt(input), expected(input), `len ${len}`);
  }
});

test("1 MB input matches noble", () => {
  const input = randomBytes(1 << 20, 1);
  assert.equal(keccakAt(input), expected(input));
});

test("unaligned input and output addresses", () => {
  for (const len of [0, 1, 7, 8, 9, 31, 32, 33, 64, 135, 136, 137, 300]) {
    const input = randomBytes(len, 1000 + len);
    for (let shift = 0; shift < 8; shift++) {
      const data = BASE + shift;
      const out = BASE + 512 + ((shift * 3) & 7);
      assert.equal(keccakAt(input, data, out), expected(input), `len ${len}, data +${shift}`);
    }
  }
});

test("out may overlap the input", () => {
  for (const len of [0, 1, 31, 32, 33, 64, 135, 136, 137, 300]) {
    const input = randomBytes(len, 2000 + len);
    const data = BASE + 67; // room below for `out` before the input, never below BASE
    // out at the input, inside it, straddling its end, and just before it.
    for (const out of [data, data + (len >> 1), data + len - 7, data - 5]) {
      assert.equal(keccakAt(input, data, out), expected(input), `len ${len}, out at data + ${out - data}`);
    }
  }
});

test("writes only the 32 digest bytes", () => {
  const region = BASE + 4096;
  const len = 200;
  heap.fill(0xa5, region, region + 1024);
  const input = randomBytes(len, 7);
  const data = region + 64;
  const out = region + 512 + 1;
  heap.set(input, data);
  const before = heap.slice(region, region + 1024);
  wasm.keccak_256(out, data, len);
  const after = heap.slice(region, region + 1024);
  for (let i = 0; i < 1024; i++) {
    if (region + i >= out && region + i < out + 32) continue;
    assert.equal(after[i], before[i], `byte ${i} of the region changed`);
  }
  assert.equal(hex(after.slice(out - region, out - region + 32)), expected(input));
});

test("reads nothing past the input: input ending at the end of memory", () => {
  const end = memory.buffer.byteLength;
  for (let len = 0; len <= 300; len++) {
    const input = randomBytes(len, 3000 + len);
    assert.equal(keccakAt(input, end - len, BASE), expected(input), `len ${len}`);
  }
});
