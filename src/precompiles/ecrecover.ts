import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { EMPTY, FAILURE, type PrecompileResult, rightPad } from './common.js';

// Yellow Paper, appendix E: a flat 3000, unchanged since Frontier.
const ECRECOVER_GAS = 3000n;
const SECP256K1_N = secp256k1.Point.Fn.ORDER;

/**
 * Precompile 0x01: the address that signed hash `input[0:32]` with v `input[32:64]`, r and s,
 * left-padded to 32 bytes. A signature that does not recover still succeeds, with empty output.
 */
export function ecrecover(input: Uint8Array, gasLimit: bigint): PrecompileResult {
  if (ECRECOVER_GAS > gasLimit) return FAILURE;
  return { ok: true, gasUsed: ECRECOVER_GAS, output: recoverAddress(rightPad(input, 128)) };
}

function recoverAddress(data: Uint8Array): Uint8Array {
  // v is a whole 32-byte word that must be exactly 27 or 28.
  for (let i = 32; i < 63; i++) if (data[i] !== 0) return EMPTY;
  const v = data[63];
  if (v !== 27 && v !== 28) return EMPTY;
  // 1 <= r, s < n. High s is allowed here: EIP-2 restricts transaction signatures only.
  const r = bytesToNumberBE(data.subarray(64, 96));
  const s = bytesToNumberBE(data.subarray(96, 128));
  if (r === 0n || r >= SECP256K1_N || s === 0n || s >= SECP256K1_N) return EMPTY;
  let publicKey: Uint8Array;
  try {
    const signature = new secp256k1.Signature(r, s, v - 27);
    publicKey = signature.recoverPublicKey(data.subarray(0, 32)).toBytes(false);
  } catch {
    // r is not the x of a curve point, or the recovered key is the point at infinity.
    return EMPTY;
  }
  const output = new Uint8Array(32);
  output.set(keccak_256(publicKey.subarray(1)).subarray(12), 12);
  return output;
}
