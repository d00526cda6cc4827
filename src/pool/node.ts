// The Node worker pool: piscina with one long-lived worker per thread, the wasm module and the
// shared memory sent once (as workerData), and one task per worker per block. After a block each
// worker gets its next task at once, on standby (src/parallel/standby.ts): it waits in shared memory
// to be rung, so the next block starts with a ring instead of piscina's post. A standby not rung
// within STANDBY_LINGER_MS returns (so a process that does not close its pools still exits), and the
// block after that posts as before.

import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ParallelBlock, WorkerStats } from '../parallel/executor.js';
import { arm, describe, dismiss, ring, wake, type Standby } from '../parallel/standby.js';
import type { WorkerPool } from './pool.js';

/** How long a worker waits on standby for the next block, ms. */
const STANDBY_LINGER_MS = 250;

/** `mailbox`: mailboxBytes(threads) of shared memory for the standbys, the pool's own. */
export async function createNodePool(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number, mailbox: number): Promise<WorkerPool> {
  const piscina = new Piscina({
    filename: new URL('../parallel/worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.MAX_SAFE_INTEGER,
    workerData: { module, memory },
  });
  // Start and warm every worker before the first block (an empty task each), then stand by.
  await Promise.all(Array.from({ length: threads }, () => piscina.run(null)));
  let inFlight: Promise<unknown> = Promise.resolve();
  let closed = false;
  /** Each slot's standby task, until a block rings it or finds it expired. */
  const standbys: (Promise<WorkerStats | null> | undefined)[] = new Array(threads);
  const standBy = (): void => {
    for (let slot = 0; slot < threads; slot++) {
      arm(memory, mailbox, threads, slot);
      const message: Standby = { standby: slot, slots: threads, mailbox, lingerMs: STANDBY_LINGER_MS };
      standbys[slot] = piscina.run(message) as Promise<WorkerStats | null>;
      // A failure while rung is the block's; before (the worker died waiting), the slot is no longer
      // waiting, and the next block posts to the worker piscina starts in its place.
      standbys[slot]!.catch(() => dismiss(memory, mailbox, threads, slot));
    }
    inFlight = Promise.allSettled(standbys);
  };
  standBy();
  // Woken standbys spin until the block starts: no more of them than the cores the calling thread
  // leaves free (more would take its core while it prepares the block); the others are rung as before.
  const spinners = Math.max(0, Math.min(threads, availableParallelism() - 1));
  return {
    threads,
    wake(): void {
      for (let slot = 0; slot < spinners; slot++) if (standbys[slot] !== undefined) wake(memory, mailbox, threads, slot);
    },
    async runBlock(block: ParallelBlock, onFailure: () => void): Promise<WorkerStats[]> {
      describe(memory, mailbox, threads, block);
      const runs = Array.from({ length: threads }, (_, slot) => {
        const standby = standbys[slot];
        standbys[slot] = undefined;
        const run = standby !== undefined && ring(memory, mailbox, threads, slot) ? standby : piscina.run(block) as Promise<WorkerStats>;
        return run.then((stats) => stats!, (error) => {
          onFailure();
          throw error;
        });
      });
      inFlight = Promise.allSettled(runs);
      const settled = await Promise.allSettled(runs);
      if (!closed) standBy();
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return settled.map((s) => (s as PromiseFulfilledResult<WorkerStats>).value);
    },
    async close(): Promise<void> {
      closed = true;
      for (let slot = 0; slot < threads; slot++) dismiss(memory, mailbox, threads, slot);
      await inFlight; // replies arriving at a destroyed pool are errors
      await piscina.destroy();
    },
  };
}
