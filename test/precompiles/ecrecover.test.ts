// ecrecover (0x01): go-ethereum's vectors, then the boundaries of v, r and s.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { Fork } from '../../src/fork/forks.js';
import { runPrecompile } from '../../src/precompiles/index.js';
import { ALL_FORKS, type Vector, assertSuccess, fromHex, loadFixture, toHex, word } from './helpers.js';

const ECRECOVER_GAS = 3000n; // Yellow Paper appendix E
const N = secp256k1.Point.Fn.ORDER;

describe('ecrecover (0x01): go-ethereum vectors', () => {
  for (const vector of loadFixture<Vector>('ecRecover.json')) {
    it(vector.Name, () => {
      for (const fork of ALL_FORKS) {
        const result = runPrecompile(1, fromHex(vector.Input), BigInt(vector.Gas), fork);
        assertSuccess(result, BigInt(vector.Gas), vector.Expected, vector.Name);
      }
      assert.deepEqual(runPrecompile(1, fromHex(vector.Input), ECRECOVER_GAS - 1n, Fork.Cancun), { ok: false });
    });
  }
});

describe('ecrecover (0x01): signatures', () => {
  // Secret key 1: its address is well known.
  const ADDRESS_OF_KEY_1 = '7e5f4552091a69125d5dfcb7b8c2659029395bdf';
  const hash = keccak_256(new TextEncoder().encode('parevm'));
  const signature = secp256k1.sign(hash, secp256k1.Point.Fn.toBytes(1n), { prehash: false, format: 'recovered' });
  const recovery = signature[0];
  const r = BigInt('0x' + toHex(signature.subarray(1, 33)));
  const s = BigInt('0x' + toHex(signature.subarray(33, 65)));
  const input = (v: bigint, rr: bigint, ss: bigint) => fromHex(toHex(hash) + word(v) + word(rr) + word(ss));
  const recover = (data: Uint8Array) => runPrecompile(1, data, ECRECOVER_GAS, Fork.Cancun);
  const addressWord = '00'.repeat(12) + ADDRESS_OF_KEY_1;

  it('recovers the signer', () => {
    assertSuccess(recover(input(27n + BigInt(recovery), r, s)), ECRECOVER_GAS, addressWord);
  });

  it('accepts high s (EIP-2 restricts transactions only): (r, n - s) with the other v', () => {
    assertSuccess(recover(input(28n - BigInt(recovery), r, N - s)), ECRECOVER_GAS, addressWord);
  });

  it('recovers a different key with the other v', () => {
    const result = recover(input(28n - BigInt(recovery), r, s));
    assert.ok(result.ok);
    assert.notEqual(toHex(result.output), addressWord);
  });

  const empty: [string, bigint, bigint, bigint][] = [
    ['v = 0', 0n, r, s],
    ['v = 1', 1n, r, s],
    ['v = 26', 26n, r, s],
    ['v = 29', 29n, r, s],
    ['v = 27 + 2^8', 27n + 256n, r, s],
    ['v = 27 + 2^255', 27n + (1n << 255n), r, s],
    ['r = 0', 27n, 0n, s],
    ['s = 0', 27n, r, 0n],
    ['r = n', 27n, N, s],
    ['s = n', 27n, r, N],
    ['r = 2^256 - 1', 27n, (1n << 256n) - 1n, s],
    ['s = 2^256 - 1', 27n, r, (1n << 256n) - 1n],
  ];
  for (const [name, v, rr, ss] of empty) {
    it(`${name}: success with empty output`, () => {
      assertSuccess(recover(input(v, rr, ss)), ECRECOVER_GAS, '');
    });
  }

  it('r that is no curve x-coordinate: empty output', () => {
    // x = 5 has no y on secp256k1 (5^3 + 7 = 132 is not a square mod p).
    assertSuccess(recover(input(27n, 5n, s)), ECRECOVER_GAS, '');
  });

  it('reads zeros past the end of a short input, ignores bytes past 128', () => {
    const full = input(27n + BigInt(recovery), r, s);
    assertSuccess(recover(full.subarray(0, 0)), ECRECOVER_GAS, '');
    assertSuccess(recover(full.subarray(0, 96)), ECRECOVER_GAS, ''); // s reads as zero
    const long = new Uint8Array(200).fill(0xff);
    long.set(full);
    assertSuccess(recover(long), ECRECOVER_GAS, addressWord);
    // A signature whose s ends in zero bytes still recovers when those bytes are cut off.
    const trailing = input(27n + BigInt(recovery), r, s & ~0xffffn);
    const expected = recover(trailing);
    assert.ok(expected.ok);
    assert.deepEqual(recover(trailing.subarray(0, 126)), expected);
  });
});
