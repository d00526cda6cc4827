// Stress: random generated blocks (transfers, ERC-20, a nonce chain, a hot slot, random conflicts)
// under random worker timing, at 2, 4 and 8 threads; every result must equal the sequential one.
import { executeBlock } from '../build/src/index.js';
import { closePools, testHooks } from '../build/src/block/parallel.js';
import { GENERATOR_KINDS, generateBlock } from '../build/src/generate/index.js';

const SEEDS = Number(process.argv[2] ?? 40);
const outcome = (r) => JSON.stringify({ receipts: r.receipts, gasUsed: r.gasUsed, logsBloom: r.logsBloom, receiptsRoot: r.receiptsRoot,
  stateDiff: r.stateDiff, stateDiffHash: r.stateDiffHash }, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

let runs = 0, failed = 0;
for (let seed = 1; seed <= SEEDS; seed++) {
  for (const kind of GENERATOR_KINDS) {
    const inputs = generateBlock(kind, 100 + ((seed * 37) % 400), seed);
    testHooks.jitterMicros = undefined;
    const expected = outcome(await executeBlock({ ...inputs, threads: 1 }));
    for (const threads of [2, 4, 8]) {
      testHooks.jitterMicros = (seed % 4) * 20;
      runs++;
      // Half the runs never fall back to sequential, so chains and hot spots go through Block-STM.
      if (outcome(await executeBlock({ ...inputs, threads, fallback: seed % 2 !== 0 })) !== expected) {
        failed++;
        console.log(`FAIL ${kind} seed ${seed} (${inputs.block.transactions.length} txs) at ${threads} threads`);
      }
    }
  }
}
await closePools();
console.log(`stress: ${runs - failed} of ${runs} parallel runs equal to sequential`);
process.exit(failed ? 1 : 0);
