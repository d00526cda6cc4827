// Executes every mainnet fixture block and fails on any header mismatch (gasUsed and logsBloom for
// all, receiptsRoot from Byzantium on), and on any difference between the sequential result and the
// results at 2, 4 and 8 threads (receipts, roots, state diff): once always through Block-STM
// (fallback: false), once as parevm runs by default (blocks that give up on conflicts keep what
// they settled and run the rest sequentially). The state diff must also equal the reference diff
// computed in TypeScript from the parsed pre-state (test/helpers/reference-diff.ts), hash included.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { executeBlock } from '../build/src/index.js';
import { readBlockInputs } from '../build/src/block/files.js';
import { closePools } from '../build/src/block/parallel.js';
import { stateDiffHash } from '../build/src/block/execute.js';
import { bytesToHex } from '../build/src/bytes.js';
import { referenceDiffOf } from '../build/test/helpers/reference-diff.js';

const THREADS = [2, 4, 8];
const outcome = (r) => JSON.stringify({ receipts: r.receipts, gasUsed: r.gasUsed, logsBloom: r.logsBloom, receiptsRoot: r.receiptsRoot,
  stateDiff: r.stateDiff, stateDiffHash: r.stateDiffHash }, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

const dir = process.argv[2];
let failed = 0;
const blocks = readdirSync(join(dir, 'blocks')).sort((a, b) => Number(a) - Number(b));
for (const n of blocks) {
  const inputs = readBlockInputs(join(dir, 'blocks', n));
  let line;
  try {
    const r = await executeBlock({ ...inputs, threads: 1 });
    const checks = {
      gasUsed: r.gasUsed === BigInt(inputs.block.gasUsed),
      logsBloom: r.logsBloom === inputs.block.logsBloom,
      receiptsRoot: r.receiptsRoot === undefined ? null : r.receiptsRoot === inputs.block.receiptsRoot,
    };
    const reference = await referenceDiffOf(inputs);
    checks.stateDiff = outcome({ stateDiff: reference }) === outcome({ stateDiff: r.stateDiff }) &&
      bytesToHex(stateDiffHash(reference)) === r.stateDiffHash;
    const expected = outcome(r);
    const differs = [];
    let gaveUp = 0;
    for (const threads of THREADS) {
      // fallback: false makes every block go through Block-STM, however small or conflicted.
      if (outcome(await executeBlock({ ...inputs, threads, fallback: false })) !== expected) differs.push(`${threads} (fallback: false)`);
      const byDefault = await executeBlock({ ...inputs, threads });
      if (byDefault.stats.parallel?.sequentialFallback === 'conflicts') gaveUp++;
      if (outcome(byDefault) !== expected) differs.push(`${threads}`);
    }
    const ok = !Object.values(checks).includes(false) && differs.length === 0;
    if (!ok) failed++;
    line = `${ok ? 'ok  ' : 'FAIL'} ${n} ${r.fork} ${r.receipts.length} txs ${JSON.stringify(checks)}` +
      (differs.length ? ` parallel differs at ${differs.join(', ')} threads` : ` same at ${THREADS.join('/')} threads`) +
      (gaveUp ? ` (gave up on conflicts at ${gaveUp} of them)` : '');
  } catch (error) {
    failed++;
    line = `FAIL ${n}: ${error.message}`;
  }
  console.log(line);
}
await closePools();
console.log(`mainnet blocks: ${blocks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
