// Receipts are made when first read, from a copy of the result records taken before the next block
// reuses their memory (src/core/snapshot.ts). Read only after later blocks ran, on one thread and on
// two, they must still encode to the receipts root in the block's header (computed here in JS, apart
// from the core's own root) and equal the receipts read at once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigIntToBytes, bytesToHex, hexToBytes } from '../../src/bytes.js';
import { executeBlock } from '../../src/block/execute.js';
import { readBlockInputs } from '../../src/block/files.js';
import { closePools } from '../../src/block/parallel.js';
import type { Receipt } from '../../src/block/types.js';
import { rlpEncode } from '../../src/rlp.js';
import { orderedTrieRoot } from '../../src/trie/root.js';

after(closePools);

const dir = fileURLToPath(new URL('../../../test/fixtures/mainnet/blocks', import.meta.url));

/** A receipt's consensus encoding (EIP-2718: the type byte first for typed transactions). */
function encodeReceipt(r: Receipt): Uint8Array {
  const body = rlpEncode([
    r.status === 1 ? Uint8Array.of(1) : new Uint8Array(0),
    bigIntToBytes(r.cumulativeGasUsed),
    hexToBytes(r.logsBloom),
    r.logs.map((l) => [hexToBytes(l.address), l.topics.map((t) => hexToBytes(t)), hexToBytes(l.data)]),
  ]);
  return r.type === 0 ? body : Uint8Array.from([r.type, ...body]);
}

const json = (receipts: Receipt[]): string => JSON.stringify(receipts, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

test('receipts read after later blocks ran still encode to the header\'s receipts root', async () => {
  const blocks = ['12244000', '15537394', '11114732'].map((n) => readBlockInputs(join(dir, n)));
  for (const threads of [1, 2]) {
    const results = [];
    for (const inputs of blocks) results.push(await executeBlock({ ...inputs, threads, fallback: false }));
    for (const [k, result] of results.entries()) {
      const inputs = blocks[k];
      const where = `block ${inputs.block.number} on ${threads} thread(s), read late`;
      assert.ok(result.receipts.some((r) => r.logs.length > 0), `${where}: has logs`);
      assert.equal(bytesToHex(orderedTrieRoot(result.receipts.map(encodeReceipt))), inputs.block.receiptsRoot, where);
      const fresh = await executeBlock({ ...inputs, threads: 1 });
      assert.equal(json(result.receipts), json(fresh.receipts), `${where}: as read at once`);
    }
  }
});
