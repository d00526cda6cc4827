// Executes every mainnet fixture block and fails on any header mismatch: gasUsed and logsBloom for
// all, receiptsRoot from Byzantium on.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { executeBlock } from '../build/src/index.js';
import { readBlockInputs } from '../build/src/block/files.js';

const dir = process.argv[2];
let failed = 0;
const blocks = readdirSync(join(dir, 'blocks')).sort((a, b) => Number(a) - Number(b));
for (const n of blocks) {
  const inputs = readBlockInputs(join(dir, 'blocks', n));
  let line;
  try {
    const r = await executeBlock(inputs);
    const checks = {
      gasUsed: r.gasUsed === BigInt(inputs.block.gasUsed),
      logsBloom: r.logsBloom === inputs.block.logsBloom,
      receiptsRoot: r.receiptsRoot === undefined ? null : r.receiptsRoot === inputs.block.receiptsRoot,
    };
    const ok = !Object.values(checks).includes(false);
    if (!ok) failed++;
    line = `${ok ? 'ok  ' : 'FAIL'} ${n} ${r.fork} ${r.receipts.length} txs ${JSON.stringify(checks)} ${r.stats.executionMs.toFixed(1)} ms`;
  } catch (error) {
    failed++;
    line = `FAIL ${n}: ${error.message}`;
  }
  console.log(line);
}
console.log(`mainnet blocks: ${blocks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
