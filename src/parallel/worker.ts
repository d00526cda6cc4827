// A worker thread of the Node pool (piscina): one Core on the shared memory, created once and warmed
// up, then one long task per block (src/parallel/executor.ts).

import { workerData } from 'piscina';
import { Core } from '../core/core.js';
import { runWorker, type ParallelBlock, type WorkerStats } from './executor.js';
import { warmUp } from './warm-up.js';
import { awaitRing, isStandby, type Standby } from './standby.js';

interface PoolData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

let core: Promise<Core> | undefined;

async function workerCore(): Promise<Core> {
  const { module, memory } = workerData as PoolData;
  await warmUp(module);
  return Core.attach(module, memory);
}

/**
 * The pool's task: join a block until it is done; or, on standby, wait to be rung for the next
 * block and join it (null if not rung in time). An empty task only starts the worker.
 */
export default async function task(message: ParallelBlock | Standby | null): Promise<WorkerStats | null> {
  core ??= workerCore();
  const c = await core;
  if (message === null) return null;
  if (!isStandby(message)) return runWorker(c, message);
  const block = awaitRing(c.memory, message);
  return block ? runWorker(c, block) : null;
}
