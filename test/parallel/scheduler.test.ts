import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_TASK, Scheduler, isExecution, taskIncarnation, taskTx } from '../../src/scheduler.js';

/** An execution task, packed as the scheduler packs it. */
function makeExecution(txIdx: number, incarnation: number): number {
  return 2 * (txIdx + 2 ** 21 * incarnation);
}

function scheduler(n: number): Scheduler {
  const s = new Scheduler(new Int32Array(new SharedArrayBuffer(4 * Scheduler.words(n, 1))), n, 1);
  s.reset();
  return s;
}

test('one worker alone executes then validates every transaction in order, then is done', () => {
  const s = scheduler(3);
  const seen: string[] = [];
  let task = NO_TASK;
  while (!s.done()) {
    if (task === NO_TASK) task = s.nextTask();
    if (task === NO_TASK) continue;
    const i = taskTx(task), inc = taskIncarnation(task);
    seen.push(`${isExecution(task) ? 'E' : 'V'}${i}.${inc}`);
    task = isExecution(task) ? s.finishExecution(i, inc, false) : s.finishValidation(i, false);
  }
  // Validation catches up before each next execution (validation_idx < execution_idx comes first).
  assert.deepEqual(seen, ['E0.0', 'V0.0', 'E1.0', 'V1.0', 'E2.0', 'V2.0']);
});

test('a block is not done while another worker holds a task, and is once that worker finds none', () => {
  const words = new Int32Array(new SharedArrayBuffer(4 * Scheduler.words(1, 2)));
  const a = new Scheduler(words, 1, 2);
  a.reset();
  const b = new Scheduler(words, 1, 2);
  assert.equal(a.nextTask(), makeExecution(0, 0));
  assert.equal(b.nextTask(), NO_TASK, 'transaction 0 is not executed yet: nothing to validate');
  assert.ok(!b.done(), 'both indices are past the block, but a executes 0');
  const v0 = a.finishExecution(0, 0, false);
  assert.ok(!isExecution(v0) && taskTx(v0) === 0, 'validation is past 0: a validates it at once');
  assert.equal(b.nextTask(), NO_TASK);
  assert.ok(!b.done(), 'a validates 0');
  assert.equal(a.finishValidation(0, false), NO_TASK);
  assert.ok(!a.done(), 'a still holds until it looks for a task');
  assert.equal(a.nextTask(), NO_TASK);
  assert.ok(a.done() && b.done());
});

test('an aborted validation re-executes the transaction at its next incarnation', () => {
  const s = scheduler(2);
  const steps: string[] = [];
  const name = (t: number) => (t === NO_TASK ? '-' : `${isExecution(t) ? 'E' : 'V'}${taskTx(t)}.${taskIncarnation(t)}`);
  steps.push(name(s.nextTask())); // E0.0
  steps.push(name(s.finishExecution(0, 0, false))); // validation has not passed 0: nothing more
  steps.push(name(s.nextTask())); // V0.0
  steps.push(name(s.finishValidation(0, false)));
  steps.push(name(s.nextTask())); // E1.0
  steps.push(name(s.finishExecution(1, 0, false)));
  steps.push(name(s.nextTask())); // V1.0
  assert.ok(s.tryValidationAbort(1, 0));
  assert.ok(!s.tryValidationAbort(1, 0), 'a second abort of the same incarnation is refused');
  steps.push(name(s.finishValidation(1, true))); // E1.1 at once
  assert.deepEqual(steps, ['E0.0', '-', 'V0.0', '-', 'E1.0', '-', 'V1.0', 'E1.1']);
});

test('a transaction waiting on another resumes when it finishes, and a finished one refuses waiters', () => {
  const s = scheduler(2);
  assert.equal(taskTx(s.nextTask()), 0); // E0.0
  assert.equal(s.nextTask(), NO_TASK); // validating 0 is not possible yet
  const e1 = s.nextTask();
  assert.ok(isExecution(e1) && taskTx(e1) === 1);
  assert.ok(s.tryAddDependency(1, 0), '1 waits for 0, still executing');
  const v0 = s.finishExecution(0, 0, false);
  assert.ok(!isExecution(v0) && taskTx(v0) === 0, 'validation is past 0: validate it at once');
  const resumed = s.nextTask();
  assert.ok(isExecution(resumed) && taskTx(resumed) === 1 && taskIncarnation(resumed) === 1);
  assert.ok(!s.tryAddDependency(1, 0), '0 is executed: no waiting');
});

test('an aborted transaction takes waiters again, and its next incarnation resumes them', () => {
  const s = scheduler(2);
  assert.equal(s.nextTask(), makeExecution(0, 0));
  assert.equal(s.finishExecution(0, 0, false), NO_TASK);
  const v0 = s.nextTask();
  assert.ok(!isExecution(v0) && taskTx(v0) === 0);
  assert.ok(s.tryValidationAbort(0, 0));
  assert.equal(s.finishValidation(0, true), makeExecution(0, 1), 'aborted: re-executed at once');
  assert.equal(s.nextTask(), makeExecution(1, 0));
  assert.ok(s.tryAddDependency(1, 0), '0 is executing again: 1 waits for it');
  const v01 = s.finishExecution(0, 1, false);
  assert.ok(!isExecution(v01) && taskTx(v01) === 0 && taskIncarnation(v01) === 1);
  assert.equal(s.nextTask(), makeExecution(1, 1), 'resumed at its next incarnation');
  assert.ok(!s.tryAddDependency(1, 0), '0 is executed: no waiting');
  assert.equal(s.finishExecution(1, 1, false), NO_TASK);
  assert.ok(s.isExecuted(1));
});

test('the scheduler gives up when over a quarter of two windows of 64 executions in a row conflicted, not before', () => {
  const few = scheduler(1000);
  for (let i = 0; i < 640; i++) few.countExecution(i % 10 === 0);
  assert.ok(!few.gaveUp() && !few.done(), 'one in ten conflicted');
  const many = scheduler(1000);
  for (let i = 0; i < 127; i++) many.countExecution(true);
  assert.ok(!many.gaveUp(), 'not before two windows are full');
  many.countExecution(true);
  assert.ok(many.gaveUp() && many.done());
  // A few contended transactions crowd one window; the block goes on past them.
  const spot = scheduler(1000);
  for (let i = 0; i < 640; i++) spot.countExecution(i >= 64 && i < 88 || (i >= 128 && i < 136));
  assert.ok(!spot.gaveUp(), '24 of one window and 8 of the next: a quarter of the two, not more');
  // A quiet start does not hide a later chain.
  const late = scheduler(1000);
  for (let i = 0; i < 640; i++) late.countExecution(false);
  for (let i = 0; i < 128; i++) late.countExecution(i % 3 === 0);
  assert.ok(late.gaveUp(), 'a third of the last two windows conflicted');
});

test('a block of fewer than 256 transactions is judged over windows of a quarter of its size, at least 16', () => {
  const small = scheduler(100);
  for (let i = 0; i < 49; i++) small.countExecution(true);
  assert.ok(!small.gaveUp(), 'not before 50 executions');
  small.countExecution(true);
  assert.ok(small.gaveUp(), 'windows of 25 for 100 transactions');
  const tiny = scheduler(10);
  for (let i = 0; i < 31; i++) tiny.countExecution(true);
  assert.ok(!tiny.gaveUp(), 'windows are at least 16 executions');
  tiny.countExecution(true);
  assert.ok(tiny.gaveUp());
});

test('executions counted in batches are judged by the window a batch completes', () => {
  const quiet = scheduler(1000);
  for (let i = 0; i < 7; i++) quiet.countExecutions(8, 0);
  quiet.countExecutions(8, 20);
  for (let i = 0; i < 7; i++) quiet.countExecutions(8, 0);
  quiet.countExecutions(8, 12);
  assert.ok(!quiet.gaveUp(), 'a quarter of two windows is not more than a quarter');
  const chain = scheduler(1000);
  for (let i = 0; i < 7; i++) chain.countExecutions(8, 0);
  chain.countExecutions(8, 20);
  for (let i = 0; i < 7; i++) chain.countExecutions(8, 0);
  assert.ok(!chain.gaveUp());
  chain.countExecutions(8, 13);
  assert.ok(chain.gaveUp(), 'the batch completing the second window brings 33 conflicts in 128 executions');
  // The test hook's give-up point, inside a batch.
  const hooked = scheduler(1000);
  hooked.countExecutions(8, 0, 20);
  hooked.countExecutions(8, 0, 20);
  assert.ok(!hooked.gaveUp());
  hooked.countExecutions(8, 0, 20);
  assert.ok(hooked.gaveUp(), 'executions 17–24 include the 20th');
});
