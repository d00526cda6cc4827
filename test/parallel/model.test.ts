// The scaling model (src/parallel/model.ts) on blocks whose answer is known by reasoning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predict, sequentialMs, type BlockProfile, type Overheads } from '../../src/parallel/model.js';

const FREE: Overheads = { blockMs: 0, execScale: 1, execMs: 0, validateMs: 0, commitMs: 0, hashShare: 1, wastedShare: 1 };
const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

test('one thread is the sequential run itself', () => {
  const profile: BlockProfile = { txMs: [1, 2, 3], dependencies: [[2, 0]], tailMs: 0.5 };
  const p = predict(profile, 1, FREE);
  assert.equal(p.ms, 6.5);
  assert.equal(p.speedup, 1);
  assert.equal(sequentialMs(profile), 6.5);
});

test('independent equal transactions split evenly over the threads, and so does the hashing', () => {
  const profile: BlockProfile = { txMs: new Array<number>(64).fill(1), dependencies: [], tailMs: 8 };
  for (const threads of [2, 4, 8]) {
    const p = predict(profile, threads, FREE);
    close(p.ms, 64 / threads + 8 / threads, `${threads} threads`);
    assert.equal(p.executions, 64);
    assert.equal(p.wastedMs, 0);
  }
});

test('a chain gains nothing: each transaction waits for the one before, and early starts run in vain', () => {
  const n = 20;
  const profile: BlockProfile = { txMs: new Array<number>(n).fill(1), dependencies: Array.from({ length: n - 1 }, (_, i) => [i + 1, i] as [number, number]), tailMs: 0 };
  const p = predict(profile, 4, FREE);
  assert.ok(p.ms >= n, `a chain of ${n} takes at least ${n}, got ${p.ms}`);
  assert.ok(p.executions > n && p.wastedMs > 0);
  assert.ok(p.speedup <= 1);
});

test('a chain of one sender\'s transactions is held back, not run in vain; other transactions go on beside it', () => {
  const n = 20;
  const chain = Array.from({ length: n - 1 }, (_, i) => [i + 1, i] as [number, number]);
  const oneSender: BlockProfile = { txMs: new Array<number>(n).fill(1), dependencies: chain, tailMs: 0, previousOfSender: Array.from({ length: n }, (_, i) => i - 1) };
  const p = predict(oneSender, 4, FREE);
  close(p.ms, n, 'one sender');
  assert.equal(p.executions, n);
  assert.equal(p.wastedMs, 0);
  // Every other transaction from one sender (a chain through them), the rest independent: on 2
  // threads the chain's 10 run back to back while the other thread takes the 10 others.
  const previousOfSender = Array.from({ length: n }, (_, i) => (i % 2 === 0 && i > 0 ? i - 2 : -1));
  const dependencies = previousOfSender.flatMap((j, i) => (j >= 0 ? [[i, j] as [number, number]] : []));
  const mixed = predict({ txMs: new Array<number>(n).fill(1), dependencies, tailMs: 0, previousOfSender }, 2, FREE);
  close(mixed.ms, n / 2, 'a chain beside independent transactions');
  assert.equal(mixed.executions, n);
});

test('the overheads are charged: the fixed cost, each execution, and the commit overlapped with hashing', () => {
  const profile: BlockProfile = { txMs: [1, 1], dependencies: [], tailMs: 0 };
  const o: Overheads = { ...FREE, blockMs: 0.5, execMs: 0.25, commitMs: 0.1 };
  // Two threads each run one transaction (1.25), then the commit (0.2), after the fixed cost.
  close(predict(profile, 2, o).ms, 0.5 + 1.25 + 0.2, 'two transactions');
});

test('a dependency that points forward is refused', () => {
  assert.throws(() => predict({ txMs: [1, 1], dependencies: [[0, 1]], tailMs: 0 }, 2, FREE), /does not point to an earlier transaction/);
});
