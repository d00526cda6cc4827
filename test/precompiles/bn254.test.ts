// bn254 add (0x06), mul (0x07) and pairing (0x08): go-ethereum's vectors under both pricings,
// then invalid points, encodings and lengths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bn254 } from '@noble/curves/bn254.js';
import { Fork } from '../../src/fork/forks.js';
import { runPrecompile } from '../../src/precompiles/index.js';
import { type Vector, assertSuccess, forksFrom, fromHex, loadFixture, word } from './helpers.js';

// EIP-196/197 (Byzantium) and EIP-1108 (Istanbul) prices.
const BYZANTIUM_FORKS = forksFrom(Fork.Byzantium, Fork.Petersburg);
const ISTANBUL_FORKS = forksFrom(Fork.Istanbul);
const addGas = (fork: Fork) => (fork >= Fork.Istanbul ? 150n : 500n);
const mulGas = (fork: Fork) => (fork >= Fork.Istanbul ? 6000n : 40000n);
const pairingGas = (fork: Fork, pairs: number) =>
  fork >= Fork.Istanbul ? 45000n + 34000n * BigInt(pairs) : 100000n + 80000n * BigInt(pairs);

const BIG = 10n ** 9n;
const P = bn254.fields.Fp.ORDER;
const N = bn254.fields.Fr.ORDER;
const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
const { Fp2 } = bn254.fields;

const g1Hex = (point: InstanceType<typeof G1>) => {
  if (point.is0()) return word(0) + word(0);
  const { x, y } = point.toAffine();
  return word(x) + word(y);
};
const g2Hex = (point: InstanceType<typeof G2>) => {
  if (point.is0()) return word(0).repeat(4);
  const { x, y } = point.toAffine();
  return word(x.c1) + word(x.c0) + word(y.c1) + word(y.c0); // EIP-197: imaginary part first
};
const ONE = word(1);
const ZERO = word(0);

describe('bn254 add (0x06): go-ethereum vectors', () => {
  for (const vector of loadFixture<Vector>('bn256Add.json')) {
    it(vector.Name, () => {
      assert.equal(BigInt(vector.Gas), addGas(Fork.Istanbul));
      for (const fork of [...BYZANTIUM_FORKS, ...ISTANBUL_FORKS]) {
        const result = runPrecompile(6, fromHex(vector.Input), addGas(fork), fork);
        assertSuccess(result, addGas(fork), vector.Expected, `${vector.Name} ${Fork[fork]}`);
        assert.deepEqual(runPrecompile(6, fromHex(vector.Input), addGas(fork) - 1n, fork), { ok: false });
      }
    });
  }
});

describe('bn254 mul (0x07): go-ethereum vectors', () => {
  for (const vector of loadFixture<Vector>('bn256ScalarMul.json')) {
    it(vector.Name, () => {
      assert.equal(BigInt(vector.Gas), mulGas(Fork.Istanbul));
      for (const fork of [...BYZANTIUM_FORKS, ...ISTANBUL_FORKS]) {
        const result = runPrecompile(7, fromHex(vector.Input), mulGas(fork), fork);
        assertSuccess(result, mulGas(fork), vector.Expected, `${vector.Name} ${Fork[fork]}`);
        assert.deepEqual(runPrecompile(7, fromHex(vector.Input), mulGas(fork) - 1n, fork), { ok: false });
      }
    });
  }
});

describe('bn254 pairing (0x08): go-ethereum vectors', () => {
  for (const vector of loadFixture<Vector>('bn256Pairing.json')) {
    it(vector.Name, () => {
      const pairs = vector.Input.length / 384;
      assert.equal(BigInt(vector.Gas), pairingGas(Fork.Istanbul, pairs));
      for (const fork of [Fork.Byzantium, Fork.Istanbul, Fork.Cancun]) {
        const gas = pairingGas(fork, pairs);
        assertSuccess(runPrecompile(8, fromHex(vector.Input), gas, fork), gas, vector.Expected, vector.Name);
        assert.deepEqual(runPrecompile(8, fromHex(vector.Input), gas - 1n, fork), { ok: false });
      }
    });
  }
});

describe('bn254 add and mul: encodings', () => {
  const A = G1.BASE.multiply(7n);
  const B = G1.BASE.multiply(11n);
  const add = (hex: string) => runPrecompile(6, fromHex(hex), BIG, Fork.Cancun);
  const mul = (hex: string) => runPrecompile(7, fromHex(hex), BIG, Fork.Cancun);

  it('adds, and reads missing bytes as zeros', () => {
    assertSuccess(add(g1Hex(A) + g1Hex(B)), 150n, g1Hex(G1.BASE.multiply(18n)));
    assertSuccess(add(g1Hex(A) + g1Hex(A.negate())), 150n, ZERO + ZERO);
    assertSuccess(add(g1Hex(A)), 150n, g1Hex(A));
    assertSuccess(add(g1Hex(A) + g1Hex(B) + 'ff'.repeat(50)), 150n, g1Hex(G1.BASE.multiply(18n)));
  });

  it('doubles a point added to itself', () => {
    assertSuccess(add(g1Hex(A) + g1Hex(A)), 150n, g1Hex(A.double()));
  });

  const invalidPoints: [string, string][] = [
    ['(1, 3) is not on the curve', word(1) + word(3)],
    ['(0, 1) is not infinity and not on the curve', word(0) + word(1)],
    ['(1, 0) has y = 0', word(1) + word(0)],
    ['x = p', word(P) + word(2)],
    ['y = p + 2 (curve point (1, 2) with y not reduced)', word(1) + word(P + 2n)],
    ['x = 2^256 - 1', 'ff'.repeat(32) + word(2)],
  ];
  for (const [name, point] of invalidPoints) {
    it(`fails on ${name}`, () => {
      assert.deepEqual(add(point + g1Hex(A)), { ok: false });
      assert.deepEqual(add(g1Hex(A) + point), { ok: false });
      assert.deepEqual(mul(point + word(2)), { ok: false });
      assert.deepEqual(mul(point + word(0)), { ok: false });
    });
  }

  it('multiplies by any 256-bit scalar, reducing mod the group order', () => {
    assertSuccess(mul(g1Hex(A) + word(0)), 6000n, ZERO + ZERO);
    assertSuccess(mul(g1Hex(A) + word(N)), 6000n, ZERO + ZERO);
    assertSuccess(mul(g1Hex(A) + word(N + 5n)), 6000n, g1Hex(A.multiply(5n)));
    assertSuccess(mul(g1Hex(A) + word(N - 1n)), 6000n, g1Hex(A.negate()));
    assertSuccess(mul(ZERO + ZERO + word(12345n)), 6000n, ZERO + ZERO);
    assertSuccess(mul(g1Hex(A)), 6000n, ZERO + ZERO); // missing scalar reads as zero
    assertSuccess(mul(g1Hex(A) + '02'), 6000n, g1Hex(A.multiply(2n << 248n))); // scalar right-padded
  });
});

describe('bn254 pairing (0x08): encodings', () => {
  const pairing = (hex: string, fork = Fork.Cancun) => runPrecompile(8, fromHex(hex), BIG, fork);
  const pair = (a: bigint, b: bigint) => g1Hex(G1.BASE.multiply(a)) + g2Hex(G2.BASE.multiply(b));

  /** A point on the twist y^2 = x^3 + 3/(9 + u) that is outside the order-n subgroup. */
  const twistPointOutsideSubgroup = () => {
    const b = G2.CURVE().b;
    for (let k = 1n; ; k++) {
      const x = Fp2.create({ c0: k, c1: 1n });
      const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
      let y;
      try {
        y = Fp2.sqrt(rhs);
      } catch {
        continue;
      }
      const point = new G2(x, y, Fp2.ONE);
      if (!point.multiplyUnsafe(N - 1n).add(point).is0()) return point;
    }
  };
  const outside = twistPointOutsideSubgroup();
  const outsideHex = word(outside.x.c1) + word(outside.x.c0) + word(outside.y.c1) + word(outside.y.c0);

  it('checks bilinearity: e(aP, bQ) * e(-abP, Q) = 1', () => {
    const a = 0x1234n;
    const b = 0xabcdefn;
    const result = pairing(pair(a, b) + pair(N - a * b, 1n));
    assertSuccess(result, 45000n + 2n * 34000n, ONE);
    assertSuccess(pairing(pair(a, b) + pair(N - a * b - 1n, 1n)), 45000n + 2n * 34000n, ZERO);
    assertSuccess(pairing(pair(a, b) + pair(N - a * b, 1n), Fork.Byzantium), 100000n + 2n * 80000n, ONE);
  });

  it('pairs with infinity contribute one, and no pairs give one', () => {
    assertSuccess(pairing(''), 45000n, ONE);
    assertSuccess(pairing(ZERO + ZERO + g2Hex(G2.BASE)), 79000n, ONE);
    assertSuccess(pairing(g1Hex(G1.BASE) + word(0).repeat(4)), 79000n, ONE);
    assertSuccess(pairing(word(0).repeat(6) + pair(3n, 5n)), 113000n, ZERO);
  });

  it('fails unless the length is a multiple of 192', () => {
    for (const length of [1, 64, 191, 193, 383]) {
      assert.deepEqual(pairing('00'.repeat(length)), { ok: false }, `length ${length}`);
    }
  });

  it('fails on a G2 point outside the subgroup, even paired with infinity', () => {
    assert.equal(Fp2.eql(Fp2.sqr(outside.y), Fp2.add(Fp2.mul(Fp2.sqr(outside.x), outside.x), G2.CURVE().b)), true);
    assert.deepEqual(pairing(g1Hex(G1.BASE) + outsideHex), { ok: false });
    assert.deepEqual(pairing(ZERO + ZERO + outsideHex), { ok: false });
  });

  it('fails on a G2 point off the twist, or with a coordinate not below p', () => {
    const good = g2Hex(G2.BASE);
    const offTwist = good.slice(0, 192) + word(BigInt('0x' + good.slice(192)) ^ 1n);
    assert.deepEqual(pairing(g1Hex(G1.BASE) + offTwist), { ok: false });
    for (let i = 0; i < 4; i++) {
      const coordinate = BigInt('0x' + good.slice(64 * i, 64 * i + 64));
      const unreduced = good.slice(0, 64 * i) + word(coordinate + P) + good.slice(64 * i + 64);
      assert.deepEqual(pairing(g1Hex(G1.BASE) + unreduced), { ok: false }, `coordinate ${i}`);
    }
  });

  it('fails on an invalid G1 point, even paired with infinity', () => {
    assert.deepEqual(pairing(word(1) + word(3) + g2Hex(G2.BASE)), { ok: false });
    assert.deepEqual(pairing(word(1) + word(3) + word(0).repeat(4)), { ok: false });
    assert.deepEqual(pairing(pair(1n, 1n) + word(P) + word(2) + g2Hex(G2.BASE)), { ok: false });
  });
});
