// blake2f (0x09): EIP-152's vectors (via go-ethereum), then F checked against a BLAKE2b hash.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blake2b } from '@noble/hashes/blake2.js';
import { Fork } from '../../src/fork/forks.js';
import { runPrecompile } from '../../src/precompiles/index.js';
import { type FailVector, Rng, type Vector, assertSuccess, forksFrom, fromHex, loadFixture, toHex } from './helpers.js';

const BLAKE2F_FORKS = forksFrom(Fork.Istanbul);

describe('blake2f (0x09): EIP-152 vectors', () => {
  for (const vector of loadFixture<Vector>('blake2F.json')) {
    it(vector.Name, () => {
      const gas = BigInt(vector.Gas); // EIP-152: one gas per round
      // Vector 8 runs 8,000,000 rounds (about 2 s here): once is enough.
      for (const fork of gas > 1000n ? [Fork.Istanbul] : BLAKE2F_FORKS) {
        assertSuccess(runPrecompile(9, fromHex(vector.Input), gas, fork), gas, vector.Expected, vector.Name);
      }
      if (gas > 0n) assert.deepEqual(runPrecompile(9, fromHex(vector.Input), gas - 1n, Fork.Istanbul), { ok: false });
    });
  }

  for (const vector of loadFixture<FailVector>('fail-blake2f.json')) {
    it(`${vector.Name}: fails (${vector.ExpectedError})`, () => {
      assert.deepEqual(runPrecompile(9, fromHex(vector.Input), 10n ** 9n, Fork.Istanbul), { ok: false });
    });
  }
});

describe('blake2f (0x09): rounds and flag', () => {
  const vector5 = fromHex(loadFixture<Vector>('blake2F.json')[1].Input);

  it('reads rounds as an unsigned 32-bit number: 2^32 - 1 rounds is out of gas below that', () => {
    const input = vector5.slice();
    input.set([0xff, 0xff, 0xff, 0xff], 0);
    assert.deepEqual(runPrecompile(9, input, 2n ** 32n - 2n, Fork.Cancun), { ok: false });
  });

  it('rejects a final flag other than 0 or 1 before pricing', () => {
    for (const flag of [2, 0x80, 0xff]) {
      const input = vector5.slice();
      input[212] = flag;
      assert.deepEqual(runPrecompile(9, input, 10n ** 9n, Fork.Cancun), { ok: false });
    }
  });
});

describe('blake2f (0x09): F with 12 rounds is the BLAKE2b compression', () => {
  // BLAKE2b-512 without key: h = IV with h0 ^= 0x01010000 ^ 64 (RFC 7693, section 2.5).
  const IV = [
    0x6a09e667f3bcc908n, 0xbb67ae8584caa73bn, 0x3c6ef372fe94f82bn, 0xa54ff53a5f1d36f1n,
    0x510e527fade682d1n, 0x9b05688c2b3e6c1fn, 0x1f83d9abfb41bd6bn, 0x5be0cd19137e2179n,
  ];
  const u64le = (values: bigint[]) => {
    const out = new Uint8Array(8 * values.length);
    const view = new DataView(out.buffer);
    values.forEach((value, i) => view.setBigUint64(8 * i, value, true));
    return out;
  };
  const compress = (h: Uint8Array, block: Uint8Array, counter: number, final: boolean) => {
    const input = new Uint8Array(213);
    new DataView(input.buffer).setUint32(0, 12);
    input.set(h, 4);
    input.set(block, 68);
    input.set(u64le([BigInt(counter), 0n]), 196);
    input[212] = final ? 1 : 0;
    const result = runPrecompile(9, input, 12n, Fork.Cancun);
    assert.ok(result.ok);
    assert.equal(result.gasUsed, 12n);
    return result.output;
  };

  it('hashes random messages of 0 to 384 bytes like @noble/hashes blake2b', () => {
    const rng = new Rng(152);
    for (let i = 0; i < 150; i++) {
      const message = rng.bytes(i < 10 ? i : rng.int(385));
      let h: Uint8Array = u64le([IV[0] ^ 0x01010040n, ...IV.slice(1)]);
      const blocks = Math.max(1, Math.ceil(message.length / 128));
      for (let b = 0; b < blocks; b++) {
        const block = new Uint8Array(128);
        block.set(message.subarray(128 * b, 128 * b + 128));
        const last = b === blocks - 1;
        h = compress(h, block, last ? message.length : 128 * (b + 1), last);
      }
      assert.equal(toHex(h), toHex(blake2b(message)), `length ${message.length}`);
    }
  });
});
