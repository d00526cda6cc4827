// Parallel execution of a block's transactions: the main thread writes them into shared memory,
// prepares the multi-version table, the per-transaction records and the scheduler, has every worker
// of the pool run Block-STM on them (src/parallel/executor.ts), then commits the final versions.
// The results are those of sequential execution, byte for byte; that is what the tests check.

import { Core, PARALLEL_MV_FULL, TX_MISSING_STATE, TX_SLOT_OUTPUT, TX_SLOT_SIZE, coreModule, type CoreResult } from '../core/core.js';
import { Scheduler } from '../scheduler.js';
import { createNodePool } from '../pool/node.js';
import type { WorkerPool } from '../pool/pool.js';
import type { ParallelBlock, WorkerStats } from '../parallel/executor.js';
import { checkInOrder, executeSequentially, type TxExecutor } from './execute.js';
import type { ParsedTx } from './parse.js';

/** Locations per transaction the multi-version table is sized for (it falls back to sequential when full). */
const LOCATIONS_PER_TX = 64;
const MIN_TABLE = 1 << 16;

const pools = new Map<number, Promise<WorkerPool>>();

/** The pool of `threads` workers on the core's memory (created once per memory and size). */
function poolFor(core: Core, threads: number): Promise<WorkerPool> {
  let pool = pools.get(threads);
  if (!pool) {
    pool = coreModule().then((module) => createNodePool(module, core.memory, threads));
    pools.set(threads, pool);
  }
  return pool;
}

/** Closes every worker pool (the process can then exit). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map(async (p) => (await p).close()));
}

/** Statistics of the last parallel block, per worker. */
export let lastWorkerStats: WorkerStats[] = [];

/** The executor for a thread count: sequential for 1, else Block-STM on a pool of that size. */
export async function executorFor(core: Core, threads: number): Promise<TxExecutor> {
  if (threads === 1) return executeSequentially;
  const pool = await poolFor(core, threads);
  return (c, txs, txPtrs, gasLimit, where) => executeInParallel(c, pool, txs, txPtrs, gasLimit, where);
}

async function executeInParallel(core: Core, pool: WorkerPool, txs: readonly ParsedTx[], txPtrs: readonly number[], gasLimit: bigint,
  where: string): Promise<CoreResult[]> {
  const n = txs.length;
  if (n === 0) return [];
  // Each transaction may use all of the block's gas (their structs say so): what was left for it is checked afterwards.
  const txArray = core.alloc(4 * n);
  txPtrs.forEach((p, i) => core.writeU32(txArray + 4 * i, p));
  let capacity = MIN_TABLE;
  while (capacity < n * LOCATIONS_PER_TX) capacity *= 2;
  const table = core.createVersions(capacity);
  const txSlots = core.alloc(TX_SLOT_SIZE * n);
  core.writeBytes(txSlots, new Uint8Array(TX_SLOT_SIZE * n));
  const schedulerWords = core.alloc(4 * Scheduler.words(n));
  new Scheduler(new Int32Array(core.memory.buffer, schedulerWords, Scheduler.words(n)), n).reset();
  const block: ParallelBlock = {
    fork: core.fork, eips: core.eips, env: core.block, txs: txArray, n, mvTable: table, mvCapacity: capacity, txSlots,
    scheduler: schedulerWords,
  };
  try {
    lastWorkerStats = await pool.runBlock(block);
  } catch (error) {
    // A block that outgrows the table runs again sequentially: the store is still the pre-state.
    if ((error as Error).message === PARALLEL_MV_FULL) return executeSequentially(core, txs, txPtrs, gasLimit, where);
    throw error;
  }
  core.commitVersions(n, core.coinbase);
  const outputs = Array.from({ length: n }, (_, i) => core.readU32(txSlots + TX_SLOT_SIZE * i + TX_SLOT_OUTPUT));
  const results = outputs.map((out) => core.resultAt(out));
  checkInOrder(txs, results, (i) => (results[i].validity >= TX_MISSING_STATE ? core.missingStateOf(outputs[i], results[i].validity) : undefined),
    gasLimit, where);
  return results;
}
