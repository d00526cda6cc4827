// The workers' precompile warm-up (src/precompiles/warm-up.ts) must make each precompile do its whole
// computation: each input succeeds and gives a full, non-trivial output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPrecompile } from '../../src/precompiles/index.js';
import { warmUpInputs } from '../../src/precompiles/warm-up.js';
import { Fork } from '../../src/fork/forks.js';

test('every warm-up input runs its precompile to a full result', () => {
  const lengths: Record<number, number> = { 1: 32, 2: 32, 3: 32, 4: 64, 5: 32, 6: 64, 7: 64, 8: 32, 9: 64 };
  const inputs = warmUpInputs();
  assert.deepEqual(inputs.map(([a]) => a), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (const [address, input] of inputs) {
    const r = runPrecompile(address, input, 1n << 40n, Fork.Cancun);
    assert.ok(r.ok, `precompile ${address} fails on its warm-up input`);
    assert.equal(r.output.length, lengths[address], `precompile ${address}`);
    assert.ok(r.output.some((b) => b !== 0) || address === 8, `precompile ${address} gives a non-trivial output`);
  }
  // The recovery gives an address (the left 12 bytes zero), the pairing of two generators is not one.
  const recovered = runPrecompile(1, inputs[0][1], 3000n, Fork.Cancun);
  assert.ok(recovered.ok && recovered.output.subarray(0, 12).every((b) => b === 0) && recovered.output.subarray(12).some((b) => b !== 0));
  const pairing = runPrecompile(8, inputs[7][1], 1n << 40n, Fork.Cancun);
  assert.ok(pairing.ok && pairing.output[31] === 0);
});
