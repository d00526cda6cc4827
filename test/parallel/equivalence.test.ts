import { test, after } from 'node:test';
import { availableParallelism } from 'node:os';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeBlock } from '../../src/block/execute.js';
import { readBlockInputs } from '../../src/block/files.js';
import { closePools, parallelStats, testHooks } from '../../src/block/parallel.js';
import { GENERATOR_KINDS, generateBlock } from '../../src/generate/index.js';
import type { BlockResult, ExecuteBlockOptions } from '../../src/block/types.js';

after(closePools);

const mainnet = fileURLToPath(new URL('../../../test/fixtures/mainnet/blocks', import.meta.url));
const bundled = fileURLToPath(new URL('../../../data/blocks/19932148', import.meta.url));

/** Everything a block returns that must not depend on the thread count, as comparable JSON. */
function outcome(r: BlockResult): string {
  return JSON.stringify({ receipts: r.receipts, gasUsed: r.gasUsed, logsBloom: r.logsBloom, receiptsRoot: r.receiptsRoot,
    stateDiff: r.stateDiff, stateDiffHash: r.stateDiffHash, warnings: r.warnings }, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}

async function assertSameAsSequential(inputs: Omit<ExecuteBlockOptions, 'threads'>, threads: number, what: string): Promise<BlockResult> {
  const sequential = await executeBlock({ ...inputs, threads: 1 });
  const parallel = await executeBlock({ ...inputs, threads });
  assert.equal(outcome(parallel), outcome(sequential), `${what} with ${threads} threads`);
  assert.equal(parallel.stats.threads, threads);
  return parallel;
}

test('mainnet blocks: 2 and 3 threads give the sequential result byte for byte', async () => {
  for (const path of [...readdirSync(mainnet).map((n) => join(mainnet, n)), bundled]) {
    // Never falling back, so that every block, however small, goes through Block-STM.
    const inputs = { ...readBlockInputs(path), fallback: false };
    for (const threads of [2, 3]) {
      const r = await assertSameAsSequential(inputs, threads, path);
      const p = r.stats.parallel;
      if (r.receipts.length > 0 && !p?.sequentialFallback) assert.ok(p && p.executions >= r.receipts.length);
      // And as parevm runs by default: some give up on conflicts and keep what they settled.
      await assertSameAsSequential({ ...inputs, fallback: true }, threads, `${path} (fallback)`);
    }
  }
});

test('generated blocks under random worker timing give the sequential result', async () => {
  testHooks.jitterMicros = 30;
  try {
    for (const kind of GENERATOR_KINDS) {
      for (const seed of [1, 2, 3]) {
        // Never falling back to sequential, so that chains and hot spots go through Block-STM too.
        const inputs = { ...generateBlock(kind, 150, seed), fallback: false };
        for (const threads of [2, 4]) await assertSameAsSequential(inputs, threads, `${kind} seed ${seed}`);
      }
    }
  } finally {
    testHooks.jitterMicros = undefined;
  }
});

test('conflicts are detected and resolved: a hot counter re-executes, independent transfers do not conflict', async () => {
  const hot = await executeBlock({ ...generateBlock('hot', 200, 9), threads: 2, fallback: false });
  const p = hot.stats.parallel!;
  // Every transaction reads the counter the one before it wrote: a single chain through the block.
  assert.equal(p.criticalPath.txs.length, 200);
  assert.deepEqual(p.dependencies.slice(0, 2), [[1, 0], [2, 1]]);
  const independent = await executeBlock({ ...generateBlock('transfers', 200, 9), threads: 2, fallback: false });
  assert.equal(independent.stats.parallel!.dependencies.length, 0);
  assert.equal(independent.stats.parallel!.aborts, 0);
});

test('each worker\'s statistics, left in shared memory as it leaves the block, add up to the block\'s', async () => {
  for (const threads of [2, 3]) {
    for (let call = 0; call < 5; call++) { // back to back: a call must not take the last one's replies for its own
      const r = await executeBlock({ ...generateBlock('erc20', 300, call), threads, fallback: false });
      const p = r.stats.parallel!;
      assert.equal(p.workers.length, threads);
      assert.equal(p.workers.reduce((a, w) => a + w.executions, 0), p.executions);
      assert.equal(p.workers.reduce((a, w) => a + w.validations, 0), p.validations);
      // The calling thread commits first, then joins the pool's workers in hashing the receipts: each once.
      assert.equal(p.workers.reduce((a, w) => a + w.receipts, 0), 300);
      for (const w of p.workers) {
        assert.ok(w.startedAt > performance.timeOrigin && w.totalMs > 0, `a worker's times: ${JSON.stringify(w)}`);
      }
    }
  }
});

test('workers wait on standby between blocks; after their linger a block posts to them as before', async () => {
  const inputs = { ...generateBlock('erc20', 1000, 11), fallback: false };
  const expected = await executeBlock({ ...inputs, threads: 1 });
  /** Runs until the pool's worker took part (a worker slow to wake may leave a block to the caller). */
  const joined = async (what: string): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      const r = await executeBlock({ ...inputs, threads: 2 });
      assert.equal(r.receiptsRoot, expected.receiptsRoot, what);
      assert.equal(r.stateDiffHash, expected.stateDiffHash, what);
      if ((parallelStats()?.workers[1]?.executions ?? 0) > 0) return;
    }
    assert.fail(`${what}: the pool's worker never joined`);
  };
  await joined('rung on standby'); // back to back: each block rings the standby the one before left
  await new Promise((resolve) => setTimeout(resolve, 400)); // past the standby's linger (250 ms): it returned
  await joined('posted after the linger');
});

test('a sender\'s transactions wait for its previous one instead of running in vain', async () => {
  // One sender's token transfers: each depends on the one before (nonce, balance) and on nothing else.
  for (const threads of [2, 3]) {
    const r = await assertSameAsSequential({ ...generateBlock('chain', 300, 5), fallback: false }, threads, 'one sender');
    const p = r.stats.parallel!;
    assert.equal(p.executions, 300, 'each transaction executed once');
    assert.equal(p.aborts, 0);
  }
});

test('blocks parallelism cannot help run sequentially, with the reason in the statistics', async () => {
  const cases: [string, ReturnType<typeof generateBlock>, string][] = [
    ['a small block', generateBlock('erc20', 30, 1), 'small block'],
    ['one sender', generateBlock('chain', 300, 1), 'sender chain'],
    ['few plain ether transfers', generateBlock('transfers', 200, 1), 'small block'],
  ];
  for (const [what, inputs, reason] of cases) {
    const r = await assertSameAsSequential(inputs, 2, what);
    assert.equal(r.stats.parallel?.sequentialFallback, reason, what);
  }
  const independent = await executeBlock({ ...generateBlock('erc20', 300, 1), threads: 2 });
  assert.equal(independent.stats.parallel?.sequentialFallback, undefined);
});

test('a block given up on conflicts keeps the part the parallel run settled and runs the rest sequentially', async () => {
  // Given up at a known point (a natural give-up depends on the threads' timing: a worker that joins
  // late leaves the block to the caller, without conflicts), on blocks with and without conflicts.
  const blocks = [['hot', generateBlock('hot', 1000, 1)], ['mixed', generateBlock('mixed', 1000, 2)], ['erc20', generateBlock('erc20', 1000, 3)]] as const;
  let kept = 0;
  try {
    for (const [kind, inputs] of blocks) {
      for (const [threads, giveUpAt, jitter] of [[2, 100, undefined], [3, 300, undefined], [2, 200, 20]] as const) {
        testHooks.giveUpAt = giveUpAt;
        testHooks.jitterMicros = jitter;
        const r = await assertSameAsSequential(inputs, threads, `${kind}, giving up at ${giveUpAt} executions on ${threads} threads`);
        const p = r.stats.parallel!;
        assert.equal(p.sequentialFallback, 'conflicts');
        assert.ok(p.keptTransactions! <= p.executions, `kept ${p.keptTransactions} after ${p.executions} executions`);
        // Every thread's statistics (the workers' from shared memory, as they left the given-up block).
        assert.equal(p.workers.length, threads);
        assert.equal(p.workers.reduce((a, w) => a + w.executions, 0), p.executions);
        kept += p.keptTransactions!;
      }
    }
    assert.ok(kept > 0, 'some runs kept transactions');
    // An invalid transaction after the settled part is reported as sequential execution reports it.
    const inputs = generateBlock('mixed', 1000, 4);
    inputs.block.transactions[900].nonce = '0x50';
    const error = await executeBlock({ ...inputs, threads: 1 }).catch((e: Error) => e);
    assert.match(String(error), /transaction 900/);
    for (const threads of [2, 3]) {
      testHooks.giveUpAt = 200;
      const parallel = await executeBlock({ ...inputs, threads }).catch((e: Error) => e);
      assert.equal(String(parallel), String(error), `${threads} threads`);
      assert.equal(parallelStats()?.sequentialFallback, 'conflicts');
    }
  } finally {
    testHooks.giveUpAt = undefined;
    testHooks.jitterMicros = undefined;
  }
});

test('a failing worker makes executeBlock reject, and the pool keeps working', async () => {
  const inputs = generateBlock('erc20', 300, 4);
  // The calling thread starts late, so the pool's worker takes the first tasks (and the fault).
  testHooks.callerDelayMs = 100;
  testHooks.stallTimeoutMs = 500;
  /** Waits until the pool's worker (restarted after a death) takes part in blocks again. */
  const workerReady = async () => {
    for (let i = 0; i < 100; i++) {
      await executeBlock({ ...inputs, threads: 2, fallback: false });
      if ((parallelStats()?.workers[1]?.executions ?? 0) > 0) return;
    }
    assert.fail('the pool worker never came back');
  };
  try {
    for (const fault of ['throw', 'exit', 'exit-holding'] as const) {
      await workerReady();
      testHooks.fault = fault;
      await assert.rejects(executeBlock({ ...inputs, threads: 2, fallback: false }), /block 20000000: parallel execution failed/, fault);
      testHooks.fault = undefined;
    }
  } finally {
    testHooks.fault = undefined;
    testHooks.stallTimeoutMs = undefined;
    testHooks.callerDelayMs = undefined;
  }
  await assertSameAsSequential(inputs, 2, 'erc20 after worker failures');
});

test('without a thread count a block runs on the cores available, at most 8', async () => {
  const inputs = readBlockInputs(bundled);
  const result = await executeBlock(inputs);
  assert.equal(result.stats.threads, Math.min(availableParallelism(), 8));
  assert.equal(result.stats.parallel !== undefined, result.stats.threads > 1);
  assert.equal(outcome(result), outcome(await executeBlock({ ...inputs, threads: 1 })));
});
