import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeBlock } from '../../src/block/execute.js';
import { readBlockInputs } from '../../src/block/files.js';

const dir = fileURLToPath(new URL('../../../test/fixtures/mainnet/blocks', import.meta.url));
const bundled = fileURLToPath(new URL('../../../data/blocks/19932148', import.meta.url));
const BYZANTIUM = 4_370_000n;

for (const path of [...readdirSync(dir).map((n) => join(dir, n)), bundled]) {
  test(`mainnet block ${path.split('/').at(-1)} reproduces its header`, async () => {
    const inputs = readBlockInputs(path);
    const result = await executeBlock(inputs);
    assert.equal(result.gasUsed, BigInt(inputs.block.gasUsed!));
    assert.equal(result.logsBloom, inputs.block.logsBloom);
    if (result.number >= BYZANTIUM) assert.equal(result.receiptsRoot, inputs.block.receiptsRoot);
    else assert.equal(result.receiptsRoot, undefined);
    assert.equal(result.receipts.length, inputs.block.transactions.length);
    assert.equal(result.receipts.at(-1)?.cumulativeGasUsed ?? 0n, result.gasUsed);
    assert.ok(result.stateDiff.length > 0);
  });
}

test('the same block gives the same state diff hash twice', async () => {
  const inputs = readBlockInputs(bundled);
  const a = await executeBlock(inputs);
  const b = await executeBlock(inputs);
  assert.equal(a.stateDiffHash, b.stateDiffHash);
  assert.match(a.stateDiffHash, /^0x[0-9a-f]{64}$/);
});

test('senders recovered from signatures equal the blocks\' `from`', async () => {
  for (const n of ['46147', '4370000', '12244000', '15537394']) {
    const inputs = readBlockInputs(join(dir, n));
    const withFrom = await executeBlock(inputs);
    const stripped = { ...inputs.block, transactions: inputs.block.transactions.map(({ from: _from, ...tx }) => tx) };
    const recovered = await executeBlock({ ...inputs, block: stripped });
    assert.equal(recovered.receiptsRoot, withFrom.receiptsRoot, `block ${n}`);
    assert.equal(recovered.stateDiffHash, withFrom.stateDiffHash, `block ${n}`);
  }
});
