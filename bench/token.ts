// The ERC-20 the benchmark transfers: OpenZeppelin Contracts 4.9.6 `ERC20` (MIT), the compiled
// artifact its npm package ships. Version 5 made `ERC20` abstract (its artifact has no bytecode).

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { bytesToBigInt, concatBytes, hexToBytes } from '../src/bytes.js';
import { CodeRunner } from '../src/core/code-runner.js';
import type { Core } from '../src/core/core.js';
import { address, mappingKey, selector, TOKEN } from './blocks.js';

const ARTIFACT = '@openzeppelin/contracts/build/contracts/ERC20.json';
/** Storage slots tried for `_balances` (OpenZeppelin puts it first, but the artifact does not say). */
const MAX_SLOT = 16n;

/** The runtime bytecode of the token (no constructor ran: name, symbol and supply stay unset). */
export function tokenRuntimeCode(): Uint8Array {
  const path = createRequire(import.meta.url).resolve(ARTIFACT);
  const artifact = JSON.parse(readFileSync(path, 'utf8')) as { contractName: string; deployedBytecode: string };
  const code = hexToBytes(artifact.deployedBytecode, ARTIFACT);
  if (code.length === 0) throw new Error(`${ARTIFACT}: no deployed bytecode (an abstract contract?)`);
  return code;
}

/**
 * Finds the storage slot of the token's `balanceOf` mapping by trial: for each candidate slot, write
 * a marker at the mapping key of a probe holder and call `balanceOf(holder)` on parevm.
 */
export function findBalancesSlot(core: Core, code: Uint8Array): bigint {
  const holder = address(0x5a, 1);
  const marker = 0x5eed_1234_5678n;
  const runner = new CodeRunner(core);
  const call = concatBytes(selector('balanceOf(address)'), new Uint8Array(12), holder);
  for (let slot = 0n; slot < MAX_SLOT; slot++) {
    runner.set(TOKEN, { code, storage: [[mappingKey(holder, slot), marker]] }).reset();
    const result = runner.call(TOKEN, { data: call });
    if (result.status === 0 && result.output.length === 32 && bytesToBigInt(result.output) === marker) return slot;
  }
  throw new Error(`${ARTIFACT}: balanceOf reads none of the storage slots 0..${MAX_SLOT - 1n}`);
}
