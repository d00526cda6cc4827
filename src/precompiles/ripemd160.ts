import { ripemd160 as nobleRipemd160 } from '@noble/hashes/legacy.js';
import { FAILURE, type PrecompileResult, words } from './common.js';

// Yellow Paper, appendix E: 600 + 120 per word, unchanged since Frontier.
const RIPEMD160_BASE_GAS = 600n;
const RIPEMD160_WORD_GAS = 120n;

/** Precompile 0x03: RIPEMD-160 of the input, left-padded with zeros to 32 bytes. */
export function ripemd160(input: Uint8Array, gasLimit: bigint): PrecompileResult {
  const gas = RIPEMD160_BASE_GAS + RIPEMD160_WORD_GAS * words(input.length);
  if (gas > gasLimit) return FAILURE;
  const output = new Uint8Array(32);
  output.set(nobleRipemd160(input), 12);
  return { ok: true, gasUsed: gas, output };
}
