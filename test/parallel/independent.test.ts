// Blocks of plain ether transfers run in independent parts (src/block/parallel.ts independentParts):
// groups of transactions linked by a shared sender or recipient, each run against the store by one
// thread, the coinbase's fees credited afterwards. The results are sequential execution's: with
// distinct accounts, with one recipient for half the block, under random timing, with an invalid
// transaction, with a pre-state that lists everything, and with a worker that dies holding a part.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { executeBlock } from '../../src/block/execute.js';
import { closePools, testHooks } from '../../src/block/parallel.js';
import { generateBlock } from '../../src/generate/index.js';
import { outcome, sameAsSequential, type Inputs } from '../helpers/parallel.js';

after(closePools);

test('transfers between distinct accounts: one group each, in parts, no Block-STM', async () => {
  for (const r of await sameAsSequential(generateBlock('transfers', 2000, 3), 'transfers')) {
    const p = r.stats.parallel!;
    assert.equal(p.sequentialFallback, undefined);
    assert.deepEqual(p.independent, { groups: 2000, parts: 63 });
    assert.equal(p.executions, 2000);
    assert.equal(p.validations, 0);
    assert.equal(p.dependencies.length, 0);
    assert.equal(p.workers.reduce((a, w) => a + w.executions, 0), 2000);
  }
});

test('where the calling thread cannot join (a browser page), the workers run the parts and the receipts', async () => {
  testHooks.callerStaysOut = true;
  try {
    for (const r of await sameAsSequential(generateBlock('transfers', 600, 9), 'caller out')) {
      assert.deepEqual(r.stats.parallel?.independent, { groups: 600, parts: 19 });
      assert.equal(r.stats.parallel?.workers.length, r.stats.threads);
    }
    // Block-STM the same way.
    const erc20 = generateBlock('erc20', 400, 9);
    const expected = outcome(await executeBlock({ ...erc20, threads: 1 }));
    assert.equal(outcome(await executeBlock({ ...erc20, threads: 2, fallback: false })), expected);
  } finally {
    testHooks.callerStaysOut = undefined;
  }
});

test('deposits to one address: its transactions are one group, run in order by one thread', async () => {
  const inputs = generateBlock('deposits', 1000, 4);
  const deposit = inputs.block.transactions[0].to!;
  for (const r of await sameAsSequential(inputs, 'deposits')) {
    const p = r.stats.parallel!;
    assert.deepEqual(p.independent, { groups: 501, parts: 17 });
    // Each deposit after the first depends on the one before it: the critical path.
    assert.equal(p.criticalPath.txs.length, 500);
    assert.deepEqual(p.dependencies.slice(0, 2), [[2, 0], [4, 2]]);
    const credited = r.stateDiff.find((a) => a.address === deposit)!;
    const paid = inputs.block.transactions.filter((t) => t.to === deposit).reduce((a, t) => a + BigInt(t.value), 0n);
    assert.equal(credited.balance, paid);
  }
});

test('blocks that are not independent transfers, or too few of them, do not run in parts', async () => {
  const transfers = generateBlock('transfers', 600, 5);
  const coinbase = transfers.block.miner;
  const cases: [string, Inputs, string][] = [
    ['255 transfers', generateBlock('transfers', 255, 5), 'small block'],
    ['a transfer to the coinbase', { ...transfers, block: { ...transfers.block, transactions: transfers.block.transactions.map((t, i) => (i === 300 ? { ...t, to: coinbase } : t)) } }, 'small block'],
    ['an access list', { ...transfers, block: { ...transfers.block, transactions: transfers.block.transactions.map((t, i) => (i === 7 ? { ...t, gas: '0x7000', accessList: [{ address: t.to!, storageKeys: [] }] } : t)) } }, 'small block'],
    ['mostly one sender', generateBlock('chain', 300, 5), 'sender chain'],
  ];
  for (const [what, inputs, reason] of cases) {
    const r = await executeBlock({ ...inputs, threads: 2 });
    assert.equal(r.stats.parallel?.independent, undefined, what);
    assert.equal(r.stats.parallel?.sequentialFallback, reason, what);
    assert.equal(outcome(r), outcome(await executeBlock({ ...inputs, threads: 1 })), what);
  }
});

test('an invalid transaction in a part is reported as sequential execution reports it', async () => {
  const inputs = generateBlock('transfers', 800, 6);
  const txs = inputs.block.transactions.slice();
  txs[517] = { ...txs[517], nonce: '0x5' };
  const block = { ...inputs, block: { ...inputs.block, transactions: txs } };
  const error = String(await executeBlock({ ...block, threads: 1 }).catch((e: Error) => e));
  assert.match(error, /transaction 517.*NONCE_TOO_HIGH|NONCE_TOO_HIGH.*transaction 517/);
  for (const threads of [2, 3]) assert.equal(String(await executeBlock({ ...block, threads }).catch((e: Error) => e)), error, `${threads} threads`);
  // The pool goes on with the next block.
  await sameAsSequential(generateBlock('transfers', 300, 6), 'after an invalid block');
});

test('under absent: unknown, a pre-state that lists every account runs in parts; one that misses a recipient errs as sequential does', async () => {
  const inputs = generateBlock('transfers', 400, 7);
  const listed: Inputs = { ...inputs, absent: 'unknown', preState: { ...inputs.preState } };
  for (const address of [...inputs.block.transactions.map((t) => t.to!), inputs.block.miner]) listed.preState![address] ??= { balance: '0x0', nonce: 0 };
  const [run] = await sameAsSequential(listed, 'listed');
  assert.deepEqual(run.stats.parallel?.independent, { groups: 400, parts: 13 });
  const missing = { ...inputs, absent: 'unknown' as const };
  const error = String(await executeBlock({ ...missing, threads: 1 }).catch((e: Error) => e));
  assert.match(error, /missing state: account 0x[0-9a-f]{40}/);
  assert.equal(String(await executeBlock({ ...missing, threads: 2 }).catch((e: Error) => e)), error);
});

test('a worker that dies holding a part makes executeBlock reject, and the pool keeps working', async () => {
  const inputs = generateBlock('transfers', 2000, 8);
  testHooks.callerDelayMs = 50; // the pool's worker takes the first part, and the fault
  testHooks.stallTimeoutMs = 300;
  try {
    for (const fault of ['throw', 'exit-holding'] as const) {
      testHooks.fault = fault;
      await assert.rejects(executeBlock({ ...inputs, threads: 2 }), /block 20000000: parallel execution failed/, fault);
      testHooks.fault = undefined;
    }
  } finally {
    testHooks.fault = undefined;
    testHooks.stallTimeoutMs = undefined;
    testHooks.callerDelayMs = undefined;
  }
  await sameAsSequential(generateBlock('transfers', 600, 8), 'after worker failures');
});
