// Loads build/testing.wasm (the core units' test exports, built by `npm run build:testing`) on a
// shared memory, the way the workers instantiate the release module.
import { readFile } from "node:fs/promises";

/** Exports every build of testing.wasm has; each unit's test adds its own on top. */
export interface TestingExports {
  /** End of the module's static data: scratch memory for tests starts above it. */
  heapBase(): number;
}

/** An instance of build/testing.wasm, its memory and the first free 64-byte aligned address. */
export interface TestingWasm<T> {
  exports: T & TestingExports;
  memory: WebAssembly.Memory;
  /** First address above heapBase(), 64-byte aligned: tests may use memory from here on. */
  scratch: number;
}

let compiled: Promise<WebAssembly.Module> | undefined;

/** Instantiates build/testing.wasm on a fresh shared memory; `abort` throws, so a failed assert in
 *  the module fails the test. T names the exports the caller uses. */
export async function loadTestingWasm<T>(): Promise<TestingWasm<T>> {
  compiled ??= readFile(new URL("../../testing.wasm", import.meta.url)).then((bytes) =>
    WebAssembly.compile(new Uint8Array(bytes)),
  );
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
  const instance = await WebAssembly.instantiate(await compiled, {
    env: {
      memory,
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`testing.wasm: abort at line ${line}:${column}`);
      },
    },
  });
  const exports = instance.exports as unknown as T & TestingExports;
  const scratch = (exports.heapBase() + 63) & ~63;
  return { exports, memory, scratch };
}
