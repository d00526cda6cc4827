// Parallel execution of a block's transactions: the main thread writes them into shared memory,
// prepares the multi-version table, the per-transaction records and the scheduler, has every worker
// of the pool run Block-STM on them (src/parallel/executor.ts), then commits the final versions.
// The results are those of sequential execution, byte for byte; that is what the tests check.

import { Core, PARALLEL_MV_FULL, TX_MISSING_STATE, TX_SLOT_OUTPUT, TX_SLOT_SIZE, coreModule } from '../core/core.js';
import { Scheduler } from '../scheduler.js';
import { bytesToHex } from '../bytes.js';
import type { WorkerPool } from '../pool/pool.js';
import { runWorker, type ParallelBlock, type WorkerStats } from '../parallel/executor.js';
import { checkInOrder, executeSequentially, type TxExecutor } from './execute.js';
import type { ParsedTx } from './parse.js';

/** How long the calling thread waits for the workers to leave a finished block before awaiting their replies. */
const LEAVE_TIMEOUT_MS = 5;
/** Blocks with fewer transactions run sequentially (see sequentialReason). */
const MIN_PARALLEL_TXS = 64;
/**
 * Locations per transaction the multi-version table is sized for: about twice what mainnet blocks
 * touch, kept at under half load. A block that fills it runs again sequentially ('table full').
 */
const LOCATIONS_PER_TX = 32;
const MIN_TABLE = 1 << 14;

const pools = new Map<number, Promise<WorkerPool>>();

/**
 * The default thread count stops here: each thread has its own arena (~72 MiB, mostly room for a
 * full-depth EVM stack) in the shared memory, which is at most 4 GiB. A caller may ask for more.
 */
const MAX_DEFAULT_THREADS = 8;

/** Node runs piscina; browsers and Deno run Web Workers. */
function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown };
  return g.Deno === undefined && g.process?.versions?.node !== undefined;
}

/**
 * Where the calling thread may block (Node and Deno, not a browser's page), it is one of the threads:
 * it starts on the block at once, while the pool's workers wake up and join.
 */
function callerJoins(): boolean {
  return (globalThis as { document?: unknown }).document === undefined;
}

/** The pool of `threads` workers on the core's memory (created once per memory and size). */
function poolFor(core: Core, threads: number): Promise<WorkerPool> {
  let pool = pools.get(threads);
  if (!pool) {
    pool = (async () => {
      const module = await coreModule();
      if (isNode()) return (await import('../pool/node.js')).createNodePool(module, core.memory, threads);
      return (await import('../pool/web.js')).createWebPool(module, core.memory, threads);
    })();
    pools.set(threads, pool);
  }
  return pool;
}

/**
 * Threads when the caller names none: the cores available (Node's `availableParallelism`, else
 * `navigator.hardwareConcurrency`), at most MAX_DEFAULT_THREADS.
 */
export async function defaultThreads(): Promise<number> {
  const cores = isNode()
    ? (await import('node:os')).availableParallelism()
    : (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(cores, MAX_DEFAULT_THREADS));
}

/** Closes every worker pool (the process can then exit). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map(async (p) => (await p).close()));
}

/**
 * For tests: vary worker timing (a random busy wait of up to `jitterMicros` before each task, a late
 * start of the calling thread) and inject a worker failure, to check that any interleaving gives
 * sequential results and that a failure rejects instead of hanging.
 */
export const testHooks: { jitterMicros?: number; fault?: ParallelBlock['fault']; stallTimeoutMs?: number; callerDelayMs?: number } = {};

/** How a parallel block went (BlockStats.parallel). */
export interface ParallelStats {
  /**
   * Why the block ran sequentially after all: too few transactions, mostly one sender, too many
   * conflicts once running (then the counts below are those of the abandoned parallel run), or more
   * locations than the multi-version table holds.
   */
  sequentialFallback?: 'small block' | 'sender chain' | 'conflicts' | 'table full';
  /** Incarnations executed; more than the transactions when some re-executed. */
  executions: number;
  validations: number;
  /** Validations that failed and aborted the transaction (each causes a re-execution). */
  aborts: number;
  /** Executions stopped by an estimate: the transaction waited for another to finish. */
  dependencyWaits: number;
  /** Gas of the incarnations that were aborted. */
  wastedGas: number;
  /** [tx, tx it read from] for every value a transaction's final incarnation read from an earlier one. */
  dependencies: [number, number][];
  /** The longest chain of dependent transactions, by gas: what no number of threads can run in parallel. */
  criticalPath: { gas: number; txs: number[] };
  /** Per worker: executions, validations, aborts, waits. */
  workers: WorkerStats[];
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
export async function executorFor(core: Core, threads: number, allowFallback = true): Promise<TxExecutor> {
  if (threads === 1) return executeSequentially;
  const joins = callerJoins();
  const pool = await poolFor(core, joins ? threads - 1 : threads);
  let prepared: Prepared | undefined;
  const executor: TxExecutor = (c, txs, txPtrs, gasLimit, where) => {
    const p = prepared;
    prepared = undefined;
    return executeInParallel(c, pool, joins, allowFallback, p!, txs, txPtrs, gasLimit, where);
  };
  executor.prepare = (c, txs, txPtrs) => {
    prepared = prepare(c, txs, txPtrs, allowFallback);
  };
  return executor;
}

/**
 * Why Block-STM cannot beat sequential execution here, seen before running: a small block (the
 * fixed cost of a parallel run outweighs it), or one where most transactions come from one sender (a
 * nonce chain: each waits for the one before). A chain the inputs do not show is caught while running.
 */
export function sequentialReason(txs: readonly ParsedTx[]): 'small block' | 'sender chain' | undefined {
  if (txs.length < MIN_PARALLEL_TXS) return 'small block';
  const bySender = new Map<string, number>();
  let longest = 0;
  for (const tx of txs) {
    const key = bytesToHex(tx.from);
    const count = (bySender.get(key) ?? 0) + 1;
    bySender.set(key, count);
    longest = Math.max(longest, count);
  }
  return 2 * longest > txs.length ? 'sender chain' : undefined;
}

const NO_WORK = {
  executions: 0, validations: 0, aborts: 0, dependencyWaits: 0, wastedGas: 0, dependencies: [], criticalPath: { gas: 0, txs: [] }, workers: [],
};

/** What the parallel run of a block needs ready before its clock starts. */
interface Prepared {
  fallback?: 'small block' | 'sender chain';
  block?: ParallelBlock;
  scheduler?: Scheduler;
}

/**
 * Before the clock: decides whether the block is worth running in parallel and, if so, lays out in
 * shared memory what the workers share: the transactions' addresses, the multi-version table, the
 * per-transaction records and the scheduler's words.
 */
function prepare(core: Core, txs: readonly ParsedTx[], txPtrs: readonly number[], allowFallback: boolean): Prepared {
  const n = txs.length;
  const fallback = allowFallback ? sequentialReason(txs) : undefined;
  if (fallback || n === 0) return { fallback };
  // Each transaction may use all of the block's gas (their structs say so): what was left for it is checked afterwards.
  const txArray = core.alloc(4 * n);
  txPtrs.forEach((p, i) => core.writeU32(txArray + 4 * i, p));
  let capacity = MIN_TABLE;
  while (capacity < n * LOCATIONS_PER_TX) capacity *= 2;
  const table = core.createVersions(capacity);
  const txSlots = core.alloc(TX_SLOT_SIZE * n);
  core.writeBytes(txSlots, new Uint8Array(TX_SLOT_SIZE * n));
  const schedulerWords = core.alloc(4 * Scheduler.words(n));
  const scheduler = new Scheduler(new Int32Array(core.memory.buffer, schedulerWords, Scheduler.words(n)), n);
  scheduler.reset();
  const block: ParallelBlock = {
    fork: core.fork, eips: core.eips, env: core.block, txs: txArray, n, mvTable: table, mvCapacity: capacity, txSlots,
    scheduler: schedulerWords, jitterMicros: testHooks.jitterMicros, fault: testHooks.fault, keepGoing: !allowFallback,
    stallTimeoutMs: testHooks.stallTimeoutMs,
  };
  return { block, scheduler };
}

async function executeInParallel(core: Core, pool: WorkerPool, callerJoins: boolean, allowFallback: boolean, prepared: Prepared,
  txs: readonly ParsedTx[], txPtrs: readonly number[], gasLimit: bigint, where: string): Promise<number[]> {
  const n = txs.length;
  if (prepared.fallback || !prepared.block) {
    setStats({ sequentialFallback: prepared.fallback, ...NO_WORK });
    return executeSequentially(core, txs, txPtrs, gasLimit, where);
  }
  const { block, scheduler } = prepared as Required<Prepared>;
  const txSlots = block.txSlots;
  const running = pool.runBlock(block, () => scheduler.halt());
  // The caller works too. Once it is done and no worker is inside the block any more, the state is
  // its own again: it goes on with the results and collects the workers' replies (a worker may still
  // be waking up, and then leaves at once) only at the end.
  let own: WorkerStats | undefined;
  let ownError: unknown;
  if (callerJoins) {
    try {
      if (testHooks.callerDelayMs) {
        const until = performance.now() + testHooks.callerDelayMs;
        while (performance.now() < until) { /* tests: the workers start first */ }
      }
      own = runWorker(core, { ...block, fault: undefined }); // injected faults are for the pool's workers
    } catch (error) {
      ownError = error;
    }
  }
  // A worker still inside after a moment (a long transaction, or a worker that died) is waited for.
  const alone = callerJoins && scheduler.waitUntilAllLeft(LEAVE_TIMEOUT_MS);
  const collect = async (): Promise<WorkerStats[]> => {
    let workers: WorkerStats[];
    try {
      workers = await running;
    } catch (error) {
      // A block that outgrows the table is run again sequentially: the store is still the pre-state.
      if ((error as Error).message === PARALLEL_MV_FULL) return [];
      // A dead worker may leave work half-published in the block's versions, never in the store.
      throw new Error(`${where}: parallel execution failed in a worker: ${(error as Error).message}`, { cause: error });
    }
    if (ownError !== undefined) {
      if ((ownError as Error).message === PARALLEL_MV_FULL) return [];
      throw new Error(`${where}: parallel execution failed: ${(ownError as Error).message}`, { cause: ownError });
    }
    return own ? [own, ...workers] : workers;
  };
  const sum = (workers: readonly WorkerStats[], key: keyof WorkerStats): number => workers.reduce((a, w) => a + w[key], 0);
  if (scheduler.halted() || ownError !== undefined || !alone) {
    const workers = await collect();
    if (scheduler.gaveUp() || workers.length === 0) {
      setStats({ ...NO_WORK, sequentialFallback: workers.length === 0 ? 'table full' : 'conflicts', executions: sum(workers, 'executions'),
        validations: sum(workers, 'validations'), aborts: sum(workers, 'aborts'), dependencyWaits: sum(workers, 'dependencies'),
        wastedGas: sum(workers, 'wastedGas'), workers });
      return executeSequentially(core, txs, txPtrs, gasLimit, where);
    }
  }
  core.commitVersions(n, core.coinbase);
  const outputs = Array.from({ length: n }, (_, i) => core.readU32(txSlots + TX_SLOT_SIZE * i + TX_SLOT_OUTPUT));
  const results = outputs.map((out) => core.summaryAt(out));
  checkInOrder(txs, results, (i) => (results[i].validity >= TX_MISSING_STATE ? core.missingStateOf(outputs[i], results[i].validity) : undefined),
    gasLimit, where);
  const workers = await collect();
  // The dependency graph is read from the final read sets after the clock stops (state is reset only
  // by the next block, and the core runs the hook before that).
  const stats = (): ParallelStats => {
    const dependencies = readDependencies(core, txSlots, n);
    return {
      executions: sum(workers, 'executions'), validations: sum(workers, 'validations'), aborts: sum(workers, 'aborts'),
      dependencyWaits: sum(workers, 'dependencies'), wastedGas: sum(workers, 'wastedGas'), dependencies,
      criticalPath: criticalPath(dependencies, results.map((r) => Number(r.gasUsed))), workers,
    };
  };
  setStats(stats);
  core.beforeReset(parallelStats);
  return outputs;
}

/**
 * The dependency edges of the final read sets (assembly/state/versioned.ts: a count, then entries of
 * 16 bytes from +8 with the version seen at +4).
 */
function readDependencies(core: Core, txSlots: number, n: number): [number, number][] {
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const set = core.readU32(txSlots + TX_SLOT_SIZE * i);
    const count = core.readU32(set);
    const from = new Set<number>();
    for (let k = 0; k < count; k++) {
      const seen = core.readU32(set + 8 + 16 * k + 4);
      if (seen !== 0) from.add(seen - 1);
    }
    for (const j of [...from].sort((a, b) => a - b)) edges.push([i, j]);
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
