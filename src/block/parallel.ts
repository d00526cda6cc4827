// Parallel execution of a block's transactions: the main thread writes them into shared memory,
// prepares the multi-version table, the per-transaction records and the scheduler, has every worker
// of the pool run Block-STM on them (src/parallel/executor.ts), then commits the final versions.
// The results are those of sequential execution, byte for byte; that is what the tests check.

import { Core, PARALLEL_MEMORY_GREW, PARALLEL_MV_FULL, TX_SLOT_SIZE, coreModule } from '../core/core.js';
import { Result, Tx } from '../core/layout.js';
import { Scheduler } from '../scheduler.js';
import { availableCores, callerMayBlock, createPool } from '#platform';
import { addressKey } from '../bytes.js';
import type { WorkerPool } from '../pool/pool.js';
import { mailboxBytes } from '../parallel/standby.js';
import {
  TRACE_EXECUTE, TRACE_FIELDS, TRACE_VALIDATE, WORKER_STATS_BYTES, hashReceiptLeaves, parallelOutputs, runWorker, workerStatsOf, type ParallelBlock,
  type WorkerStats,
} from '../parallel/executor.js';
import { checkInOrder, executeSequentially, type Executed, type TxBatch, type TxExecutor } from './execute.js';
import type { ParsedTx } from './parse.js';

/** How long the calling thread waits for the workers to leave a finished block before awaiting their replies. */
const LEAVING_TIMEOUT_MS = 5;
/** Blocks with less gas in transactions that run code run sequentially (see sequentialReason). */
const MIN_PARALLEL_GAS = 4_000_000n;
const TRANSFER_GAS = 21_000n;
/**
 * Locations per transaction the multi-version table is sized for: about twice what mainnet blocks
 * touch, kept at under half load. A block that fills it runs again sequentially ('table full').
 */
const LOCATIONS_PER_TX = 32;
const MIN_TABLE = 1 << 14;
/**
 * Transactions per part of a block of independent parts: enough that taking one costs little, few
 * enough that the threads end together.
 */
const PART_TXS = 32;
/**
 * Fewer plain transfers than this run sequentially: each takes about a microsecond with its receipt,
 * and the threads' start and the serial end of a parallel block cost more than half of that saves.
 */
const MIN_INDEPENDENT_TXS = 256;
/**
 * Room made in the shared memory before a parallel block, for its versions, read and write sets,
 * results and receipts, so that no thread needs to grow the memory while others run (untouched pages
 * cost no physical memory).
 */
const RESERVED_BYTES = 64 << 20;
const RESERVED_BYTES_PER_TX = 16 << 10;

const alignTo = (alignment: number, at: number): number => Math.ceil(at / alignment) * alignment;

const pools = new Map<number, Promise<WorkerPool>>();

/**
 * The default thread count stops here: each thread has its own arena (~72 MiB, mostly room for a
 * full-depth EVM stack) in the shared memory, which is at most 4 GiB. A caller may ask for more.
 */
const MAX_DEFAULT_THREADS = 8;

/** The pool of `threads` workers on the core's memory (created once per memory and size). */
function poolFor(core: Core, threads: number): Promise<WorkerPool> {
  let pool = pools.get(threads);
  if (!pool) {
    pool = (async () => createPool(await coreModule(), core.memory, threads, core.allocPermanent(mailboxBytes(threads))))();
    pools.set(threads, pool);
  }
  return pool;
}

/** Threads when the caller names none: the cores available, at most MAX_DEFAULT_THREADS. */
export async function defaultThreads(): Promise<number> {
  return Math.max(1, Math.min(await availableCores(), MAX_DEFAULT_THREADS));
}

/** Closes every worker pool (the process can then exit). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map(async (p) => (await p).close()));
}

/**
 * For tests: vary worker timing (a random busy wait of up to `jitterMicros` before each task, a late
 * start of the calling thread), inject a worker failure, and give up at a known execution
 * (`giveUpAt`), to check that any interleaving gives sequential results, that a failure rejects
 * instead of hanging, and that a given-up block keeps only what it settled.
 */
export const testHooks: {
  jitterMicros?: number; fault?: ParallelBlock['fault']; stallTimeoutMs?: number; callerDelayMs?: number; giveUpAt?: number;
  /** The calling thread leaves the block to the workers, as a browser page's must (read when the executor is made). */
  callerStaysOut?: boolean;
} = {};

/** How a parallel block went (BlockStats.parallel). */
export interface ParallelStats {
  /**
   * Why the block ran sequentially after all: too little work in transactions that run code (under
   * 4 Mgas), mostly one sender, too many conflicts once running (then the counts below are those of the abandoned
   * parallel run), more locations than the multi-version table holds, or a thread that met pages of
   * the shared memory another thread had just added (rare: the block reserves its room first, see
   * Core.reserveShared).
   */
  sequentialFallback?: 'small block' | 'sender chain' | 'conflicts' | 'table full' | 'memory grew';
  /**
   * After a fallback on conflicts: the transactions from the first that the parallel run had settled
   * (executed and validated in order), kept as they were; the rest ran sequentially.
   */
  keptTransactions?: number;
  /**
   * The block was plain value transfers only: its transactions were split into `groups` linked by a
   * shared sender or recipient, packed into `parts` that the threads ran without Block-STM, each
   * against the store (groups share no account; the coinbase's fees were credited afterwards).
   */
  independent?: { groups: number; parts: number };
  /** Incarnations executed; more than the transactions when some re-executed. */
  executions: number;
  validations: number;
  /** Validations that failed and aborted the transaction (each causes a re-execution). */
  aborts: number;
  /**
   * Times a transaction waited for another to finish: stopped by an estimate, or held back before
   * executing until its sender's previous transaction was executed.
   */
  dependencyWaits: number;
  /** Gas of the incarnations that were aborted. */
  wastedGas: number;
  /** [tx, tx it read from] for every value a transaction's final incarnation read from an earlier one. */
  dependencies: [number, number][];
  /** The longest chain of dependent transactions, by gas: what no number of threads can run in parallel. */
  criticalPath: { gas: number; txs: number[] };
  /** Per worker (the calling thread first, where it joins): executions, validations, aborts, waits. */
  workers: WorkerStats[];
  /** With ExecuteBlockOptions.trace: every task of every worker, in each worker's order (also BlockStats.timeline). */
  timeline?: TimelineTask[];
}

/**
 * One task of one worker (ExecuteBlockOptions.trace); times in ms from the first worker's start. On
 * one thread, each transaction's execution (with its commit) and then the receipts' hashing.
 */
export interface TimelineTask {
  /** Index into ParallelStats.workers. */
  worker: number;
  kind: 'execute' | 'validate' | 'receipts';
  /** The transaction; for receipts, the first of the chunk hashed. */
  tx: number;
  /** The incarnation executed or validated; for receipts, how many were hashed. */
  incarnation: number;
  startMs: number;
  endMs: number;
  /** An execution stopped by an estimate (it waits for another), or a failed validation. */
  conflict: boolean;
}

/** The workers' traces as one timeline (WorkerStats.trace). */
export function timelineOf(workers: readonly Pick<WorkerStats, 'startedAt' | 'trace'>[]): TimelineTask[] {
  const origin = Math.min(...workers.map((w) => w.startedAt));
  const tasks: TimelineTask[] = [];
  workers.forEach((w, worker) => {
    const t = w.trace ?? [];
    for (let i = 0; i < t.length; i += TRACE_FIELDS) {
      tasks.push({
        worker, kind: t[i] === TRACE_EXECUTE ? 'execute' : t[i] === TRACE_VALIDATE ? 'validate' : 'receipts', tx: t[i + 1],
        incarnation: t[i + 2], startMs: t[i + 3] - origin, endMs: t[i + 4] - origin, conflict: t[i + 5] === 1,
      });
    }
  });
  return tasks;
}

let statsOfLastBlock: (() => ParallelStats) | undefined;
let lastStats: ParallelStats | undefined;

/** Statistics of the last parallel block (computed when first asked for, after its clock stopped). */
export function parallelStats(): ParallelStats | undefined {
  if (statsOfLastBlock) {
    lastStats = statsOfLastBlock();
    statsOfLastBlock = undefined;
  }
  return lastStats;
}

function setStats(stats: ParallelStats | (() => ParallelStats)): void {
  statsOfLastBlock = typeof stats === 'function' ? stats : () => stats;
}

/** The executor for a thread count: sequential for 1, else Block-STM on a pool of that size. */
export async function executorFor(core: Core, threads: number, { allowFallback = true, trace = false } = {}): Promise<TxExecutor> {
  if (threads === 1) return executeSequentially;
  // Where the calling thread may block, it is one of the threads: it starts on the block at once,
  // while the pool's workers wake up and join.
  const joins = callerMayBlock() && !testHooks.callerStaysOut;
  const pool = await poolFor(core, joins ? threads - 1 : threads);
  let prepared: Prepared | undefined;
  const executor: TxExecutor = (c, batch) => {
    const p = prepared;
    prepared = undefined;
    return executeInParallel(c, pool, joins, p!, batch);
  };
  executor.prepare = (c, batch) => {
    prepared = prepare(c, batch, allowFallback, trace, pool);
  };
  return executor;
}

/**
 * Why Block-STM cannot beat sequential execution here, seen before running: a small block, one with
 * under 4 Mgas in transactions that run code (the fixed cost of a parallel run outweighs what it can
 * win, and a plain ether transfer takes under a microsecond, less than Block-STM spends on it); or
 * one where most transactions come from one sender (a nonce chain: each waits for the one before).
 * `runsCode` says whether a transaction creates or calls code in the pre-state; `gasUsed` is the
 * header's, when given (the estimate is then that less 21,000 per plain transfer, else the code-running
 * transactions' gas limits); `previous` is previousOfSender's. A chain the inputs do not show is caught
 * while running.
 */
export function sequentialReason(
  txs: readonly ParsedTx[], previous: readonly number[], runsCode: (tx: ParsedTx) => boolean, gasUsed?: bigint,
): 'small block' | 'sender chain' | undefined {
  if (txs.length < 2) return 'small block';
  const code = txs.filter(runsCode);
  const codeGas = gasUsed !== undefined
    ? gasUsed - TRANSFER_GAS * BigInt(txs.length - code.length)
    : code.reduce((a, tx) => a + tx.gasLimit, 0n);
  if (codeGas < MIN_PARALLEL_GAS) return 'small block';
  // Each transaction's place in its sender's chain.
  const place = new Int32Array(txs.length);
  let longest = 0;
  for (let i = 0; i < txs.length; i++) {
    place[i] = previous[i] < 0 ? 1 : place[previous[i]] + 1;
    longest = Math.max(longest, place[i]);
  }
  return 2 * longest > txs.length ? 'sender chain' : undefined;
}

const NO_WORK = {
  executions: 0, validations: 0, aborts: 0, dependencyWaits: 0, wastedGas: 0, dependencies: [], criticalPath: { gas: 0, txs: [] }, workers: [],
};

/** The fallback a worker's error calls for, if it is one a sequential run recovers from. */
function retryReason(error: unknown): 'table full' | 'memory grew' | undefined {
  const message = (error as Error).message;
  return message === PARALLEL_MV_FULL ? 'table full' : message === PARALLEL_MEMORY_GREW ? 'memory grew' : undefined;
}

/**
 * After the workers stopped: how many transactions from the first are settled, each executed and
 * valid, and its reads still what the final writes of those before it say, so its result is the one
 * sequential execution gives. (Validation in order: once the ones before are settled, a passing
 * validation is final.)
 */
function settledPrefix(core: Core, scheduler: Scheduler, block: ParallelBlock, { txs, gasLimit }: TxBatch): number {
  core.attachBlock(block.mvTable, block.mvCapacity, block.txSlots, block.credits); // where the caller did not join (a browser's page)
  const outputs = parallelOutputs(block);
  let cumulative = 0n;
  let i = 0;
  for (; i < block.n; i++) {
    if (!scheduler.isExecuted(i) || !core.validateReads(i)) break;
    // An invalid transaction, or one the block had too little gas left for, is left to sequential
    // execution to report.
    const output = core.readU32(outputs.base + outputs.stride * i);
    if (core.readU32(output + Result.VALIDITY) !== 0 || txs[i].gasLimit > gasLimit - cumulative) break;
    cumulative += core.readU64(output + Result.GAS_USED);
  }
  return i;
}

/** How a block of plain transfers splits into groups with no account in common (see independentParts). */
interface IndependentPlan {
  /** Transaction indices per part, each group's in block order. */
  parts: number[][];
  groups: number;
  /** [tx, an earlier tx sharing an account with it] for each such pair of neighbours in a group. */
  dependencies: [number, number][];
}

/**
 * A block of plain value transfers only (to an address without code past the precompiles', no
 * access list, no blobs, the coinbase neither sender nor recipient) runs without Block-STM: its
 * transactions are grouped by the accounts they share (a sender or recipient), and groups, which
 * share nothing but the coinbase (whose fees wait in the result records), run on any thread at once,
 * each transaction against the store. Groups are packed, in block order, into parts of PART_TXS or
 * more. Undefined for another block, a small one (MIN_INDEPENDENT_TXS), one whose largest group is
 * most of it (a chain), or one with an account the store does not know under `absent: 'unknown'`.
 * Every account (and the coinbase) gets a store record first, so that no thread adds one while
 * others read.
 */
function independentParts(core: Core, txs: readonly ParsedTx[]): IndependentPlan | undefined {
  const n = txs.length;
  if (n < MIN_INDEPENDENT_TXS) return undefined;
  const coinbase = core.accountRecord(core.coinbase);
  if (coinbase === 0) return undefined;
  // Accounts numbered by their store records; each transaction's sender's and recipient's numbers.
  const ids = new Map<number, number>();
  const idOf = (rec: number): number => {
    let id = ids.get(rec);
    if (id === undefined) ids.set(rec, (id = ids.size));
    return id;
  };
  const ends = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const tx = txs[i];
    if (tx.to === undefined || tx.type > 2 || tx.accessList.length > 0 || inPrecompileRange(tx.to)) return undefined;
    const from = core.accountRecord(tx.from), to = core.accountRecord(tx.to);
    if (from === 0 || to === 0 || from === coinbase || to === coinbase || core.recordHasCode(to)) return undefined;
    ends[2 * i] = idOf(from);
    ends[2 * i + 1] = idOf(to);
  }
  // Union-find over accounts: a transaction joins its sender's and recipient's groups.
  const parent = Int32Array.from({ length: ids.size }, (_, a) => a);
  const root = (a: number): number => {
    while (parent[a] !== a) a = parent[a] = parent[parent[a]];
    return a;
  };
  for (let i = 0; i < n; i++) parent[root(ends[2 * i])] = root(ends[2 * i + 1]);
  // Groups in order of their first transaction; each transaction depends on the last before it on either account.
  const groupOf = new Int32Array(ids.size).fill(-1);
  const last = new Int32Array(ids.size).fill(-1);
  const groups: number[][] = [];
  const dependencies: [number, number][] = [];
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const from = ends[2 * i], to = ends[2 * i + 1];
    const r = root(from);
    if (groupOf[r] < 0) {
      groupOf[r] = groups.length;
      groups.push([]);
    }
    const group = groups[groupOf[r]];
    group.push(i);
    largest = Math.max(largest, group.length);
    const a = last[from], b = from === to ? -1 : last[to];
    if (a >= 0 && b >= 0 && a !== b) dependencies.push([i, Math.min(a, b)], [i, Math.max(a, b)]);
    else if (a >= 0 || b >= 0) dependencies.push([i, Math.max(a, b)]);
    last[from] = last[to] = i;
  }
  if (2 * largest > n) return undefined;
  const parts: number[][] = [];
  let part: number[] = [];
  for (const group of groups) {
    part.push(...group);
    if (part.length >= PART_TXS) {
      parts.push(part);
      part = [];
    }
  }
  if (part.length > 0) parts.push(part);
  return { parts, groups: groups.length, dependencies };
}

/**
 * Whether an address is at most 0xffff (its first 18 bytes are zero): those are, or may become,
 * precompiles, and a transfer to one runs code.
 */
function inPrecompileRange(address: Uint8Array): boolean {
  for (let i = 0; i < 18; i++) if (address[i] !== 0) return false;
  return true;
}

/** ParallelBlock.parts in shared memory. */
function writeParts(core: Core, parts: readonly number[][], n: number): number {
  const words = new Int32Array(2 + parts.length + n);
  words[0] = parts.length;
  let offset = 0;
  parts.forEach((part, p) => {
    words[1 + p] = offset;
    words.set(part, 2 + parts.length + offset);
    offset += part.length;
  });
  words[1 + parts.length] = offset;
  const at = core.alloc(words.byteLength);
  core.writeBytes(at, new Uint8Array(words.buffer));
  return at;
}

/** For each transaction (by its sender, any consistent spelling), the one before it from the same sender; -1 for none. */
export function previousOfSender(senders: readonly string[]): number[] {
  const last = new Map<string, number>();
  return senders.map((sender, i) => {
    const previous = last.get(sender) ?? -1;
    last.set(sender, i);
    return previous;
  });
}

/**
 * The recipients whose credits parallel execution defers (assembly/state/credits.ts): those of two or
 * more plain value transfers (value, not to itself, not to the coinbase or a precompile's address;
 * whether the recipient has code is seen when each runs), with those transactions, which get
 * Tx.FLAG_CREDIT.
 */
function deferredCredits(core: Core, txs: readonly ParsedTx[], senders: readonly string[], ptrs: readonly number[]): { address: Uint8Array; txs: number[] }[] {
  const coinbase = addressKey(core.coinbase);
  const byRecipient = new Map<string, { address: Uint8Array; txs: number[] }>();
  txs.forEach((tx, i) => {
    if (tx.to === undefined || tx.value === 0n || inPrecompileRange(tx.to)) return;
    const to = addressKey(tx.to);
    if (to === coinbase || to === senders[i]) return;
    let recipient = byRecipient.get(to);
    if (!recipient) byRecipient.set(to, (recipient = { address: tx.to, txs: [] }));
    recipient.txs.push(i);
  });
  const recipients = [...byRecipient.values()].filter((r) => r.txs.length >= 2);
  for (const r of recipients) for (const i of r.txs) core.writeU32(ptrs[i] + Tx.FLAGS, core.readU32(ptrs[i] + Tx.FLAGS) | Tx.FLAG_CREDIT);
  return recipients;
}

/** ParallelBlock.senders in shared memory (`previous` is previousOfSender's); 0 when every sender sends one transaction. */
function sameSenderChains(core: Core, previous: readonly number[]): number {
  if (previous.every((p) => p < 0)) return 0;
  const words = Int32Array.from(previous);
  const at = core.alloc(words.byteLength);
  core.writeBytes(at, new Uint8Array(words.buffer));
  return at;
}

/** What the parallel run of a block needs ready before its clock starts. */
interface Prepared {
  fallback?: 'small block' | 'sender chain';
  block?: ParallelBlock;
  scheduler?: Scheduler;
  /** A block of plain transfers run in independent parts, not by Block-STM. */
  independent?: IndependentPlan;
}

/**
 * Before the clock: decides whether the block is worth running in parallel, and how (Block-STM, or
 * independent parts for plain transfers), and lays out in shared memory what the workers share: the
 * transactions' addresses, the per-transaction records, the scheduler's words, the workers' statistics
 * slots, and the parts, or the multi-version table, the same-sender chains and the deferred credits.
 */
function prepare(core: Core, { txs, ptrs, list, leaves, gasUsed }: TxBatch, allowFallback: boolean, trace: boolean, pool: WorkerPool): Prepared {
  const n = txs.length;
  const independent = allowFallback ? independentParts(core, txs) : undefined;
  const senders = independent ? [] : txs.map((tx) => addressKey(tx.from));
  const previous = independent ? [] : previousOfSender(senders);
  const fallback = allowFallback && !independent ? sequentialReason(txs, previous, (tx) => tx.to === undefined || core.hasCode(tx.to), gasUsed) : undefined;
  if (fallback || n === 0) return { fallback };
  pool.wake(); // they wake while the rest is laid out
  const workers = pool.threads;
  const txSlots = core.alloc(TX_SLOT_SIZE * n);
  core.writeBytes(txSlots, new Uint8Array(TX_SLOT_SIZE * n));
  const joining = workers + 1; // and the calling thread
  const schedulerWords = core.alloc(4 * Scheduler.words(n, joining));
  core.reserveShared(RESERVED_BYTES + RESERVED_BYTES_PER_TX * n);
  const scheduler = new Scheduler(new Int32Array(core.memory.buffer, schedulerWords, Scheduler.words(n, joining)), n, joining);
  scheduler.reset();
  const workerStats = alignTo(8, core.alloc(WORKER_STATS_BYTES * workers + 8));
  const common = {
    fork: core.fork, eips: core.eips, env: core.block, txs: list, n, txSlots, scheduler: schedulerWords, workers: joining, leaves, trace, fault: testHooks.fault,
    stallTimeoutMs: testHooks.stallTimeoutMs, workerStats, jitterMicros: testHooks.jitterMicros,
  };
  if (independent) {
    const block: ParallelBlock = { ...common, parts: writeParts(core, independent.parts, n), mvTable: 0, mvCapacity: 0, senders: 0, credits: 0 };
    return { block, scheduler, independent };
  }
  // Each transaction may use all of the block's gas (their structs say so): what was left for it is checked afterwards.
  let capacity = MIN_TABLE;
  while (capacity < n * LOCATIONS_PER_TX) capacity *= 2;
  const block: ParallelBlock = {
    ...common, parts: 0, mvTable: core.createVersions(capacity, n), mvCapacity: capacity, senders: sameSenderChains(core, previous),
    credits: core.createCredits(deferredCredits(core, txs, senders, ptrs)), keepGoing: !allowFallback,
    giveUpAt: testHooks.giveUpAt,
  };
  return { block, scheduler };
}

async function executeInParallel(core: Core, pool: WorkerPool, callerJoins: boolean, prepared: Prepared, batch: TxBatch): Promise<Executed> {
  const n = batch.txs.length;
  if (prepared.fallback || !prepared.block) {
    setStats({ sequentialFallback: prepared.fallback, ...NO_WORK });
    return executeSequentially(core, batch);
  }
  const { block, scheduler, independent } = prepared as Prepared & Required<Pick<Prepared, 'block' | 'scheduler'>>;
  const running = pool.runBlock(block, () => scheduler.fail());
  // The caller works too, then commits the final versions (or credits the fees of independent parts)
  // while the workers hash the receipts (nobody touches the block's state once it is done), then
  // helps with those. Where the caller cannot block (a browser's page), the workers do all of it.
  let own: WorkerStats | undefined;
  let ownError: unknown;
  if (callerJoins) {
    try {
      if (testHooks.callerDelayMs) {
        const until = performance.now() + testHooks.callerDelayMs;
        while (performance.now() < until) { /* tests: the workers start first */ }
      }
      own = runWorker(core, { ...block, fault: undefined }, true); // injected faults are for the pool's workers
    } catch (error) {
      ownError = error;
    }
  }
  let replies: WorkerStats[] | undefined;
  let retry: ParallelStats['sequentialFallback'];
  const collect = async (): Promise<WorkerStats[]> => {
    if (replies) return replies;
    try {
      replies = await running;
    } catch (error) {
      // A block that outgrows the table, or met memory grown under it, is run again sequentially:
      // the store is still the pre-state.
      retry = retryReason(error);
      if (retry) return (replies = []);
      // A dead worker may leave work half-published in the block's versions, never in the store.
      throw new Error(`${batch.where}: parallel execution failed in a worker: ${(error as Error).message}`, { cause: error });
    }
    return replies;
  };
  if (ownError !== undefined) {
    await collect().catch(() => undefined); // the caller's own error is the one to report
    retry = retryReason(ownError);
    if (!retry) throw new Error(`${batch.where}: parallel execution failed: ${(ownError as Error).message}`, { cause: ownError });
    replies = [];
  } else if (!callerJoins || (scheduler.halted() && !scheduler.gaveUp())) {
    await collect();
  }
  const sum = (workers: readonly WorkerStats[], key: 'executions' | 'validations' | 'aborts' | 'dependencies' | 'wastedGas'): number =>
    workers.reduce((a, w) => a + w[key], 0);
  if (!scheduler.finished()) {
    // Given up on conflicts, no worker failing: the workers leave as from a finished block, their
    // statistics in shared memory (their replies are awaited after the clock).
    const left = own !== undefined && !block.trace && scheduler.gaveUp() && scheduler.waitForLeaving(pool.threads, LEAVING_TIMEOUT_MS) &&
      !scheduler.failed();
    const workers = left ? [own!, ...workerStatsOf(core, block, pool.threads)] : own ? [own, ...await collect()] : await collect();
    // Given up on conflicts, the part already settled is kept; after the other fallbacks (a thread
    // that trapped may have left its work half done) the block runs again from its start, the store
    // still being the pre-state.
    const kept = scheduler.gaveUp() && retry === undefined ? settledPrefix(core, scheduler, block, batch) : 0;
    setStats({ ...NO_WORK, sequentialFallback: scheduler.gaveUp() ? 'conflicts' : retry, keptTransactions: kept,
      executions: sum(workers, 'executions'), validations: sum(workers, 'validations'), aborts: sum(workers, 'aborts'),
      dependencyWaits: sum(workers, 'dependencies'), wastedGas: sum(workers, 'wastedGas'), workers });
    const replied = running.catch(() => undefined);
    if (kept === 0) return { ...await executeSequentially(core, batch), replied };
    core.commitVersions(kept, core.coinbase);
    return { ...await executeSequentially(core, batch, { count: kept, outputs: parallelOutputs(block) }), replied };
  }
  const outputs = parallelOutputs(block);
  let workers: WorkerStats[];
  try {
    // A block a part found invalid is neither committed nor hashed: checkInOrder names the first invalid transaction.
    if (independent && !scheduler.invalid()) core.creditDeferredFees(outputs, n, core.coinbase);
    else if (!independent) core.commitVersions(n, core.coinbase);
    if (own) own.receipts = hashReceiptLeaves(core, block, scheduler, own.trace);
    // Workers that left a block they finished without failing have hashed every receipt and left
    // their statistics: their replies (and traces) are not needed. A slow worker replies, a dead one rejects.
    const left = own !== undefined && !block.trace && scheduler.waitForLeaving(pool.threads, LEAVING_TIMEOUT_MS) && !scheduler.halted();
    workers = left ? [own!, ...workerStatsOf(core, block, pool.threads)] : own ? [own, ...await collect()] : await collect();
    if (block.leaves !== 0 && !scheduler.invalid() && !scheduler.waitForReceipts(0)) {
      throw new Error(`${batch.where}: parallel execution failed: receipts left unhashed`);
    }
  } catch (error) {
    // Every worker has left the block before the caller goes on, even to an error: one still hashing
    // receipts would write into memory the next block reuses.
    await collect().catch(() => undefined);
    throw error;
  }
  if (core.firstOutOfOrder(outputs, batch.list, n, batch.gasLimit) < n) checkInOrder(core, batch, outputs); // which throws, naming it
  // The dependency graph is read from the final read sets (or known from the accounts, for independent
  // parts) after the clock stops (state is reset only by the next block, and the core runs the hook before that).
  const stats = (): ParallelStats => {
    const dependencies = independent?.dependencies ?? readDependencies(core, block.txSlots, n);
    const gas = Array.from({ length: n }, (_, i) => Number(core.gasUsedBetween(outputs, i, i + 1)));
    return {
      independent: independent && { groups: independent.groups, parts: independent.parts.length },
      executions: sum(workers, 'executions'), validations: sum(workers, 'validations'), aborts: sum(workers, 'aborts'),
      dependencyWaits: sum(workers, 'dependencies'), wastedGas: sum(workers, 'wastedGas'), dependencies,
      criticalPath: criticalPath(dependencies, gas), workers: workers.map(({ trace: _, ...w }) => w),
      timeline: block.trace ? timelineOf(workers) : undefined,
    };
  };
  setStats(stats);
  core.beforeReset(parallelStats);
  return { outputs, leavesHashed: block.leaves !== 0, replied: running.catch(() => undefined) };
}

/**
 * The dependency edges of the final read sets (assembly/state/versioned.ts: a count, then entries of
 * 16 bytes from +8 with the version seen at +4).
 */
function readDependencies(core: Core, txSlots: number, n: number): [number, number][] {
  const words = new Uint32Array(core.memory.buffer);
  const edges: [number, number][] = [];
  const marked = new Int32Array(n).fill(-1); // marked[j] === i: tx i's edge to j is listed
  const from: number[] = [];
  for (let i = 0; i < n; i++) {
    const set = words[(txSlots + TX_SLOT_SIZE * i) >>> 2] >>> 2;
    const count = words[set];
    from.length = 0;
    for (let k = 0; k < count; k++) {
      const seen = words[set + 2 + 4 * k + 1];
      if (seen !== 0 && marked[seen - 1] !== i) {
        marked[seen - 1] = i;
        from.push(seen - 1);
      }
    }
    from.sort((a, b) => a - b);
    for (const j of from) edges.push([i, j]);
  }
  return edges;
}

/** The heaviest chain of the dependency graph (edges point to lower indices), weighted by gas. */
function criticalPath(edges: readonly [number, number][], gas: readonly number[]): { gas: number; txs: number[] } {
  const best = gas.slice();
  const previous = new Array<number>(gas.length).fill(-1);
  for (const [i, j] of edges) {
    if (best[j] + gas[i] > best[i]) {
      best[i] = best[j] + gas[i];
      previous[i] = j;
    }
  }
  let end = 0;
  for (let i = 1; i < gas.length; i++) if (best[i] > best[end]) end = i;
  const txs: number[] = [];
  for (let i = gas.length === 0 ? -1 : end; i !== -1; i = previous[i]) txs.push(i);
  return { gas: gas.length === 0 ? 0 : best[end], txs: txs.reverse() };
}
