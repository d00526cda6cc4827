// KZG point evaluation (0x0a, EIP-4844): go-ethereum's vector, the zero polynomial, and every way
// the input can be wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { Fork } from '../../src/fork/forks.js';
import { runPrecompile } from '../../src/precompiles/index.js';
import { type Vector, assertSuccess, fromHex, loadFixture, toHex, word } from './helpers.js';

const GAS = 50000n; // EIP-4844
const BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
// FIELD_ELEMENTS_PER_BLOB then BLS_MODULUS.
const RETURN_VALUE = word(4096) + word(BLS_MODULUS);

const evaluate = (input: Uint8Array | string, gasLimit = GAS) =>
  runPrecompile(10, typeof input === 'string' ? fromHex(input) : input, gasLimit, Fork.Cancun);
const versionedHash = (commitment: string) => '01' + toHex(sha256(fromHex(commitment))).slice(2);

const [vector] = loadFixture<Vector>('pointEvaluation.json');
// versioned_hash | z | y | commitment | proof, as hex slices of the valid vector.
const parts = {
  hash: vector.Input.slice(0, 64),
  z: vector.Input.slice(64, 128),
  y: vector.Input.slice(128, 192),
  commitment: vector.Input.slice(192, 288),
  proof: vector.Input.slice(288, 384),
};
const assemble = (changes: Partial<typeof parts>) => {
  const p = { ...parts, ...changes };
  return p.hash + p.z + p.y + p.commitment + p.proof;
};
const byteHex = (value: number) => value.toString(16).padStart(2, '0');
const flipLastBit = (hex: string) => hex.slice(0, -2) + byteHex(parseInt(hex.slice(-2), 16) ^ 1);
const clearTopBit = (hex: string) => byteHex(parseInt(hex.slice(0, 2), 16) & 0x7f) + hex.slice(2);

describe('point evaluation (0x0a)', () => {
  it(`${vector.Name} (go-ethereum)`, () => {
    assert.equal(vector.Expected, RETURN_VALUE);
    assert.equal(parts.hash, versionedHash(parts.commitment));
    assertSuccess(evaluate(vector.Input, BigInt(vector.Gas)), GAS, vector.Expected);
    assertSuccess(evaluate(vector.Input, 10n ** 9n), GAS, vector.Expected);
    assert.deepEqual(evaluate(vector.Input, GAS - 1n), { ok: false });
  });

  it('the zero polynomial: commitment and proof at infinity open to y = 0 at any z', () => {
    const infinity = 'c0' + '00'.repeat(47);
    const zero = { hash: versionedHash(infinity), commitment: infinity, proof: infinity, y: word(0) };
    assertSuccess(evaluate(assemble({ ...zero, z: word(0) })), GAS, RETURN_VALUE);
    assertSuccess(evaluate(assemble({ ...zero, z: word(BLS_MODULUS - 1n) })), GAS, RETURN_VALUE);
    assert.deepEqual(evaluate(assemble({ ...zero, z: word(5), y: word(1) })), { ok: false });
  });

  const failures: [string, Partial<typeof parts>][] = [
    ['versioned hash with version 0x00', { hash: '00' + parts.hash.slice(2) }],
    ['versioned hash with version 0x02', { hash: '02' + parts.hash.slice(2) }],
    ['versioned hash with one bit changed', { hash: flipLastBit(parts.hash) }],
    ['y + 1', { y: word(BigInt('0x' + parts.y) + 1n) }],
    ['z + 1', { z: word(BigInt('0x' + parts.z) + 1n) }],
    ['z = BLS_MODULUS', { z: word(BLS_MODULUS) }],
    ['y = BLS_MODULUS', { y: word(BLS_MODULUS) }],
    ['z + BLS_MODULUS (same value mod r, not canonical)', { z: word(BigInt('0x' + parts.z) + BLS_MODULUS) }],
    ['proof with one bit changed', { proof: flipLastBit(parts.proof) }],
    ['proof of 0xff bytes', { proof: 'ff'.repeat(48) }],
    ['proof at infinity', { proof: 'c0' + '00'.repeat(47) }],
    ['proof with the compression flag cleared', { proof: clearTopBit(parts.proof) }],
  ];
  for (const [name, changes] of failures) {
    it(`fails on ${name}`, () => {
      assert.deepEqual(evaluate(assemble(changes), 10n ** 9n), { ok: false });
    });
  }

  it('fails on a commitment with one bit changed, even with its own versioned hash', () => {
    const commitment = flipLastBit(parts.commitment);
    assert.deepEqual(evaluate(assemble({ commitment, hash: versionedHash(commitment) }), 10n ** 9n), { ok: false });
  });

  it('fails unless the input is exactly 192 bytes', () => {
    for (const hex of ['', vector.Input.slice(0, -2), vector.Input + '00']) {
      assert.deepEqual(evaluate(hex, 10n ** 9n), { ok: false }, `length ${hex.length / 2}`);
    }
  });
});
