// The standby protocol (src/parallel/standby.ts) on one thread: each change of a slot's state is a
// compare-and-swap, so a standby woken ahead of a block is rung without a notify, goes back to sleep
// when not rung in time, and still expires at its linger; a ring or a wake finds a standby gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fork } from '../../src/fork/forks.js';
import type { ParallelBlock } from '../../src/parallel/executor.js';
import { arm, awaitRing, describe, dismiss, mailboxBytes, ring, wake, type Standby } from '../../src/parallel/standby.js';

const SLOTS = 2;

function mailbox(): { memory: WebAssembly.Memory; standby: (slot: number, lingerMs: number) => Standby } {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  assert.ok(mailboxBytes(SLOTS) < 65536);
  return { memory, standby: (slot, lingerMs) => ({ standby: slot, slots: SLOTS, mailbox: 0, lingerMs }) };
}

const block: ParallelBlock = { fork: Fork.Cancun, eips: 0, env: 64, txs: 128, n: 3, mvTable: 0, mvCapacity: 0, txSlots: 256, scheduler: 512, workers: 3, leaves: 0, trace: false,
  senders: 0, credits: 0, parts: 0, workerStats: 1024 };

test('a standby woken ahead of its block is rung while it spins, and reads the block', () => {
  const { memory, standby } = mailbox();
  arm(memory, 0, SLOTS, 1);
  assert.equal(wake(memory, 0, SLOTS, 1), true);
  assert.equal(wake(memory, 0, SLOTS, 1), false, 'already awake');
  assert.equal(wake(memory, 0, SLOTS, 0), false, 'slot 0 never stood by');
  describe(memory, 0, SLOTS, block);
  assert.equal(ring(memory, 0, SLOTS, 1), true);
  assert.equal(ring(memory, 0, SLOTS, 1), false, 'rung once');
  assert.deepEqual(awaitRing(memory, standby(1, 1000)), block);
});

test('a woken standby not rung goes back to sleep, and expires at its linger; one rung after that is not there', () => {
  const { memory, standby } = mailbox();
  arm(memory, 0, SLOTS, 0);
  wake(memory, 0, SLOTS, 0);
  const start = performance.now();
  assert.equal(awaitRing(memory, standby(0, 40), 5), undefined);
  assert.ok(performance.now() - start >= 40, 'it waited out its linger');
  assert.equal(ring(memory, 0, SLOTS, 0), false, 'expired');
  assert.equal(dismiss(memory, 0, SLOTS, 0), false);
});

test('a woken standby is dismissed like a sleeping one', () => {
  const { memory, standby } = mailbox();
  arm(memory, 0, SLOTS, 0);
  wake(memory, 0, SLOTS, 0);
  assert.equal(dismiss(memory, 0, SLOTS, 0), true);
  assert.equal(awaitRing(memory, standby(0, 1000)), undefined);
  assert.equal(ring(memory, 0, SLOTS, 0), false);
});

test('a sleeping standby is rung with a notify and reads the block', () => {
  const { memory, standby } = mailbox();
  arm(memory, 0, SLOTS, 0);
  describe(memory, 0, SLOTS, { ...block, trace: true, keepGoing: true, fault: 'exit' });
  assert.equal(ring(memory, 0, SLOTS, 0), true);
  assert.deepEqual(awaitRing(memory, standby(0, 1000)), { ...block, trace: true, keepGoing: true, fault: 'exit' });
});
