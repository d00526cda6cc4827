// Shared helpers for the precompile tests: hex, fixtures, forks and a seeded generator.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Fork } from '../../src/fork/forks.js';
import type { PrecompileResult } from '../../src/precompiles/index.js';

/** One go-ethereum precompile vector (test/fixtures/precompiles/*.json). */
export type Vector = { Input: string; Expected: string; Name: string; Gas: number };

/** A go-ethereum failure vector: the call must fail. */
export type FailVector = { Input: string; ExpectedError: string; Name: string };

// Compiled tests run from build/test/precompiles/, the fixtures stay in test/fixtures/.
const FIXTURES = new URL('../../../test/fixtures/precompiles/', import.meta.url);

/** The parsed JSON fixture `name` from test/fixtures/precompiles/. */
export function loadFixture<T>(name: string): T[] {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T[];
}

/** Bytes of a hex string, with or without 0x. */
export function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex'));
}

/** Lower-case hex of bytes, without 0x. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A 32-byte big-endian word of `value`, as hex. */
export function word(value: bigint | number): string {
  return BigInt(value).toString(16).padStart(64, '0');
}

/** Every fork, in order. */
export const ALL_FORKS: readonly Fork[] = Object.values(Fork).filter(
  (fork): fork is Fork => typeof fork === 'number',
);

/** Forks from `since` on. */
export function forksFrom(since: Fork, until: Fork = Fork.Cancun): Fork[] {
  return ALL_FORKS.filter((fork) => fork >= since && fork <= until);
}

/** Asserts a successful result with exactly `gas` used and `output` (hex). */
export function assertSuccess(result: PrecompileResult, gas: bigint, output: string, name = ''): void {
  assert.ok(result.ok, `${name}: expected success, got failure`);
  assert.equal(result.gasUsed, gas, `${name}: gas`);
  assert.equal(toHex(result.output), output.toLowerCase(), `${name}: output`);
}

/** A small deterministic generator (mulberry32), so a failing random case can be replayed. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A uniform u32. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }
  /** `length` random bytes. */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.u32() & 0xff;
    return out;
  }
  /** A random integer below 2^bits. */
  bigint(bits: number): bigint {
    let value = 0n;
    for (let i = 0; i < bits; i += 32) value = (value << 32n) | BigInt(this.u32());
    return value & ((1n << BigInt(bits)) - 1n);
  }
  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}
