// A block shaped like a mainnet block of 2024: about 40% plain ETH transfers, 35% ERC-20 transfers and
// 25% Uniswap V2 swaps over 10 pairs (so each pair sees a chain of swaps, as popular pools do), in a
// seeded random order. Built from the generators' blocks: their accounts never overlap (each derives
// its addresses from its own names), so their pre-states merge as they are.

import type { ExecuteBlockOptions, PreState } from '../src/block/types.js';
import { generateBlock, random as seeded } from '../src/generate/index.js';
import { uniswapBlock } from './uniswap.js';

type Inputs = Omit<ExecuteBlockOptions, 'threads'>;

export function mainnetLikeBlock(n: number, seed = 1): Inputs {
  const transfers = Math.round(0.4 * n);
  const tokens = Math.round(0.35 * n);
  const swaps = n - transfers - tokens;
  const parts: Inputs[] = [generateBlock('transfers', transfers, seed), generateBlock('erc20', tokens, seed), uniswapBlock(swaps, 10)];
  const preState: PreState = {};
  const codes: Record<string, string> = {};
  for (const part of parts) {
    for (const [address, account] of Object.entries(part.preState)) {
      if (address in preState) throw new Error(`mainnet-like block: ${address} is in two of its parts`);
      preState[address] = account;
    }
    Object.assign(codes, part.codes);
  }
  const transactions = parts.flatMap((p) => p.block.transactions);
  const random = seeded(seed);
  for (let i = transactions.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [transactions[i], transactions[j]] = [transactions[j], transactions[i]];
  }
  const gasLimit = transactions.reduce((sum, tx) => sum + BigInt(tx.gas ?? 0), 0n);
  const block = { ...parts[2].block, gasLimit: '0x' + (gasLimit + 30_000_000n).toString(16), transactions };
  return { block, preState, codes };
}
