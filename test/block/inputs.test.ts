import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { executeBlock } from '../../src/block/execute.js';
import { readBlockInputs } from '../../src/block/files.js';
import { BlockInputError } from '../../src/block/parse.js';
import { MissingStateError } from '../../src/core/errors.js';
import type { PreState, RpcBlock } from '../../src/block/types.js';

const path = fileURLToPath(new URL('../../../test/fixtures/mainnet/blocks/4370000', import.meta.url));

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

/**
 * The fixture pre-states leave out accounts that do not exist and slots that are zero (absent means
 * empty). Listing each one the strict mode asks for, as null or 0, makes a pre-state complete in
 * the 'unknown' sense; it must then give exactly the lenient result.
 */
async function strictPreState(inputs: ReturnType<typeof readBlockInputs>): Promise<PreState> {
  const pre = clone(inputs.preState) as PreState;
  for (let i = 0; i < 1000; i++) {
    try {
      await executeBlock({ ...inputs, preState: pre, absent: 'unknown' });
      return pre;
    } catch (error) {
      if (!(error instanceof MissingStateError)) throw error;
      if (error.slot === undefined) pre[error.address] = null;
      else pre[error.address]!.storage = { ...pre[error.address]!.storage, [error.slot]: '0x0' };
    }
  }
  throw new Error('the strict pre-state did not converge');
}

test('absent: unknown gives the same result once every read location is listed', async () => {
  const inputs = readBlockInputs(path);
  const strict = await executeBlock({ ...inputs, preState: await strictPreState(inputs), absent: 'unknown' });
  const lenient = await executeBlock(inputs);
  assert.equal(strict.stateDiffHash, lenient.stateDiffHash);
  assert.equal(strict.receiptsRoot, lenient.receiptsRoot);
});

test('absent: unknown names the block, transaction and account that is missing', async () => {
  const inputs = readBlockInputs(path);
  const pre = await strictPreState(inputs);
  const sender = inputs.block.transactions[3].from!;
  delete pre[sender];
  await assert.rejects(executeBlock({ ...inputs, preState: pre, absent: 'unknown' }), (error: unknown) => {
    assert.ok(error instanceof MissingStateError);
    assert.equal(error.address, sender);
    assert.equal(error.slot, undefined);
    assert.match(error.message, new RegExp(`^block 4370000 transaction 3 \\(0x[0-9a-f]+\\): missing state: account ${sender} is not in the pre-state$`));
    return true;
  });
});

test('absent: unknown names a missing storage slot', async () => {
  const inputs = readBlockInputs(path);
  const pre = await strictPreState(inputs);
  const [address, account] = Object.entries(pre).find(([, a]) => a && a.storage && Object.keys(a.storage).length > 0)!;
  const slot = Object.keys(account!.storage!)[0];
  delete account!.storage![slot];
  await assert.rejects(executeBlock({ ...inputs, preState: pre, absent: 'unknown' }), (error: unknown) => {
    assert.ok(error instanceof MissingStateError);
    assert.equal(error.address, address);
    assert.equal(BigInt(error.slot!), BigInt(slot));
    assert.match(error.message, /missing state: storage slot 0x[0-9a-f]{64} of 0x[0-9a-f]{40} is not in the pre-state$/);
    return true;
  });
});

test('malformed input is rejected with the block, transaction and field', async () => {
  const inputs = readBlockInputs(path);
  const cases: [(b: RpcBlock) => void, RegExp][] = [
    [(b) => { delete (b.transactions[2] as Partial<RpcBlock['transactions'][number]>).gas; }, /^block 4370000 transaction 2 \(0x[0-9a-f]+\): field "gas" is missing$/],
    [(b) => { b.transactions[5].value = '0xzz'; }, /^block 4370000 transaction 5 \(0x[0-9a-f]+\): field "value": non-hex character at position 2: "0xzz"$/],
    [(b) => { b.transactions[1].to = '0x1234'; }, /transaction 1 .*field "to" must be 20 bytes/],
    [(b) => { b.transactions[0].type = '0x7'; }, /transaction 0 .*type 7 is not supported/],
    [(b) => { (b as unknown as { transactions: string[] }).transactions = ['0xabc']; }, /transaction 0: expected a transaction object/],
    [(b) => { delete (b as Partial<RpcBlock>).timestamp; }, /^block 4370000: field "timestamp" is missing$/],
  ];
  for (const [mutate, message] of cases) {
    const block = clone(inputs.block);
    mutate(block);
    await assert.rejects(executeBlock({ ...inputs, block }), (error: unknown) => {
      assert.ok(error instanceof BlockInputError, String(error));
      assert.match(error.message, message);
      return true;
    });
  }
});

test('a malformed pre-state quantity is rejected with the account, slot and field', async () => {
  const inputs = readBlockInputs(path);
  const [address, account] = Object.entries(inputs.preState).find(([, a]) => a && Object.keys(a.storage ?? {}).length > 0)!;
  const slot = Object.keys(account!.storage!)[0];
  const preState = { ...inputs.preState, [address]: { ...account!, storage: { ...account!.storage, [slot]: '0x1q' } } };
  await assert.rejects(executeBlock({ ...inputs, preState }), (error: unknown) => {
    assert.ok(error instanceof BlockInputError, String(error));
    assert.equal(error.message, `preState account ${address.toLowerCase()} storage slot ${slot}: field "value": non-hex character at position 3: "0x1q"`);
    return true;
  });
});

test('an invalid transaction stops the block with its kind', async () => {
  const inputs = readBlockInputs(path);
  const block = clone(inputs.block);
  block.transactions[4].nonce = '0x' + (BigInt(block.transactions[4].nonce) + 1n).toString(16);
  await assert.rejects(executeBlock({ ...inputs, block }), /block 4370000 transaction 4 .*: invalid transaction: nonce is higher than the sender account nonce \(NONCE_TOO_HIGH\)/);
});

test('absent: unknown names a block hash BLOCKHASH needs but blockHashes lacks', async () => {
  // Block 11,114,732 reads the hash of block 11,114,723 (and its result depends on it).
  const merge = readBlockInputs(fileURLToPath(new URL('../../../test/fixtures/mainnet/blocks/11114732', import.meta.url)));
  const strict = await strictPreState(merge);
  const full = await executeBlock({ ...merge, preState: strict, absent: 'unknown' });
  assert.equal(full.gasUsed, BigInt(merge.block.gasUsed!));
  await assert.rejects(executeBlock({ ...merge, preState: strict, absent: 'unknown', blockHashes: {} }), (error: unknown) => {
    assert.ok(error instanceof MissingStateError);
    assert.equal(error.blockNumber, 11114723n);
    assert.match(error.message, /^block 11114732 transaction \d+ .*: missing state: the hash of block 11114723 is not in blockHashes$/);
    return true;
  });
});
