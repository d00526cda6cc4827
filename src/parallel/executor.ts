// The executor: what a worker thread does with a block — Block-STM's loop gluing the scheduler
// (src/scheduler.ts, indices and statuses) to the core's multi-version execution (the MV store and
// the read and write sets live in the wasm core). Any worker runs it; all of them share one block.

import { TX_SLOT_OUTPUT, TX_SLOT_SIZE, type Core, type OutputTable } from '../core/core.js';
import { Result } from '../core/layout.js';
import { Fork } from '../fork/forks.js';
import { NO_TASK, Scheduler, isExecution, taskIncarnation, taskTx, type Task } from '../scheduler.js';

/** What a worker needs to join a block: addresses in the shared memory and the rules. */
export interface ParallelBlock {
  fork: Fork;
  eips: number;
  /** The block environment struct (src/core/inputs.ts writeBlock). */
  env: number;
  /** n u32 addresses of the transaction structs. */
  txs: number;
  n: number;
  mvTable: number;
  mvCapacity: number;
  /** n per-transaction records (TX_SLOT_SIZE bytes each). */
  txSlots: number;
  /** The scheduler's Int32 words. */
  scheduler: number;
  /** How many workers may join the block (the pool's and the calling thread): the scheduler is laid out for them. */
  workers: number;
  /** Where the receipts trie's leaf hashes go once the block is done (0: no receipts root). */
  leaves: number;
  /** Record every task's times (WorkerStats.trace). */
  trace: boolean;
  /** Tests only: a busy wait of up to this many microseconds before each task, to vary interleavings. */
  jitterMicros?: number;
  /** Never give up on conflicts (ExecuteBlockOptions.fallback false). */
  keepGoing?: boolean;
  /** Tests only: give up, as on conflicts, at this many executions. */
  giveUpAt?: number;
  /** n Int32s (0: no transaction shares a sender): for each transaction the one before it from the same sender (-1 for none). */
  senders: number;
  /** The recipients whose credits are deferred (assembly/state/credits.ts; 0: none). */
  credits: number;
  /**
   * Not 0: the block's transactions share no account across parts, and the workers run the parts
   * instead of Block-STM (src/block/parallel.ts independentParts). Int32s: the part count P, P + 1
   * offsets into the list, then the list of transaction indices, each part's in block order.
   */
  parts: number;
  /** Tests only: one worker throws, or its thread exits, at its first task ('exit-holding': holding it). */
  fault?: 'throw' | 'exit' | 'exit-holding';
  /** How long a worker with nothing to do waits for any progress before declaring the block stuck, ms. */
  stallTimeoutMs?: number;
  /**
   * Where each worker of the pool leaves its statistics (WORKER_STATS_BYTES each, 8-aligned, one per
   * worker) before it leaves the block, so the caller need not wait for the replies; 0: replies only.
   */
  workerStats: number;
}

/** What one worker did for a block. */
export interface WorkerStats {
  executions: number;
  validations: number;
  /** Waits for another transaction: an execution stopped by an estimate, or held back behind its sender's previous one. */
  dependencies: number;
  /** Validations that failed and aborted the transaction. */
  aborts: number;
  /** Gas used by the incarnations that were aborted (work thrown away). */
  wastedGas: number;
  /** Receipts whose trie leaves it hashed once the block was done. */
  receipts: number;
  /** When the worker joined the block (performance.timeOrigin + performance.now(), ms). */
  startedAt: number;
  /** From joining the block to leaving it, ms. */
  totalMs: number;
  /**
   * With ParallelBlock.trace: TRACE_FIELDS numbers per task: kind (TRACE_*), transaction (the first,
   * for receipts), incarnation (for receipts: how many), start and end (performance.timeOrigin +
   * performance.now(), ms), and 1 when it conflicted (stopped by an estimate, or failed validation).
   */
  trace?: number[];
}

/** WorkerStats' numbers in a ParallelBlock.workerStats slot, as f64s in this order. */
const STATS_FIELDS = ['executions', 'validations', 'dependencies', 'aborts', 'wastedGas', 'receipts', 'startedAt', 'totalMs'] as const;
export const WORKER_STATS_BYTES = 8 * STATS_FIELDS.length;

/** The statistics the first `workers` workers of the pool left in the block's slots. */
export function workerStatsOf(core: Core, block: ParallelBlock, workers: number): WorkerStats[] {
  const numbers = new Float64Array(core.memory.buffer, block.workerStats, workers * STATS_FIELDS.length);
  return Array.from({ length: workers }, (_, w) =>
    Object.fromEntries(STATS_FIELDS.map((field, k) => [field, numbers[w * STATS_FIELDS.length + k]])) as unknown as WorkerStats);
}

export const TRACE_EXECUTE = 0;
export const TRACE_VALIDATE = 1;
export const TRACE_RECEIPTS = 2;
export const TRACE_FIELDS = 6;

/** A clock comparable across threads, ms. */
export function clock(): number {
  return performance.timeOrigin + performance.now();
}

/** See ParallelBlock.stallTimeoutMs: longer than any one transaction takes. */
const STALL_TIMEOUT_MS = 30_000;

/** The scheduler of a block, on its words in the core's memory. */
export function schedulerOf(core: Core, block: ParallelBlock): Scheduler {
  return new Scheduler(new Int32Array(core.memory.buffer, block.scheduler, Scheduler.words(block.n, block.workers)), block.n, block.workers);
}

/** Executions a worker counts before adding them to the scheduler's count (see Scheduler.countExecutions). */
const COUNT_BATCH = 8;

/** Receipts a worker takes at a time once the block is done. */
const RECEIPT_CHUNK = 32;

/** The block's result records: in the per-transaction records. */
export function parallelOutputs(block: ParallelBlock): OutputTable {
  return { base: block.txSlots + TX_SLOT_OUTPUT, stride: TX_SLOT_SIZE };
}

/**
 * Runs Block-STM tasks for `block` (or, for a block of independent parts, its parts) until the
 * scheduler says the block is done. A worker of the pool then hashes receipts while any are left,
 * leaves its statistics in the block and leaves it; the calling thread (`caller`) does neither: it
 * commits first (or credits the fees), and keeps its statistics.
 */
export function runWorker(core: Core, block: ParallelBlock, caller = false): WorkerStats {
  core.configure(block.fork, block.eips);
  core.setBlock(block.env);
  core.attachBlock(block.mvTable, block.mvCapacity, block.txSlots, block.credits);
  const scheduler = schedulerOf(core, block);
  const txs = new Uint32Array(core.memory.buffer, block.txs, block.n).slice();
  const start = performance.now();
  const stats: WorkerStats = {
    executions: 0, validations: 0, dependencies: 0, aborts: 0, wastedGas: 0, receipts: 0, startedAt: performance.timeOrigin + start, totalMs: 0,
    trace: block.trace ? [] : undefined,
  };
  const trace = stats.trace;
  const senders = block.senders === 0 ? undefined : new Int32Array(core.memory.buffer, block.senders, block.n);

  // Executions are added to the scheduler's count in batches, at once when one conflicted (or, for
  // the give-up test hook, each).
  let executed = 0, conflicted = 0;
  const count = (conflict: boolean): void => {
    executed++;
    if (conflict) conflicted++;
    if (executed < COUNT_BATCH && !conflict && block.giveUpAt === undefined) return;
    scheduler.countExecutions(executed, conflicted, block.giveUpAt);
    executed = conflicted = 0;
  };

  const execute = (task: Task): Task => {
    const txIdx = taskTx(task), incarnation = taskIncarnation(task);
    // A transaction whose sender's previous one is not executed yet would read a stale nonce and
    // balance and run in vain: it waits for that one instead (a known chain, scheduled).
    const previous = senders ? senders[txIdx] : -1;
    // Resumed after a wait (for an estimate, or for its sender's previous transaction), its new
    // incarnation is the one that waiting was for: no sign of a conflict.
    const waited = scheduler.resumedAfterWait(txIdx);
    if (previous >= 0 && scheduler.tryAddDependency(txIdx, previous)) {
      stats.dependencies++;
      return NO_TASK;
    }
    for (;;) {
      stats.executions++;
      const begin = trace ? clock() : 0;
      const outcome = core.executeParallel(txs[txIdx], txIdx, incarnation, block.txSlots);
      trace?.push(TRACE_EXECUTE, txIdx, incarnation, begin, clock(), outcome < 0 ? 1 : 0);
      // A conflict: an execution stopped by an estimate, or one that re-runs an aborted incarnation.
      if (!block.keepGoing) count(outcome < 0 || (incarnation > 0 && !waited));
      if (outcome >= 0) return scheduler.finishExecution(txIdx, incarnation, core.wroteNewLocation());
      stats.dependencies++;
      // Refused when the blocking transaction has finished meanwhile: execute again at once.
      if (scheduler.tryAddDependency(txIdx, -1 - outcome)) return NO_TASK;
    }
  };

  const validate = (task: Task): Task => {
    const txIdx = taskTx(task), incarnation = taskIncarnation(task);
    stats.validations++;
    const begin = trace ? clock() : 0;
    const aborted = !core.validateReads(txIdx) && scheduler.tryValidationAbort(txIdx, incarnation);
    trace?.push(TRACE_VALIDATE, txIdx, incarnation, begin, clock(), aborted ? 1 : 0);
    if (aborted) {
      stats.aborts++;
      stats.wastedGas += Number(core.readU64(core.readU32(block.txSlots + TX_SLOT_SIZE * txIdx + TX_SLOT_OUTPUT) + Result.GAS_USED));
      core.markEstimates(txIdx);
    }
    return scheduler.finishValidation(txIdx, aborted);
  };

  try {
    const faulty = block.fault !== undefined && scheduler.claimFault();
    if (faulty && block.fault === 'exit') process.exit(3);
    if (faulty && block.fault === 'throw') throw new Error('injected worker failure');
    const stallTimeout = block.stallTimeoutMs ?? STALL_TIMEOUT_MS;
    scheduler.progressed();
    let since = performance.now();
    // Nothing to do: someone else holds the remaining work. If nobody takes or hands back anything
    // for a long time, a worker has died holding it; stop rather than wait forever.
    const idle = (): void => {
      if (scheduler.progressed()) since = performance.now();
      else if (performance.now() - since > stallTimeout) throw new Error(`no progress for ${stallTimeout} ms: a worker stopped while holding a task`);
    };
    if (block.parts !== 0) {
      runParts(core, block, scheduler, txs, stats, faulty);
      while (!scheduler.done()) idle();
    } else {
      let task: Task = NO_TASK;
      const jitter = block.jitterMicros ?? 0;
      while (!scheduler.done()) {
        if (jitter > 0) spin(Math.random() * jitter);
        if (task === NO_TASK) task = scheduler.nextTask();
        if (task === NO_TASK) {
          idle();
          continue;
        }
        if (faulty && isExecution(task)) process.exit(3);
        task = isExecution(task) ? execute(task) : validate(task);
      }
    }
    if (!caller) stats.receipts = hashReceiptLeaves(core, block, scheduler, trace);
  } catch (error) {
    scheduler.fail();
    throw error;
  } finally {
    stats.totalMs = performance.now() - start;
    if (!caller) {
      if (block.workerStats !== 0) {
        const numbers = new Float64Array(core.memory.buffer, block.workerStats + WORKER_STATS_BYTES * scheduler.takeStatsSlot(), STATS_FIELDS.length);
        STATS_FIELDS.forEach((field, k) => (numbers[k] = stats[field]));
      }
      scheduler.leave();
    }
  }
  return stats;
}

/**
 * Runs parts of a block of independent parts until none is left: each transaction against the store
 * directly, as sequential execution does (no other thread touches its accounts), the coinbase's fee
 * left in its result record. A part stops at an invalid transaction (the block is invalid).
 */
function runParts(core: Core, block: ParallelBlock, scheduler: Scheduler, txs: Uint32Array, stats: WorkerStats, faulty: boolean): void {
  const count = new Int32Array(core.memory.buffer, block.parts, 1)[0];
  const parts = new Int32Array(core.memory.buffer, block.parts, 2 + count + block.n);
  const list = 2 + count;
  const trace = stats.trace;
  const jitter = block.jitterMicros ?? 0;
  for (let p = scheduler.takePart(); p < count && !scheduler.halted(); p = scheduler.takePart()) {
    if (faulty) process.exit(3); // tests: 'exit-holding'
    for (let k = parts[1 + p]; k < parts[2 + p]; k++) {
      if (jitter > 0) spin(Math.random() * jitter);
      const i = parts[list + k];
      const begin = trace ? clock() : 0;
      const validity = core.executeIndependent(txs[i]);
      const output = core.lastOutput();
      if (validity === 0) core.commit();
      core.writeU32(block.txSlots + TX_SLOT_SIZE * i + TX_SLOT_OUTPUT, output);
      stats.executions++;
      trace?.push(TRACE_EXECUTE, i, 0, begin, clock(), 0);
      if (validity !== 0) {
        scheduler.markInvalid();
        break;
      }
    }
    scheduler.finishPart(count);
  }
}

/**
 * Once the block is done: hashes chunks of receipts (their trie leaves) until none are left, and
 * returns how many it hashed. Each worker walks its chunks in increasing order, so the gas used before
 * each is summed once.
 */
export function hashReceiptLeaves(core: Core, block: ParallelBlock, scheduler: Scheduler, trace?: number[]): number {
  if (block.leaves === 0 || !scheduler.finished() || scheduler.invalid()) return 0;
  const outputs = parallelOutputs(block);
  let hashed = 0, at = 0, gas = 0n;
  for (let from = scheduler.takeReceipts(RECEIPT_CHUNK); from < block.n; from = scheduler.takeReceipts(RECEIPT_CHUNK)) {
    const to = Math.min(from + RECEIPT_CHUNK, block.n);
    const begin = trace ? clock() : 0;
    gas = core.receiptLeaves(outputs, block.txs, block.n, from, to, gas + core.gasUsedBetween(outputs, at, from), block.leaves);
    trace?.push(TRACE_RECEIPTS, from, to - from, begin, clock(), 0);
    at = to;
    scheduler.receiptsHashed(to - from);
    hashed += to - from;
  }
  return hashed;
}

function spin(micros: number): void {
  const until = performance.now() + micros / 1000;
  while (performance.now() < until) { /* busy: the point is to delay this worker */ }
}
