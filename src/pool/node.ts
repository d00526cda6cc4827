// The Node worker pool: piscina with one long-lived worker per thread, the wasm module and the
// shared memory sent once (as workerData), and one task per worker per block.

import { Piscina } from 'piscina';
import type { ParallelBlock, WorkerStats } from '../parallel/executor.js';
import type { WorkerPool } from './pool.js';

export async function createNodePool(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number): Promise<WorkerPool> {
  const piscina = new Piscina({
    filename: new URL('../parallel/worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.MAX_SAFE_INTEGER,
    workerData: { module, memory },
  });
  // Start and warm every worker before the first block (an empty task each).
  await Promise.all(Array.from({ length: threads }, () => piscina.run(null)));
  let inFlight: Promise<unknown> = Promise.resolve();
  return {
    threads,
    async runBlock(block: ParallelBlock, onFailure: () => void): Promise<WorkerStats[]> {
      const runs = Array.from({ length: threads }, () => (piscina.run(block) as Promise<WorkerStats>).catch((error) => {
        onFailure();
        throw error;
      }));
      inFlight = Promise.allSettled(runs);
      const settled = await Promise.allSettled(runs);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return settled.map((s) => (s as PromiseFulfilledResult<WorkerStats>).value);
    },
    async close(): Promise<void> {
      await inFlight; // replies arriving at a destroyed pool are errors
      await piscina.destroy();
    },
  };
}
