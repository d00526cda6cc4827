// The timeline of a parallel block (ExecuteBlockOptions.trace) and contexts without shared memory
// (a browser page that is not cross-origin isolated, simulated by its global flag).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { executeBlock, loadPreState, runBlock } from '../../src/block/execute.js';
import { parsePreState, parseTransaction } from '../../src/block/parse.js';
import { mainnet, rulesAt } from '../../src/fork/rules.js';
import { closePools } from '../../src/block/parallel.js';
import { Core } from '../../src/core/core.js';
import { SharedMemoryUnavailableError } from '../../src/core/errors.js';
import { generateBlock } from '../../src/generate/index.js';

after(closePools);

test('trace: every transaction has a final execution, every receipt is hashed once, tasks are ordered per worker', async () => {
  const inputs = generateBlock('mixed', 400, 3);
  const r = await executeBlock({ ...inputs, threads: 2, fallback: false, trace: true });
  const p = r.stats.parallel!;
  const timeline = p.timeline!;
  assert.equal(r.stats.timeline, timeline);
  assert.ok(timeline.length >= 400 + p.validations);
  assert.equal(timeline.filter((t) => t.kind === 'execute').length, p.executions);
  assert.equal(timeline.filter((t) => t.kind === 'validate').length, p.validations);
  for (let tx = 0; tx < 400; tx++) {
    assert.ok(timeline.some((t) => t.kind === 'execute' && t.tx === tx && !t.conflict), `transaction ${tx} executed to the end`);
  }
  const hashed = new Array<number>(400).fill(0);
  for (const t of timeline.filter((x) => x.kind === 'receipts')) for (let i = t.tx; i < t.tx + t.incarnation; i++) hashed[i]++;
  assert.deepEqual(hashed, new Array<number>(400).fill(1));
  for (let w = 0; w < p.workers.length; w++) {
    const own = timeline.filter((t) => t.worker === w);
    for (let i = 0; i < own.length; i++) {
      assert.ok(own[i].startMs >= 0 && own[i].endMs >= own[i].startMs);
      if (i > 0) assert.ok(own[i].startMs >= own[i - 1].endMs, `worker ${w} task ${i} starts after the one before ends`);
    }
  }
  // The cost report built from the trace.
  const cost = r.stats.cost!;
  assert.equal(cost.wallMs, r.stats.executionMs);
  assert.ok(cost.cpuMs > 0 && cost.wastedMs >= 0 && cost.wastedMs < cost.cpuMs);
  assert.deepEqual(cost.modelled.map((m) => m.threads), [1, 2, 4, 8, 16, 32]);
  assert.equal(cost.modelled[0].speedup, 1);
  assert.equal(cost.sequentialMs, cost.modelled[0].ms);
  assert.equal(cost.savedMs, cost.sequentialMs - cost.wallMs);
  for (const m of cost.modelled) assert.ok(Number.isFinite(m.ms) && m.ms > 0 && m.executions >= 400, JSON.stringify(m));
  assert.equal((await executeBlock({ ...inputs, threads: 2, fallback: false })).stats.parallel!.timeline, undefined);
});

test('trace on one thread: each transaction executed once, in order, then the receipts hashed', async () => {
  const inputs = generateBlock('erc20', 120, 4);
  const r = await executeBlock({ ...inputs, threads: 1, trace: true });
  const timeline = r.stats.timeline!;
  assert.deepEqual(timeline.map((t) => t.kind), [...new Array<string>(120).fill('execute'), 'receipts']);
  assert.deepEqual(timeline.slice(0, 120).map((t) => t.tx), Array.from({ length: 120 }, (_, i) => i));
  assert.deepEqual([timeline[120].tx, timeline[120].incarnation], [0, 120]);
  for (let i = 0; i < timeline.length; i++) {
    assert.ok(timeline[i].endMs >= timeline[i].startMs && timeline[i].startMs >= 0);
    if (i > 0) assert.ok(timeline[i].startMs >= timeline[i - 1].endMs);
  }
  assert.ok(timeline[120].endMs <= r.stats.executionMs);
  assert.equal((await executeBlock({ ...inputs, threads: 1 })).stats.timeline, undefined);
});

test('without shared memory: more threads reject with a clear error, or run on one thread when allowed', async (t) => {
  const g = globalThis as { crossOriginIsolated?: boolean };
  g.crossOriginIsolated = false;
  t.after(() => { delete g.crossOriginIsolated; });
  const inputs = generateBlock('erc20', 100, 2);
  await assert.rejects(executeBlock({ ...inputs, threads: 2 }), (error: Error) =>
    error instanceof SharedMemoryUnavailableError && /cross-origin isolated/.test(error.message) && /Cross-Origin-Embedder-Policy/.test(error.message));
  const single = await executeBlock({ ...inputs, threads: 2, allowSingleThread: true });
  assert.equal(single.stats.threads, 1);
  assert.match(single.warnings[0], /ran on 1 thread instead of 2/);
  delete g.crossOriginIsolated;
  const reference = await executeBlock({ ...inputs, threads: 1 });
  assert.equal(single.stateDiffHash, reference.stateDiffHash);
  assert.equal(single.receiptsRoot, reference.receiptsRoot);
});

test('without shared memory the core runs on an unshared memory (the unshared build)', async (t) => {
  const g = globalThis as { crossOriginIsolated?: boolean };
  g.crossOriginIsolated = false;
  t.after(() => { delete g.crossOriginIsolated; });
  const core = await Core.create();
  assert.ok(!(core.memory.buffer instanceof SharedArrayBuffer));
  const inputs = generateBlock('erc20', 80, 5);
  const number = BigInt(inputs.block.number);
  loadPreState(core, parsePreState(inputs.preState, inputs.codes), 'empty');
  const txs = inputs.block.transactions.map((tx, i) => parseTransaction(tx, i, number));
  const run = await runBlock(core, inputs.block, txs, rulesAt(mainnet(), number, BigInt(inputs.block.timestamp)));
  delete g.crossOriginIsolated;
  const reference = await executeBlock({ ...inputs, threads: 1 });
  assert.equal(run.receiptsRoot, reference.receiptsRoot);
  assert.equal(run.logsBloom, reference.logsBloom);
  assert.equal(run.gasUsed, reference.gasUsed);
});
