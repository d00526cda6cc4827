import { Fork } from '../fork/forks.js';
import { blake2f } from './blake2f.js';
import { bn254Add, bn254Mul, bn254Pairing } from './bn254.js';
import type { Precompile, PrecompileResult } from './common.js';
import { ecrecover } from './ecrecover.js';
import { identity } from './identity.js';
import { modexp } from './modexp.js';
import { pointEvaluation } from './point-evaluation.js';
import { ripemd160 } from './ripemd160.js';
import { sha256 } from './sha256.js';

export type { PrecompileResult } from './common.js';

/** Precompiles in address order from 0x01, each with the fork that introduced it. */
const PRECOMPILES: readonly { since: Fork; run: Precompile }[] = [
  { since: Fork.Frontier, run: ecrecover }, // 0x01
  { since: Fork.Frontier, run: sha256 }, // 0x02
  { since: Fork.Frontier, run: ripemd160 }, // 0x03
  { since: Fork.Frontier, run: identity }, // 0x04
  { since: Fork.Byzantium, run: modexp }, // 0x05, EIP-198
  { since: Fork.Byzantium, run: bn254Add }, // 0x06, EIP-196
  { since: Fork.Byzantium, run: bn254Mul }, // 0x07, EIP-196
  { since: Fork.Byzantium, run: bn254Pairing }, // 0x08, EIP-197
  { since: Fork.Istanbul, run: blake2f }, // 0x09, EIP-152
  { since: Fork.Cancun, run: pointEvaluation }, // 0x0a, EIP-4844
];

// Highest active address per fork, built once. Activation follows address order, so the active
// addresses at any fork are exactly 1 through this count.
const COUNT_BY_FORK: readonly number[] = Object.values(Fork)
  .filter((fork): fork is Fork => typeof fork === 'number')
  .map((fork) => PRECOMPILES.filter(({ since }) => since <= fork).length);

/** The highest precompile address active at `fork` (10 at Cancun); 1 through it are all active. */
export function precompileCount(fork: Fork): number {
  return COUNT_BY_FORK[fork];
}

/** Whether `address` (the 20-byte address as a number) is a precompile at `fork`. */
export function isPrecompile(address: number, fork: Fork): boolean {
  return Number.isInteger(address) && address >= 1 && address <= COUNT_BY_FORK[fork];
}

/**
 * Runs the precompile at `address` on `input` with `gasLimit` gas at `fork`. The caller checks
 * `isPrecompile` first; an inactive address is a bug in the caller and throws a RangeError.
 */
export function runPrecompile(
  address: number,
  input: Uint8Array,
  gasLimit: bigint,
  fork: Fork,
): PrecompileResult {
  if (!isPrecompile(address, fork)) {
    throw new RangeError(`address ${address} is not a precompile at fork ${Fork[fork]}`);
  }
  return PRECOMPILES[address - 1].run(input, gasLimit, fork);
}
