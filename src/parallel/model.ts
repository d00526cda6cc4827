// A model of Block-STM's time on a block at any thread count, from what one run measures: each
// transaction's sequential execution time, the block's dependency graph (which transaction read which
// earlier one's write) and the rest of the sequential run (the receipts' hashing). It simulates the
// scheduler rather than bounding the graph: threads take the lowest transaction not yet run; one that
// starts before a transaction it reads from has finished runs in vain (Block-STM would abort it or
// stop it at an estimate) and runs again once that one has, unless it was held back before starting
// behind its sender's previous transaction; every execution pays Block-STM's own costs.
// Then the block's serial and shared parts: the hand-off, committing the versions while the other
// threads hash receipts, hashing the rest together.

import type { TimelineTask } from '../block/parallel.js';

/** What the model needs to know of a block. */
export interface BlockProfile {
  /** Each transaction's sequential execution time (with its commit), ms. */
  txMs: readonly number[];
  /** [i, j]: transaction i read a value transaction j wrote (j < i), as ParallelStats.dependencies. */
  dependencies: readonly (readonly [number, number])[];
  /** The rest of the sequential run: hashing the receipts and the header values, ms. */
  tailMs: number;
  /**
   * For each transaction, the one before it from the same sender (-1: none): Block-STM holds a
   * transaction back until that one is executed (see previousOfSender in src/block/parallel.ts).
   */
  previousOfSender?: readonly number[];
}

/** Block-STM's own costs on a machine (see `bench/model.ts` for how they are measured). */
export interface Overheads {
  /** Fixed cost of a parallel block: handing it to the workers, collecting their replies, ms. */
  blockMs: number;
  /** A Block-STM execution of a transaction takes its sequential time × execScale + execMs. */
  execScale: number;
  execMs: number;
  /** Validating a transaction and scheduling its tasks, ms. */
  validateMs: number;
  /** Committing the versions, per transaction (the calling thread, while the others hash receipts), ms. */
  commitMs: number;
  /** The share of the sequential tail that is hashing receipt leaves (which threads share). */
  hashShare: number;
  /** The share of a transaction's execution spent before an execution that started too early is stopped or wasted. */
  wastedShare: number;
}

/**
 * Measured on the reference machine (2-core AMD EPYC VM, Node 20) by `npm run bench -- --only model`
 * (2026-11-26): the calibration on generated blocks it prints. `wastedShare` 1 counts a run in vain whole.
 */
export const REFERENCE_OVERHEADS: Overheads = {
  blockMs: 0.235, execScale: 1, execMs: 0.000244, validateMs: 0.00065, commitMs: 0.000208, hashShare: 0.787, wastedShare: 1,
};

export interface Prediction {
  threads: number;
  /** Predicted wall time of the block from its first transaction to its receipts root, ms. */
  ms: number;
  /** Sequential time over `ms`. */
  speedup: number;
  /** Executions the simulated scheduler ran (more than the transactions when some ran in vain). */
  executions: number;
  /** Time the threads spent on executions that ran in vain, ms (summed over threads). */
  wastedMs: number;
}

/** The sequential time of a profile: every transaction, then the tail. */
export function sequentialMs(profile: BlockProfile): number {
  return profile.txMs.reduce((a, t) => a + t, 0) + profile.tailMs;
}

/** Predicts the block's time on `threads` threads (1 is the sequential run itself). */
export function predict(profile: BlockProfile, threads: number, overheads: Overheads = REFERENCE_OVERHEADS): Prediction {
  const sequential = sequentialMs(profile);
  const n = profile.txMs.length;
  if (threads === 1 || n === 0) return { threads, ms: sequential, speedup: 1, executions: n, wastedMs: 0 };
  const stm = simulate(profile, threads, overheads);
  const commit = n * overheads.commitMs;
  const hashing = profile.tailMs * overheads.hashShare;
  // The others hash while the calling thread commits; then all hash what is left.
  const shared = commit + Math.max(0, hashing - (threads - 1) * commit) / threads;
  const ms = overheads.blockMs + stm.makespan + shared + profile.tailMs * (1 - overheads.hashShare);
  return { threads, ms, speedup: sequential / ms, executions: stm.executions, wastedMs: stm.wastedMs };
}

/** The simulated Block-STM phase: when the last transaction is final, how many executions it took. */
function simulate(profile: BlockProfile, threads: number, o: Overheads): { makespan: number; executions: number; wastedMs: number } {
  const n = profile.txMs.length;
  const reads: number[][] = Array.from({ length: n }, () => []);
  for (const [i, j] of profile.dependencies) {
    if (!(j >= 0 && j < i && i < n)) throw new RangeError(`scaling model: dependency [${i}, ${j}] does not point to an earlier transaction of ${n}`);
    reads[i].push(j);
  }
  const cost = profile.txMs.map((t) => t * o.execScale + o.execMs + o.validateMs);
  /** When each transaction's final execution ends (Infinity until it has started one). */
  const done = new Array<number>(n).fill(Infinity);
  const started = new Array<boolean>(n).fill(false);
  const free = new Array<number>(threads).fill(0);
  let remaining = n;
  let executions = 0;
  let wastedMs = 0;
  let makespan = 0;
  // A transaction whose last try ran in vain waits until everything it reads from is final.
  const readyAt = (i: number): number => {
    let at = 0;
    for (const j of reads[i]) at = Math.max(at, done[j]);
    return at;
  };
  while (remaining > 0) {
    let k = 0;
    for (let t = 1; t < threads; t++) if (free[t] < free[k]) k = t;
    const now = free[k];
    // The lowest transaction not final that this thread may take now: one never tried, or one whose
    // inputs have become final since it ran in vain.
    let pick = -1;
    let nextEvent = Infinity;
    for (let i = 0; i < n; i++) {
      if (done[i] !== Infinity) continue;
      if (!started[i]) {
        const previous = profile.previousOfSender?.[i] ?? -1;
        if (previous < 0 || done[previous] <= now) { pick = i; break; }
        nextEvent = Math.min(nextEvent, done[previous]); // held back behind its sender's previous transaction
        continue;
      }
      const at = readyAt(i);
      if (at <= now) { pick = i; break; }
      nextEvent = Math.min(nextEvent, at);
    }
    if (pick < 0) {
      // Nothing to take: wait for the next transaction to become final, or for another thread.
      let other = Infinity;
      for (let t = 0; t < threads; t++) if (t !== k && free[t] > now) other = Math.min(other, free[t]);
      free[k] = Math.min(nextEvent, other);
      if (free[k] === Infinity) throw new Error('scaling model: no transaction can run (bug)');
      continue;
    }
    executions++;
    started[pick] = true;
    if (readyAt(pick) <= now) {
      done[pick] = now + cost[pick];
      free[k] = done[pick];
      makespan = Math.max(makespan, done[pick]);
      remaining--;
    } else {
      const vain = cost[pick] * o.wastedShare;
      wastedMs += vain;
      free[k] = now + vain;
    }
  }
  return { makespan, executions, wastedMs };
}

/** A parallel run's own costs, and what the model makes of it at other thread counts (BlockStats.cost). */
export interface CostReport {
  /** The run's wall time, first transaction to receipts root, ms. */
  wallMs: number;
  /** Time the threads spent on tasks (executions, validations, receipt hashing), summed, ms. */
  cpuMs: number;
  /** Of that, executions that ran in vain (stopped by an estimate, or later aborted), ms. */
  wastedMs: number;
  /** The modelled sequential time of this block (from this run's own trace), ms. */
  sequentialMs: number;
  /** sequentialMs − wallMs: the time this run saved (negative: lost), ms. */
  savedMs: number;
  /** The modelled time and speedup at 1, 2, 4, 8, 16 and 32 threads. */
  modelled: Prediction[];
}

/** The thread counts a cost report models. */
export const MODELLED_THREADS = [1, 2, 4, 8, 16, 32];

/** A task of a traced run, as the timeline gives it (which worker ran it does not matter here). */
type Task = Omit<TimelineTask, 'worker'>;

/**
 * The cost report of a traced parallel run of n transactions. Its profile comes from the run itself:
 * each transaction's final execution less Block-STM's cost per execution, the receipt hashing
 * (summed over its chunks) as the hashing share of the tail.
 */
export function costReport(timeline: readonly Task[], dependencies: readonly (readonly [number, number])[], n: number, wallMs: number,
  previousOfSender?: readonly number[], overheads: Overheads = REFERENCE_OVERHEADS): CostReport {
  const final = new Array<Task | undefined>(n);
  let cpuMs = 0, wastedMs = 0, hashingMs = 0;
  for (const t of timeline) {
    const ms = t.endMs - t.startMs;
    cpuMs += ms;
    if (t.kind === 'receipts') hashingMs += ms;
    if (t.kind !== 'execute') continue;
    if (t.conflict) wastedMs += ms;
    else {
      const before = final[t.tx];
      if (before === undefined || before.incarnation < t.incarnation) {
        if (before) wastedMs += before.endMs - before.startMs;
        final[t.tx] = t;
      } else wastedMs += ms;
    }
  }
  const txMs = final.map((t) => (t ? Math.max(0, (t.endMs - t.startMs - overheads.execMs) / overheads.execScale) : 0));
  const profile: BlockProfile = { txMs, dependencies, tailMs: hashingMs / overheads.hashShare, previousOfSender };
  const modelled = MODELLED_THREADS.map((threads) => predict(profile, threads, overheads));
  const sequential = modelled[0].ms;
  return { wallMs, cpuMs, wastedMs, sequentialMs: sequential, savedMs: sequential - wallMs, modelled };
}
