// A Web Worker of the browser and Deno pool (src/pool/web.ts): receives the module and the shared
// memory once, warms up, then runs Block-STM for each block it is sent.

import { Core } from '../core/core.js';
import { runWorker, type ParallelBlock } from './executor.js';
import { warmUp } from './warm-up.js';
import type { WorkerReply } from '../pool/web.js';

type Message = { kind: 'init'; module: WebAssembly.Module; memory: WebAssembly.Memory } | { kind: 'block'; block: ParallelBlock; id: number };

const scope = globalThis as unknown as { onmessage: (event: { data: Message }) => void; postMessage(reply: WorkerReply): void };
let core: Core | undefined;

scope.onmessage = async ({ data }) => {
  const block = data.kind === 'block' ? data.id : undefined;
  try {
    if (data.kind === 'init') {
      await warmUp(data.module);
      core = await Core.attach(data.module, data.memory);
      scope.postMessage({ kind: 'ready' });
    } else {
      if (!core) throw new Error('worker received a block before it was initialised');
      scope.postMessage({ kind: 'done', block: data.id, stats: runWorker(core, data.block) });
    }
  } catch (error) {
    scope.postMessage({ kind: 'error', block, message: (error as Error).message });
  }
};
