// The worker pool interface: Node uses piscina (src/pool/node.ts); browsers and Deno get a Web
// Worker pool behind the same interface. One long task per worker per block.

import type { ParallelBlock, WorkerStats } from '../parallel/executor.js';

export interface WorkerPool {
  /** Worker threads in the pool. */
  readonly threads: number;
  /**
   * Has every worker join the block until it is done; resolves with each worker's statistics. When a
   * worker fails (throws or dies), `onFailure` runs at once so the others stop, and the call rejects.
   */
  runBlock(block: ParallelBlock, onFailure: () => void): Promise<WorkerStats[]>;
  /** A block is about to run: workers that sleep between blocks start waking (it is rung or posted next). */
  wake(): void;
  /** Stops the workers. */
  close(): Promise<void>;
}
