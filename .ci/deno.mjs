// Runs in Deno (`npx deno run -A .ci/deno.mjs`): the bundled and fixture mainnet blocks reproduce
// their headers, and Deno's Web Worker pool gives the sequential result byte for byte.
import { closePools, executeBlock } from '../build/src/index.js';
import { readBlockInputs } from '../build/src/block/files.js';
import { generateBlock } from '../build/src/generate/index.js';

if (typeof Deno === 'undefined') throw new Error('run this with deno');
const outcome = (r) => JSON.stringify({ receipts: r.receipts, receiptsRoot: r.receiptsRoot, logsBloom: r.logsBloom, stateDiffHash: r.stateDiffHash },
  (_, v) => (typeof v === 'bigint' ? v.toString() : v));
const blocks = ['data/blocks/19932148', 'test/fixtures/mainnet/blocks/4370000', 'test/fixtures/mainnet/blocks/15537394'];
let failed = 0;
for (const path of blocks) {
  const inputs = readBlockInputs(path);
  const r = await executeBlock({ ...inputs, threads: 1 });
  const header = r.gasUsed === BigInt(inputs.block.gasUsed) && r.logsBloom === inputs.block.logsBloom && r.receiptsRoot === inputs.block.receiptsRoot;
  const parallel = await executeBlock({ ...inputs, threads: 2 });
  const same = outcome(parallel) === outcome(r);
  if (!header || !same) failed++;
  console.log(`${header && same ? 'ok  ' : 'FAIL'} ${path}: header ${header ? 'matches' : 'differs'}, 2 threads ${same ? 'same' : 'DIFFER'}`);
}
for (const kind of ['erc20', 'mixed', 'hot', 'transfers', 'deposits']) {
  const inputs = generateBlock(kind, 300, 5);
  const same = outcome(await executeBlock({ ...inputs, threads: 2 })) === outcome(await executeBlock({ ...inputs, threads: 1 }));
  if (!same) failed++;
  console.log(`${same ? 'ok  ' : 'FAIL'} generated ${kind}: 2 threads ${same ? 'same' : 'DIFFER'}`);
}
await closePools();
console.log(`deno (${Deno.version.deno}): ${failed === 0 ? 'all passed' : `${failed} failed`}`);
Deno.exit(failed ? 1 : 0);
