import { bn254 } from '@noble/curves/bn254.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { Fork } from '../fork/forks.js';
import { FAILURE, type PrecompileResult, rightPad } from './common.js';

// EIP-196/197 (Byzantium) prices, cut by EIP-1108 (Istanbul).
const ADD_GAS_EIP196 = 500n;
const ADD_GAS_EIP1108 = 150n;
const MUL_GAS_EIP196 = 40000n;
const MUL_GAS_EIP1108 = 6000n;
const PAIRING_BASE_GAS_EIP197 = 100000n;
const PAIRING_PAIR_GAS_EIP197 = 80000n;
const PAIRING_BASE_GAS_EIP1108 = 45000n;
const PAIRING_PAIR_GAS_EIP1108 = 34000n;

// EIP-197 pairing input: G1 point (64 bytes) then G2 point (128 bytes) per pair.
const PAIR_SIZE = 192;

const { Fp, Fp2, Fp12 } = bn254.fields;
const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
const P = Fp.ORDER;
type G1Point = InstanceType<typeof G1>;
type G2Point = InstanceType<typeof G2>;

/** Precompile 0x06 (EIP-196): the sum of two G1 points, each (x, y); (0, 0) is infinity. */
export function bn254Add(input: Uint8Array, gasLimit: bigint, fork: Fork): PrecompileResult {
  const gas = fork >= Fork.Istanbul ? ADD_GAS_EIP1108 : ADD_GAS_EIP196;
  if (gas > gasLimit) return FAILURE;
  const data = rightPad(input, 128);
  const a = decodeG1(data, 0);
  const b = decodeG1(data, 64);
  if (a === undefined || b === undefined) return FAILURE;
  return { ok: true, gasUsed: gas, output: encodeG1(a.add(b)) };
}

/** Precompile 0x07 (EIP-196): a G1 point times a 256-bit scalar. */
export function bn254Mul(input: Uint8Array, gasLimit: bigint, fork: Fork): PrecompileResult {
  const gas = fork >= Fork.Istanbul ? MUL_GAS_EIP1108 : MUL_GAS_EIP196;
  if (gas > gasLimit) return FAILURE;
  const data = rightPad(input, 96);
  const point = decodeG1(data, 0);
  if (point === undefined) return FAILURE;
  // G1 has prime order n, so any 256-bit scalar acts as itself mod n.
  const scalar = bytesToNumberBE(data.subarray(64, 96)) % G1.Fn.ORDER;
  // Nothing here is secret, so the faster variable-time multiplication is the right one.
  const product = scalar === 0n || point.is0() ? G1.ZERO : point.multiplyUnsafe(scalar);
  return { ok: true, gasUsed: gas, output: encodeG1(product) };
}

/**
 * Precompile 0x08 (EIP-197): 1 if the product of the pairings of the (G1, G2) pairs is one in
 * GT, else 0, as a 32-byte word. No pairs yields 1. Input length must be a multiple of 192.
 */
export function bn254Pairing(input: Uint8Array, gasLimit: bigint, fork: Fork): PrecompileResult {
  if (input.length % PAIR_SIZE !== 0) return FAILURE;
  const pairCount = BigInt(input.length / PAIR_SIZE);
  const gas =
    fork >= Fork.Istanbul
      ? PAIRING_BASE_GAS_EIP1108 + PAIRING_PAIR_GAS_EIP1108 * pairCount
      : PAIRING_BASE_GAS_EIP197 + PAIRING_PAIR_GAS_EIP197 * pairCount;
  if (gas > gasLimit) return FAILURE;

  const pairs: { g1: G1Point; g2: G2Point }[] = [];
  for (let offset = 0; offset < input.length; offset += PAIR_SIZE) {
    const g1 = decodeG1(input, offset);
    const g2 = decodeG2(input, offset + 64);
    if (g1 === undefined || g2 === undefined) return FAILURE;
    // A pair with infinity contributes one to the product; every point is still validated.
    if (!g1.is0() && !g2.is0()) pairs.push({ g1, g2 });
  }
  const isOne = pairs.length === 0 || Fp12.eql(bn254.pairingBatch(pairs), Fp12.ONE);
  const output = new Uint8Array(32);
  output[31] = isOne ? 1 : 0;
  return { ok: true, gasUsed: gas, output };
}

/** The field element in data[offset, offset + 32), or undefined if it is not below p. */
function readFp(data: Uint8Array, offset: number): bigint | undefined {
  const value = bytesToNumberBE(data.subarray(offset, offset + 32));
  return value < P ? value : undefined;
}

/** The G1 point (x, y) at `offset`; undefined unless both are below p and it is on the curve. */
function decodeG1(data: Uint8Array, offset: number): G1Point | undefined {
  const x = readFp(data, offset);
  const y = readFp(data, offset + 32);
  if (x === undefined || y === undefined) return undefined;
  if (x === 0n && y === 0n) return G1.ZERO;
  try {
    const point = G1.fromAffine({ x, y });
    point.assertValidity(); // on the curve; the cofactor is 1, so that is the subgroup too
    return point;
  } catch {
    return undefined; // noble also rejects y = 0 in the constructor: no such point has odd order
  }
}

/**
 * The G2 point at `offset`, encoded (x.im, x.re, y.im, y.re); undefined unless every coordinate
 * is below p and the point is on the twist and in the order-n subgroup (EIP-197).
 */
function decodeG2(data: Uint8Array, offset: number): G2Point | undefined {
  const xIm = readFp(data, offset);
  const xRe = readFp(data, offset + 32);
  const yIm = readFp(data, offset + 64);
  const yRe = readFp(data, offset + 96);
  if (xIm === undefined || xRe === undefined || yIm === undefined || yRe === undefined) {
    return undefined;
  }
  if (xIm === 0n && xRe === 0n && yIm === 0n && yRe === 0n) return G2.ZERO;
  try {
    const x = Fp2.create({ c0: xRe, c1: xIm });
    const y = Fp2.create({ c0: yRe, c1: yIm });
    const point = G2.fromAffine({ x, y });
    point.assertValidity();
    return point;
  } catch {
    return undefined;
  }
}

/** A G1 point as (x, y), 32 bytes each; infinity is (0, 0). */
function encodeG1(point: G1Point): Uint8Array {
  const output = new Uint8Array(64);
  if (point.is0()) return output;
  const { x, y } = point.toAffine();
  output.set(numberToBytesBE(x, 32), 0);
  output.set(numberToBytesBE(y, 32), 32);
  return output;
}
