// sha256 (0x02), ripemd160 (0x03) and identity (0x04): same gas rules at every fork.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPrecompile } from '../../src/precompiles/index.js';
import { ALL_FORKS, assertSuccess, toHex } from './helpers.js';

const ascii = (text: string) => new TextEncoder().encode(text);
const words = (length: number) => BigInt(Math.ceil(length / 32));
const ALPHABET_448 = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';

// Yellow Paper appendix E: 60 + 12/word, 600 + 120/word, 15 + 3/word.
const sha256Gas = (length: number) => 60n + 12n * words(length);
const ripemd160Gas = (length: number) => 600n + 120n * words(length);
const identityGas = (length: number) => 15n + 3n * words(length);

// FIPS 180-2 examples, and "lol" as in Category Labs' monad precompile tests.
const SHA256_VECTORS: [string, string][] = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['lol', '07123e1f482356c415f684407a3b8723e10b2cbbc0b8fcd6282c49d37c9c1abc'],
  [ALPHABET_448, '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
];

// The RIPEMD-160 authors' examples (Bosselaers), left-padded to 32 bytes by the precompile.
const RIPEMD160_VECTORS: [string, string][] = [
  ['', '9c1185a5c5e9fc54612808977ee8f548b2258d31'],
  ['a', '0bdc9d2d256b3ee9daae347be6f4dc835a467ffe'],
  ['abc', '8eb208f7e05d987a9b044a8e98c6b087f15a0bfc'],
  ['message digest', '5d0689ef49d2fae572b881b123a85ffa21595f36'],
  ['lol', '14d61d472ae2e974453fb7a0ef239510f36bee24'],
  [ALPHABET_448, '12a053384a9c0c88e405a06c27dcf49ada62eb2b'],
];

describe('sha256 (0x02)', () => {
  for (const [text, digest] of SHA256_VECTORS) {
    it(`"${text.slice(0, 12)}" (${text.length} bytes)`, () => {
      for (const fork of ALL_FORKS) {
        assertSuccess(runPrecompile(2, ascii(text), 10n ** 6n, fork), sha256Gas(text.length), digest);
      }
    });
  }

  it('charges per started word', () => {
    const cases: [number, bigint][] = [[0, 60n], [1, 72n], [32, 72n], [33, 84n], [64, 84n], [1000, 60n + 12n * 32n]];
    for (const [length, gas] of cases) {
      const result = runPrecompile(2, new Uint8Array(length), 10n ** 6n, ALL_FORKS[0]);
      assert.ok(result.ok);
      assert.equal(result.gasUsed, gas, `length ${length}`);
      assert.deepEqual(runPrecompile(2, new Uint8Array(length), gas - 1n, ALL_FORKS[0]), { ok: false });
    }
  });
});

describe('ripemd160 (0x03)', () => {
  for (const [text, digest] of RIPEMD160_VECTORS) {
    it(`"${text.slice(0, 12)}" (${text.length} bytes)`, () => {
      for (const fork of ALL_FORKS) {
        const output = '00'.repeat(12) + digest;
        assertSuccess(runPrecompile(3, ascii(text), 10n ** 6n, fork), ripemd160Gas(text.length), output);
      }
    });
  }

  it('charges per started word', () => {
    const cases: [number, bigint][] = [[0, 600n], [1, 720n], [32, 720n], [33, 840n]];
    for (const [length, gas] of cases) {
      const result = runPrecompile(3, new Uint8Array(length), 10n ** 6n, ALL_FORKS[0]);
      assert.ok(result.ok);
      assert.equal(result.gasUsed, gas, `length ${length}`);
      assert.deepEqual(runPrecompile(3, new Uint8Array(length), gas - 1n, ALL_FORKS[0]), { ok: false });
    }
  });
});

describe('identity (0x04)', () => {
  for (const length of [0, 1, 4, 31, 32, 33, 100, 4096]) {
    it(`${length} bytes`, () => {
      const input = Uint8Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff);
      for (const fork of ALL_FORKS) {
        assertSuccess(runPrecompile(4, input, 10n ** 6n, fork), identityGas(length), toHex(input));
      }
      assert.deepEqual(runPrecompile(4, input, identityGas(length) - 1n, ALL_FORKS[0]), { ok: false });
    });
  }
});
