import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fork } from '../../src/fork/forks.js';
import { isPrecompile, precompileCount, runPrecompile } from '../../src/precompiles/index.js';
import { ALL_FORKS, Rng, fromHex, toHex } from './helpers.js';

describe('precompile activation', () => {
  // Highest active address per fork: 1-4 since Frontier, 5-8 Byzantium, 9 Istanbul, 0x0a Cancun.
  const expected: [Fork, number][] = [
    [Fork.Frontier, 4],
    [Fork.Homestead, 4],
    [Fork.TangerineWhistle, 4],
    [Fork.SpuriousDragon, 4],
    [Fork.Byzantium, 8],
    [Fork.Constantinople, 8],
    [Fork.Petersburg, 8],
    [Fork.Istanbul, 9],
    [Fork.Berlin, 9],
    [Fork.London, 9],
    [Fork.Paris, 9],
    [Fork.Shanghai, 9],
    [Fork.Cancun, 10],
  ];

  it('covers every fork', () => {
    assert.deepEqual(
      expected.map(([fork]) => fork),
      ALL_FORKS,
    );
  });

  for (const [fork, count] of expected) {
    it(`${Fork[fork]}: addresses 1..${count}`, () => {
      assert.equal(precompileCount(fork), count);
      for (let address = -1; address <= 12; address++) {
        assert.equal(isPrecompile(address, fork), address >= 1 && address <= count, `address ${address}`);
      }
      assert.equal(isPrecompile(1.5, fork), false);
      assert.equal(isPrecompile(Number.NaN, fork), false);
    });
  }

  it('throws when asked to run an inactive address', () => {
    assert.throws(() => runPrecompile(5, new Uint8Array(0), 10n ** 6n, Fork.SpuriousDragon), RangeError);
    assert.throws(() => runPrecompile(10, new Uint8Array(0), 10n ** 6n, Fork.Shanghai), RangeError);
    assert.throws(() => runPrecompile(0, new Uint8Array(0), 10n ** 6n, Fork.Cancun), RangeError);
    assert.throws(() => runPrecompile(11, new Uint8Array(0), 10n ** 6n, Fork.Cancun), RangeError);
  });
});

// One cheap, successful input per address (the point-evaluation one is go-ethereum's vector).
const SAMPLE_INPUTS: [number, string][] = [
  [1, '18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c000000000000000000000000000000000000000000000000000000000000001c73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75feeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549'],
  [2, '616263'],
  [3, '616263'],
  [4, '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff01'],
  [5, '000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000001030507'],
  [6, '0000000000000000000000000000000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000002'],
  [7, '000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000009'],
  [8, ''],
  [9, '0000000c48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b61626300000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000300000000000000000000000000000001'],
  [10, '01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d3630624d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a18f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a'],
];

describe('gas limit', () => {
  for (const [address, hex] of SAMPLE_INPUTS) {
    it(`0x${address.toString(16).padStart(2, '0')} succeeds with exactly its gas and fails with one less`, () => {
      const input = fromHex(hex);
      for (const fork of ALL_FORKS.filter((f) => isPrecompile(address, f))) {
        const result = runPrecompile(address, input, 10n ** 9n, fork);
        assert.ok(result.ok);
        const exact = runPrecompile(address, input, result.gasUsed, fork);
        assert.deepEqual(exact, result);
        if (result.gasUsed > 0n) {
          assert.deepEqual(runPrecompile(address, input, result.gasUsed - 1n, fork), { ok: false });
        }
        assert.deepEqual(runPrecompile(address, input, 0n, fork).ok, result.gasUsed === 0n);
      }
    });
  }

  it('never reports more gas used than given, on random inputs and limits', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 400; i++) {
      const address = 1 + rng.int(9); // 0x0a is covered above; its random inputs all fail
      const input = rng.bytes(rng.pick([0, 1, 31, 32, 64, 96, 100, 128, 192, 213]));
      const gasLimit = BigInt(rng.int(200000));
      const result = runPrecompile(address, input, gasLimit, Fork.Cancun);
      if (result.ok) assert.ok(result.gasUsed <= gasLimit, `address ${address}`);
    }
  });
});

describe('input and output buffers', () => {
  it('reads inputs that are views into a SharedArrayBuffer at an offset', () => {
    for (const [address, hex] of SAMPLE_INPUTS) {
      const plain = fromHex(hex);
      const shared = new Uint8Array(new SharedArrayBuffer(plain.length + 37), 37, plain.length);
      shared.set(plain);
      const expected = runPrecompile(address, plain, 10n ** 9n, Fork.Cancun);
      const actual = runPrecompile(address, shared, 10n ** 9n, Fork.Cancun);
      assert.ok(expected.ok && actual.ok);
      assert.equal(actual.gasUsed, expected.gasUsed);
      assert.equal(toHex(actual.output), toHex(expected.output), `address ${address}`);
    }
  });

  it('returns outputs that do not alias the input or each other', () => {
    for (const [address, hex] of SAMPLE_INPUTS) {
      const input = fromHex(hex);
      const first = runPrecompile(address, input, 10n ** 9n, Fork.Cancun);
      const second = runPrecompile(address, input, 10n ** 9n, Fork.Cancun);
      assert.ok(first.ok && second.ok);
      const before = toHex(second.output);
      first.output.fill(0xee);
      input.fill(0xdd);
      assert.equal(toHex(second.output), before, `address ${address}`);
    }
  });
});
