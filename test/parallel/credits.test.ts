// Deferred credits (assembly/state/credits.ts): plain ether transfers to a recipient two or more of
// the block's transactions pay are each a write of their own in parallel execution. The results are
// sequential execution's in every case around them: a recipient with code, a recipient that sends a
// transaction itself mid-block, one the pre-state does not list (absent: 'unknown'), a block given up
// on conflicts that keeps its settled part, and random timing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { executeBlock } from '../../src/block/execute.js';
import { closePools, testHooks } from '../../src/block/parallel.js';
import { generateBlock, generatedTx } from '../../src/generate/index.js';
import { outcome, sameAsSequential, type Inputs } from '../helpers/parallel.js';

after(closePools);

/** Deposits: every other transaction pays one address; its receipts and its credited balance. */
const deposits = (n: number, seed: number): Inputs => generateBlock('deposits', n, seed);
const depositAddress = (inputs: Inputs): string => inputs.block.transactions[0].to!;

test('deposits to one address do not conflict with one another', async () => {
  const inputs = deposits(2000, 1);
  const runs = await sameAsSequential({ ...inputs, fallback: false }, 'deposits');
  // Each deposit reads nothing another deposit writes: no transaction runs twice.
  for (const r of runs) assert.equal(r.stats.parallel!.aborts, 0, 'no aborts');
  const sequential = await executeBlock({ ...inputs, threads: 1 });
  const credited = sequential.stateDiff.find((a) => a.address === depositAddress(inputs))!;
  const expected = inputs.block.transactions.filter((tx) => tx.to === depositAddress(inputs)).reduce((sum, tx) => sum + BigInt(tx.value!), 0n);
  assert.equal(credited.balance, expected, 'the deposit address holds every deposit');
});

test('a recipient with code runs its code: the credit is not deferred', async () => {
  // `hot` calls one counter contract; sending value with each call makes them candidates.
  const inputs = generateBlock('hot', 300, 2);
  inputs.block.transactions.forEach((tx) => (tx.value = '0x3b9aca00'));
  const runs = await sameAsSequential({ ...inputs, fallback: false }, 'value to a contract');
  assert.ok(runs.every((r) => r.receipts.every((receipt) => receipt.status === 1)));
});

test('a recipient that sends a transaction mid-block sees the deposits before it', async () => {
  const inputs = deposits(600, 3);
  const deposit = depositAddress(inputs);
  const funds = 10n ** 16n;
  inputs.preState[deposit] = { balance: '0x' + funds.toString(16), nonce: 0 };
  // Half-way, the deposit address sends on all it can: valid only if it sees every deposit before it
  // (a transaction's balance must cover its value and its gas limit at the fee cap of 20 gwei).
  const received = inputs.block.transactions.slice(0, 300).filter((tx) => tx.to === deposit).reduce((sum, tx) => sum + BigInt(tx.value!), 0n);
  const sweep = generatedTx(deposit, 0, '0x' + '5e'.repeat(20), funds + received - 21_000n * 20_000_000_000n, 21_000n);
  inputs.block.transactions.splice(300, 1, sweep);
  const runs = await sameAsSequential({ ...inputs, fallback: false }, 'a sweep mid-block');
  assert.ok(runs[0].receipts.every((r) => r.status === 1));
});

test('a recipient missing from a pre-state that lists everything is reported as sequential execution reports it', async () => {
  const inputs = { ...deposits(300, 4), absent: 'unknown' as const };
  const error = await executeBlock({ ...inputs, threads: 1 }).catch((e: Error) => e);
  assert.match(String(error), /missing state: account 0x[0-9a-f]{40}/);
  for (const threads of [2, 3]) {
    assert.equal(String(await executeBlock({ ...inputs, threads, fallback: false }).catch((e: Error) => e)), String(error), `${threads} threads`);
  }
});

test('a block given up with deposits in its settled part keeps them', async () => {
  const inputs = deposits(2000, 5);
  const sequential = outcome(await executeBlock({ ...inputs, threads: 1 }));
  for (const giveUpAt of [50, 400]) {
    testHooks.giveUpAt = giveUpAt;
    try {
      const r = await executeBlock({ ...inputs, threads: 2 });
      assert.equal(outcome(r), sequential, `giving up at ${giveUpAt}`);
    } finally {
      testHooks.giveUpAt = undefined;
    }
  }
});
