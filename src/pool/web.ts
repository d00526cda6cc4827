// The Web Worker pool for browsers and Deno: the same interface as the Node pool, over module
// workers and messages. The wasm module and the shared memory go to each worker once; then one
// message per worker per block.

import type { ParallelBlock, WorkerStats } from '../parallel/executor.js';
import type { WorkerPool } from './pool.js';

/**
 * Messages from a worker (src/parallel/web-worker.ts); `block` numbers the block replied to. The
 * caller may go on once the workers have left a block (src/block/parallel.ts), before their replies
 * arrive: a late reply must not pass for the next block's.
 */
export type WorkerReply = { kind: 'ready' } | { kind: 'done'; block: number; stats: WorkerStats } | { kind: 'error'; block?: number; message: string };

interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: { data: WorkerReply }) => void) | null;
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null;
}

/** The next reply of a worker (to `block`, if given), or a rejection when it fails. */
function nextReply(worker: WebWorker, block?: number): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const reply = event.data;
      if (block === undefined || reply.kind === 'ready' || reply.block === undefined || reply.block === block) resolve(reply);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      reject(new Error(`worker failed: ${event.message ?? 'unknown error'}`));
    };
  });
}

export async function createWebPool(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number): Promise<WorkerPool> {
  // Written the way bundlers recognise a worker script to ship: new Worker(new URL(…, import.meta.url)).
  const workers = Array.from({ length: threads }, () =>
    new Worker(new URL('../parallel/web-worker.js', import.meta.url), { type: 'module' }) as unknown as WebWorker);
  await Promise.all(workers.map(async (w) => {
    const ready = nextReply(w);
    w.postMessage({ kind: 'init', module, memory });
    const reply = await ready;
    if (reply.kind !== 'ready') throw new Error(`worker failed to start: ${reply.kind === 'error' ? reply.message : reply.kind}`);
  }));
  let closed = false;
  let blocks = 0;
  return {
    threads,
    wake(): void { /* a block is posted to each worker: nothing waits to be woken */ },
    async runBlock(block: ParallelBlock, onFailure: () => void): Promise<WorkerStats[]> {
      if (closed) throw new Error('the worker pool is closed');
      const id = ++blocks;
      const runs = workers.map(async (w) => {
        const reply = nextReply(w, id);
        w.postMessage({ kind: 'block', block, id });
        const r = await reply.catch((error: Error) => ({ kind: 'error', message: error.message }) as WorkerReply);
        if (r.kind === 'done') return r.stats;
        onFailure();
        throw new Error(r.kind === 'error' ? r.message : `unexpected reply ${r.kind}`);
      });
      const settled = await Promise.allSettled(runs);
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return settled.map((s) => (s as PromiseFulfilledResult<WorkerStats>).value);
    },
    async close(): Promise<void> {
      closed = true;
      for (const w of workers) w.terminate();
    },
  };
}
