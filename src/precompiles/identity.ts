import { FAILURE, type PrecompileResult, words } from './common.js';

// Yellow Paper, appendix E (DATACOPY): 15 + 3 per word, unchanged since Frontier.
const IDENTITY_BASE_GAS = 15n;
const IDENTITY_WORD_GAS = 3n;

/** Precompile 0x04, identity: returns a copy of its input. */
export function identity(input: Uint8Array, gasLimit: bigint): PrecompileResult {
  const gas = IDENTITY_BASE_GAS + IDENTITY_WORD_GAS * words(input.length);
  if (gas > gasLimit) return FAILURE;
  // A copy: the input may be a view into wasm memory that the caller reuses.
  return { ok: true, gasUsed: gas, output: input.slice() };
}
