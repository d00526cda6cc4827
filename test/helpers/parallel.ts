// Parallel-equivalence helpers shared by the parallel tests.
import assert from 'node:assert/strict';
import { executeBlock } from '../../src/block/execute.js';
import { testHooks } from '../../src/block/parallel.js';
import type { BlockResult, ExecuteBlockOptions } from '../../src/block/types.js';

export type Inputs = Omit<ExecuteBlockOptions, 'threads'>;

/** Everything a block returns that must not depend on the thread count, as comparable JSON. */
export const outcome = (r: BlockResult): string =>
  JSON.stringify({ receipts: r.receipts, gasUsed: r.gasUsed, logsBloom: r.logsBloom, receiptsRoot: r.receiptsRoot, stateDiff: r.stateDiff,
    stateDiffHash: r.stateDiffHash }, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

/** Runs `inputs` on 2 and 3 threads, with and without random timing in the workers; each must equal sequential. */
export async function sameAsSequential(inputs: Inputs, what: string): Promise<BlockResult[]> {
  const sequential = outcome(await executeBlock({ ...inputs, threads: 1 }));
  const runs: BlockResult[] = [];
  for (const threads of [2, 3]) {
    for (const jitterMicros of [undefined, 20]) {
      testHooks.jitterMicros = jitterMicros;
      try {
        const r = await executeBlock({ ...inputs, threads });
        assert.equal(outcome(r), sequential, `${what}, ${threads} threads${jitterMicros ? ', jitter' : ''}`);
        runs.push(r);
      } finally {
        testHooks.jitterMicros = undefined;
      }
    }
  }
  return runs;
}
