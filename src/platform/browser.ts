// What differs between runtimes, for browsers (package.json maps `#platform` here under the
// "browser" condition; an import map does the same without a bundler, see examples/browser/).

import type { WorkerPool } from '../pool/pool.js';
import { createWebPool } from '../pool/web.js';

/** Compiles the wasm module at `url` (bundlers see `new URL(…, import.meta.url)` and ship the file). */
export function compileWasm(url: URL): Promise<WebAssembly.Module> {
  return WebAssembly.compileStreaming(fetch(url));
}

/** The cores the browser reports. */
export async function availableCores(): Promise<number> {
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** A pool of `threads` Web Workers on `memory`. */
export function createPool(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number, _mailbox: number): Promise<WorkerPool> {
  return createWebPool(module, memory, threads);
}

/**
 * Whether the calling thread may block (busy-wait) while workers run: not a page's main thread
 * (it would freeze the page; the workers do all of the block), but code running in a worker may.
 */
export function callerMayBlock(): boolean {
  return (globalThis as { document?: unknown }).document === undefined;
}
