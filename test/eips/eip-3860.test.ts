// EIP-3860: initcode is limited to 2 * 24576 = 49152 bytes and costs 2 gas per 32-byte word. A
// CREATE/CREATE2 over the limit is an exceptional halt of the creating frame (execution-specs
// shanghai generic_create: OutOfGasError); a creation transaction over it is invalid; the intrinsic
// gas of a creation transaction adds the word cost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, Fork, OP, RUNNER_SENDER, S, asm, createAddress, isExceptional, memoryGas, push, ret, run, world,
} from '../helpers/evm.js';

const LIMIT = 49152;

for (const op of [OP.CREATE, OP.CREATE2] as const) {
  const name = op === OP.CREATE ? 'CREATE' : 'CREATE2';
  const creates = (size: number) =>
    asm(op === OP.CREATE2 ? push(0) : [], push(size, 2), push(0), push(0), op, ret());

  test(`${name} of exactly ${LIMIT} bytes of initcode runs`, async () => {
    // The memory is zeros: the initcode is STOP and deploys nothing.
    const out = await run(creates(LIMIT), { nonce: 1n });
    assert.equal(out.status, S.SUCCESS);
    assert.notEqual(out.value, 0n);
    const words = LIMIT / 32;
    const hashing = op === OP.CREATE2 ? 6 * words : 0;
    const pushes = op === OP.CREATE2 ? 12 : 9;
    // 32000 + 2 per word (+ 6 per word for CREATE2) + C_mem(1536); ret() within memory.
    assert.equal(out.gasUsed, BigInt(21000 + pushes + 32000 + 2 * words + hashing + memoryGas(words) + 12));
  });

  test(`${name} of ${LIMIT + 1} bytes halts the creating frame exceptionally`, async () => {
    const out = await run(creates(LIMIT + 1), { nonce: 1n, gasLimit: 1_000_000n });
    assert.ok(isExceptional(out.status), `status ${out.status}`);
    assert.equal(out.gasUsed, 1_000_000n);
    assert.equal(out.runner.account(CONTRACT)?.nonce, 1n);
  });

  test(`${name} of ${LIMIT + 1} bytes is allowed before Shanghai, with no word cost [London]`, async () => {
    const out = await run(creates(LIMIT + 1), { fork: Fork.London, nonce: 1n });
    assert.equal(out.status, S.SUCCESS);
    assert.notEqual(out.value, 0n);
    const words = Math.ceil((LIMIT + 1) / 32);
    const hashing = op === OP.CREATE2 ? 6 * words : 0;
    const pushes = op === OP.CREATE2 ? 12 : 9;
    assert.equal(out.gasUsed, BigInt(21000 + pushes + 32000 + hashing + memoryGas(words) + 12));
  });
}

test(`a creation transaction with ${LIMIT} bytes of initcode pays 2 per word in its intrinsic gas`, async () => {
  const r = await world(Fork.Shanghai, []);
  const result = r.call(undefined, { create: true, data: new Uint8Array(LIMIT) });
  assert.equal(result.status, S.SUCCESS);
  // 21000 + 32000 (creation) + 4 per zero byte + 2 per word; the initcode (STOP) uses nothing.
  assert.equal(result.gasUsed, BigInt(21000 + 32000 + 4 * LIMIT + 2 * (LIMIT / 32)));
  assert.equal(r.account(createAddress(RUNNER_SENDER, 0n))?.exists, true);
});

test(`a creation transaction with ${LIMIT + 1} bytes of initcode is invalid`, async () => {
  const r = await world(Fork.Shanghai, []);
  assert.throws(() => r.call(undefined, { create: true, data: new Uint8Array(LIMIT + 1) }), /invalid/);
  // Nothing happened: the sender's nonce is unchanged.
  assert.equal(r.account(RUNNER_SENDER)?.nonce ?? 0n, 0n);
});

test(`before Shanghai a creation transaction of ${LIMIT + 1} bytes is valid [London]`, async () => {
  const r = await world(Fork.London, []);
  const result = r.call(undefined, { create: true, data: new Uint8Array(LIMIT + 1) });
  assert.equal(result.status, S.SUCCESS);
  assert.equal(result.gasUsed, BigInt(21000 + 32000 + 4 * (LIMIT + 1)));
});
