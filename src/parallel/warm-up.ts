// V8 runs a wasm function's first calls in its baseline tier and cannot switch a running call to
// optimised code (DESIGN.md): a worker's first transactions would run several times slower. So each
// worker executes a few small transactions on a private memory before it joins a block, and runs
// the precompiles (JavaScript) until they are optimised.

import { Core } from '../core/core.js';
import { CodeRunner } from '../core/code-runner.js';
import { hexToBytes } from '../bytes.js';
import { warmUpPrecompiles } from '../precompiles/warm-up.js';

// 64 rounds of arithmetic, memory, hashing and storage: n = 64; do { n -= 1; mstore(0, n);
// sstore(n, keccak256(0, 32)) } while (n != 0)
const LOOP = hexToBytes('0x6100405b600190038080600052602060002090558060035700');
const CONTRACT = hexToBytes('0x00000000000000000000000000000000000c0de0');
const ROUNDS = 20;
const PRECOMPILE_ROUNDS = 10;

export async function warmUp(module: WebAssembly.Module): Promise<void> {
  const core = await Core.attach(module, new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true }),
    { stack: 1 << 20, memory: 1 << 20, journal: 1 << 20, heap: 1 << 22 }, true);
  core.resetState();
  const runner = new CodeRunner(core).set(CONTRACT, { code: LOOP }).reset();
  const tx = runner.prepare(CONTRACT, { gasLimit: 3_000_000n });
  for (let i = 0; i < ROUNDS; i++) core.execute(tx);
  warmUpPrecompiles(PRECOMPILE_ROUNDS);
}
