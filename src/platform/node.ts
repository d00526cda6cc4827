// What differs between runtimes, for Node and Deno (package.json maps `#platform` here by default;
// browsers and bundlers targeting them get ./browser.ts). Node runs piscina, Deno Web Workers.

import type { WorkerPool } from '../pool/pool.js';

/** Compiles the wasm module at `url` (a file next to this package, or a fetched URL). */
export async function compileWasm(url: URL): Promise<WebAssembly.Module> {
  if (url.protocol !== 'file:') return WebAssembly.compileStreaming(fetch(url));
  const { readFile } = await import('node:fs/promises');
  return WebAssembly.compile(new Uint8Array(await readFile(url)));
}

/** The cores this process may use. */
export async function availableCores(): Promise<number> {
  return (await import('node:os')).availableParallelism();
}

/** A pool of `threads` workers on `memory`; `mailbox` is mailboxBytes(threads) of it for the pool's own use. */
export async function createPool(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number, mailbox: number): Promise<WorkerPool> {
  if ((globalThis as { Deno?: unknown }).Deno !== undefined) return (await import('../pool/web.js')).createWebPool(module, memory, threads);
  return (await import('../pool/node.js')).createNodePool(module, memory, threads, mailbox);
}

/** Whether the calling thread may block (busy-wait) while workers run: here, always. */
export function callerMayBlock(): boolean {
  return true;
}
