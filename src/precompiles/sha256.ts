import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { FAILURE, type PrecompileResult, words } from './common.js';

// Yellow Paper, appendix E: 60 + 12 per word, unchanged since Frontier.
const SHA256_BASE_GAS = 60n;
const SHA256_WORD_GAS = 12n;

/** Precompile 0x02: SHA-256 of the input (32 bytes). */
export function sha256(input: Uint8Array, gasLimit: bigint): PrecompileResult {
  const gas = SHA256_BASE_GAS + SHA256_WORD_GAS * words(input.length);
  if (gas > gasLimit) return FAILURE;
  return { ok: true, gasUsed: gas, output: nobleSha256(input) };
}
