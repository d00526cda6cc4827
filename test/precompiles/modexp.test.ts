// modexp (0x05): go-ethereum's vectors under both pricings, then the header's edge cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fork } from '../../src/fork/forks.js';
import { runPrecompile } from '../../src/precompiles/index.js';
import { assertSuccess, forksFrom, fromHex, loadFixture, word } from './helpers.js';

type ModexpVector = { Input: string; Expected: string; Name: string; GasByzantium: number; GasBerlin: number };

// EIP-198 pricing from Byzantium until Berlin, EIP-2565 from Berlin.
const EIP198_FORKS = forksFrom(Fork.Byzantium, Fork.Istanbul);
const EIP2565_FORKS = forksFrom(Fork.Berlin);
const BIG = 10n ** 12n;

const modexp = (input: Uint8Array | string, fork: Fork, gasLimit = BIG) =>
  runPrecompile(5, typeof input === 'string' ? fromHex(input) : input, gasLimit, fork);
const header = (baseLen: bigint | number, expLen: bigint | number, modLen: bigint | number) =>
  word(baseLen) + word(expLen) + word(modLen);

describe('modexp (0x05): go-ethereum vectors', () => {
  for (const vector of loadFixture<ModexpVector>('modexp.json')) {
    it(vector.Name, () => {
      const pricings = [
        [EIP198_FORKS, BigInt(vector.GasByzantium)],
        [EIP2565_FORKS, BigInt(vector.GasBerlin)],
      ] as const;
      for (const [forks, gas] of pricings) {
        for (const fork of forks) {
          const name = `${vector.Name} ${Fork[fork]}`;
          assertSuccess(modexp(vector.Input, fork, gas), gas, vector.Expected, name);
          assert.deepEqual(modexp(vector.Input, fork, gas - 1n), { ok: false });
        }
      }
    });
  }
});

describe('modexp (0x05): header and operands', () => {
  // [name, input, output, gas under EIP-198, gas under EIP-2565]
  const cases: [string, string, string, bigint, bigint][] = [
    ['empty input: all lengths zero', '', '', 0n, 200n],
    ['zero lengths, trailing data ignored', header(0, 0, 0) + 'ffff', '', 0n, 200n],
    // 3 ** 5 % 7 = 5; adjusted exponent length 2 (highest bit of 5), one word.
    ['3 ** 5 % 7', header(1, 1, 1) + '030507', '05', 0n, 200n],
    ['0 ** 0 % 7 = 1', header(1, 1, 1) + '000007', '01', 0n, 200n],
    ['x ** 0 % 1 = 0', header(1, 1, 1) + '050001', '00', 0n, 200n],
    ['modulus value zero: modLen zero bytes', header(1, 1, 2) + '0305' + '0000', '0000', 0n, 200n],
    ['modulus past the end of the input reads as zero', header(1, 1, 3) + '0305', '000000', 0n, 200n],
    ['modLen 0 gives empty output, base is still priced', header(64, 0, 0) + 'ff'.repeat(64), '', 204n, 200n],
    // Operands read zeros past the end: modulus 0x0700 (two bytes, the second missing).
    ['short modulus is right-padded', header(1, 1, 2) + '030507', word(243n % 0x700n).slice(-4), 0n, 200n],
    ['result is left-padded to modLen', header(1, 1, 4) + '020301000000', '00000008', 0n, 200n],
    // Exponent 2^256 - 1 in 32 bytes: adjusted length 255; base and modulus one word.
    // 2 has order 10 mod 11 and 2^256 - 1 = 5 mod 10, so the result is 2^5 mod 11 = 10.
    ['full 256-bit exponent', header(1, 32, 1) + '02' + 'ff'.repeat(32) + '0b', '0a', 12n, 200n],
  ];
  for (const [name, input, output, gas198, gas2565] of cases) {
    it(name, () => {
      for (const fork of EIP198_FORKS) assertSuccess(modexp(input, fork), gas198, output, `${name} ${Fork[fork]}`);
      for (const fork of EIP2565_FORKS) assertSuccess(modexp(input, fork), gas2565, output, `${name} ${Fork[fork]}`);
    });
  }

  it('exponent longer than 32 bytes: 8 per extra byte plus the head bit', () => {
    // exp = 0x00..01 00 (33 bytes) = 256; head (first 32 bytes) = 1, highest bit 0 -> adjusted 8.
    const input = header(1, 33, 1) + '02' + '00'.repeat(31) + '01' + '00' + '0b';
    // 2 ** 256 % 11: 2 has order 10 mod 11, 256 % 10 = 6, 2 ** 6 = 64 = 9 mod 11.
    assertSuccess(modexp(input, Fork.Byzantium), (1n * 8n) / 20n, '09');
    assertSuccess(modexp(input, Fork.Berlin), 200n, '09');
  });

  it('adjusted exponent length reads the head past the end of the input as zeros', () => {
    // 64-byte base and modulus, exponent length 2, input ends after the exponent's first byte 0x80:
    // head = 0x8000 -> highest bit 15. EIP-198: 4096 * 15 / 20 = 3072. EIP-2565: 64 * 15 / 3 = 320.
    const input = header(64, 2, 64) + '01'.repeat(64) + '80';
    assertSuccess(modexp(input, Fork.Byzantium), 3072n, '00'.repeat(64));
    assertSuccess(modexp(input, Fork.Berlin), 320n, '00'.repeat(64));
  });

  it('EIP-198 mult_complexity breakpoints at 64 and 1024 bytes', () => {
    // Exponent length 0, so the gas is mult_complexity(max(Blen, Mlen)) / 20 with modLen 0.
    const gas = (x: number) => {
      const result = modexp(header(x, 0, 0), Fork.Byzantium);
      assert.ok(result.ok);
      return result.gasUsed;
    };
    assert.equal(gas(64), (64n * 64n) / 20n);
    assert.equal(gas(65), ((65n * 65n) / 4n + 96n * 65n - 3072n) / 20n);
    assert.equal(gas(1024), ((1024n * 1024n) / 4n + 96n * 1024n - 3072n) / 20n);
    assert.equal(gas(1025), ((1025n * 1025n) / 16n + 480n * 1025n - 199680n) / 20n);
  });

  it('EIP-2565 rounds lengths up to 8-byte words and has a 200 floor', () => {
    const gas = (x: number, expHex: string) => {
      const result = modexp(header(x, expHex.length / 2, 0) + '00'.repeat(x) + expHex, Fork.Berlin);
      assert.ok(result.ok);
      return result.gasUsed;
    };
    assert.equal(gas(1, 'ff'), 200n);
    // 256 bytes = 32 words; exponent 0xffff: highest bit 15 -> 32 * 32 * 15 / 3 = 5120.
    assert.equal(gas(256, 'ffff'), 5120n);
    // 257 bytes = 33 words.
    assert.equal(gas(257, 'ffff'), (33n * 33n * 15n) / 3n);
  });
});

describe('modexp (0x05): huge declared lengths', () => {
  const HUGE = (1n << 256n) - 1n;

  it('huge base or modulus length fails by gas at once, whatever the gas limit', () => {
    for (const fork of [Fork.Byzantium, Fork.Berlin, Fork.Cancun]) {
      assert.deepEqual(modexp(header(HUGE, 1, 1) + '020307', fork, 2n ** 63n), { ok: false });
      assert.deepEqual(modexp(header(1, 1, HUGE) + '020307', fork, 2n ** 63n), { ok: false });
      assert.deepEqual(modexp(header(1n << 40n, 0, 1), fork, 2n ** 63n), { ok: false });
    }
  });

  it('huge exponent length with a modulus fails by gas', () => {
    for (const fork of [Fork.Byzantium, Fork.Berlin]) {
      assert.deepEqual(modexp(header(1, HUGE, 1) + '020307', fork, 2n ** 63n), { ok: false });
      assert.deepEqual(modexp(header(0, 1n << 64n, 1), fork, 10n ** 18n), { ok: false });
    }
    // Priced linearly in expLen: EIP-198 asks 8 * (2^64 - 32) / 20 here, which a large enough
    // limit covers; the modulus then lies past the input and the exponent is never read.
    const gas = (8n * ((1n << 64n) - 32n)) / 20n;
    assertSuccess(modexp(header(0, 1n << 64n, 1), Fork.Byzantium, gas), gas, '00');
  });

  it('huge exponent length with zero base and modulus lengths is free and empty', () => {
    // mult_complexity(0) = 0: EIP-198 charges 0, EIP-2565 the 200 floor; the exponent is never read.
    assertSuccess(modexp(header(0, HUGE, 0), Fork.Byzantium), 0n, '');
    assertSuccess(modexp(header(0, HUGE, 0) + 'ff'.repeat(40), Fork.Byzantium), 0n, '');
    assertSuccess(modexp(header(0, HUGE, 0), Fork.Berlin), 200n, '');
  });

  it('a declared length far past the input, within the gas, reads zeros', () => {
    // expLen 2^20 with 1-byte base and modulus: the modulus starts past the input, so it is zero.
    // The exponent's head is 0x01 then 31 zero bytes: highest bit 248.
    const input = header(1, 1 << 20, 1) + '03' + '01';
    const gas = (8n * ((1n << 20n) - 32n) + 248n) / 3n;
    assertSuccess(modexp(input, Fork.Berlin, gas), gas, '00');
    assert.deepEqual(modexp(input, Fork.Berlin, gas - 1n), { ok: false });
  });
});

describe('modexp (0x05): arithmetic against BigInt', () => {
  it('matches b ** e % m on operands up to 48 bytes', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const byte = () => (next() >>> 24).toString(16).padStart(2, '0');
    const operand = (length: number) => Array.from({ length }, byte).join('');
    for (let i = 0; i < 200; i++) {
      const [bl, el, ml] = [next() % 49, next() % 40, 1 + (next() % 48)];
      const [b, e, m] = [operand(bl), operand(el), operand(ml)];
      const value = (hex: string) => (hex === '' ? 0n : BigInt('0x' + hex));
      const mod = value(m);
      // Right-to-left binary exponentiation: a different walk from the precompile's.
      let expected = 0n;
      if (mod !== 0n) {
        expected = 1n % mod;
        let base = value(b) % mod;
        for (let exp = value(e); exp > 0n; exp >>= 1n) {
          if (exp & 1n) expected = (expected * base) % mod;
          base = (base * base) % mod;
        }
      }
      const result = modexp(header(bl, el, ml) + b + e + m, Fork.Cancun);
      assert.ok(result.ok);
      assert.equal(BigInt('0x' + (Buffer.from(result.output).toString('hex') || '0')), expected);
      assert.equal(result.output.length, ml);
    }
  });
});
