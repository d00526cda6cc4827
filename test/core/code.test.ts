// Codes in the core's store: registered once by their hash, whether the caller gives the hash (the
// pre-state's loader has it from parsing) or the core computes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Core } from '../../src/core/core.js';
import { hexToBytes, keccak256 } from '../../src/bytes.js';

test('code put with its hash is the same entry as the code hashed by the core, and reads back', async () => {
  const core = await Core.create();
  core.resetState();
  const code = hexToBytes('0x6001600055' + '5b'.repeat(300) + '00');
  const hash = keccak256(code);
  const given = core.putCode(code, hash);
  assert.notEqual(given, 0);
  assert.deepEqual(core.codeHashAt(given), hash);
  assert.deepEqual(core.codeAt(given), code);
  assert.equal(core.putCode(code), given, 'the core finds it by the hash it computes itself');
  const other = hexToBytes('0x6002600055');
  const computed = core.putCode(other);
  assert.deepEqual(core.codeHashAt(computed), keccak256(other));
  assert.equal(core.putCode(other, keccak256(other)), computed);
  assert.equal(core.putCode(new Uint8Array(0), keccak256(new Uint8Array(0))), 0, 'no code: no entry');
});
