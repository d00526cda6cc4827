// Uniswap V2 swaps through the router (bench/uniswap.ts: Uniswap's own npm builds), alone and in a
// mainnet-like mix (bench/mix.ts), as the benchmarks run them: every swap succeeds, moves the pair's reserves, and 2 and 3 threads give the sequential
// result byte for byte, on many pairs and on one hot pair.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { executeBlock } from '../../src/block/execute.js';
import { closePools } from '../../src/block/parallel.js';
import { uniswapBlock } from '../../bench/uniswap.js';
import { mainnetLikeBlock } from '../../bench/mix.js';

after(closePools);

const outcome = (r: Awaited<ReturnType<typeof executeBlock>>): string =>
  JSON.stringify({ receipts: r.receipts, receiptsRoot: r.receiptsRoot, stateDiffHash: r.stateDiffHash }, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

test('Uniswap V2 swaps: all succeed with their five logs, and parallel equals sequential', async () => {
  for (const pairs of [1, 20]) {
    const inputs = uniswapBlock(150, pairs);
    const sequential = await executeBlock({ ...inputs, threads: 1 });
    assert.equal(sequential.receipts.length, 150);
    assert.ok(sequential.receipts.every((r) => r.status === 1 && r.logs.length === 5), `${pairs} pair(s): every swap succeeds`);
    // Each pair's reserves (slot 8) changed.
    const reserves = sequential.stateDiff.filter((a) => a.storage['0x' + 8n.toString(16).padStart(64, '0')] !== undefined);
    assert.equal(reserves.length, pairs);
    for (const threads of [2, 3]) {
      const parallel = await executeBlock({ ...inputs, threads, fallback: false });
      assert.equal(outcome(parallel), outcome(sequential), `${pairs} pair(s), ${threads} threads`);
    }
    if (pairs === 1) {
      const p = (await executeBlock({ ...inputs, threads: 2, fallback: false })).stats.parallel!;
      assert.ok(p.criticalPath.txs.length > 100, 'one pair: the swaps form one chain through its reserves');
    }
  }
});

test('a mainnet-like mix (transfers, token transfers, swaps over 10 pairs): all succeed, parallel equals sequential', async () => {
  const inputs = mainnetLikeBlock(300);
  const sequential = await executeBlock({ ...inputs, threads: 1 });
  assert.equal(sequential.receipts.length, 300);
  assert.ok(sequential.receipts.every((r) => r.status === 1));
  assert.equal(sequential.receipts.filter((r) => r.logs.length === 5).length, 75, 'a quarter are swaps');
  for (const threads of [2, 3]) {
    assert.equal(outcome(await executeBlock({ ...inputs, threads, fallback: false })), outcome(sequential), `${threads} threads`);
  }
});
