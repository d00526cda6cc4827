// 256-bit numbers cross between TypeScript and the core as words of four little-endian u64 limbs
// (Core.writeWord / readWord / readWordBytes): round trips at the limb boundaries and at random.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Core } from '../../src/core/core.js';
import { bigIntToBytes } from '../../src/bytes.js';

test('words round-trip at every limb boundary and at random, and read back big-endian', async () => {
  const core = await Core.create();
  const at = core.alloc(32);
  const values = [0n, 1n, (1n << 64n) - 1n, 1n << 64n, (1n << 128n) + 5n, (1n << 192n) - 1n, 1n << 255n, (1n << 256n) - 1n];
  let seed = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < 200; i++) {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 256n) - 1n);
    values.push(seed >> BigInt(i % 256));
  }
  for (const v of values) {
    core.writeWord(at, (1n << 256n) - 1n); // every limb set first, so a limb left unwritten shows
    core.writeWord(at, v);
    assert.equal(core.readWord(at), v, `0x${v.toString(16)}`);
    assert.deepEqual(core.readWordBytes(at, 32), bigIntToBytes(v, 32), `0x${v.toString(16)} as bytes`);
  }
});
