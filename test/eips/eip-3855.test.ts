// EIP-3855 PUSH0 (0x5f): pushes 0 for 2 gas (G_base). The EIP's test cases: 5F leaves [0] after 2
// gas; 1024 x 5F fills the stack; 1025 x 5F overflows. Before Shanghai 0x5f is undefined.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fork, OP, RET_GAS, S, asm, run } from '../helpers/evm.js';

test('5F: pushes 0 for 2 gas', async () => {
  const out = await run(asm(OP.PUSH0));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.gasUsed, 21002n);
  const returned = await run(asm(OP.PUSH0, OP.PUSH0, OP.NOT, OP.ADD, OP.NOT, asm(OP.PUSH0, OP.MSTORE), asm(0x60, 32, OP.PUSH0, OP.RETURN)));
  // NOT(0 + NOT 0) = 0: the pushed value is 0, not garbage.
  assert.equal(returned.value, 0n);
});

test('1024 x 5F fills the stack: 2048 gas', async () => {
  const out = await run(new Uint8Array(1024).fill(OP.PUSH0));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.gasUsed, BigInt(21000 + 1024 * 2));
});

test('1025 x 5F overflows', async () => {
  const out = await run(new Uint8Array(1025).fill(OP.PUSH0), { gasLimit: 100_000n });
  assert.equal(out.status, S.STACK_OVERFLOW);
  assert.equal(out.gasUsed, 100_000n);
});

for (const fork of [Fork.London, Fork.Paris]) {
  test(`5F is undefined before Shanghai [${Fork[fork]}]`, async () => {
    const out = await run(asm(OP.PUSH0), { fork, gasLimit: 50_000n });
    assert.equal(out.status, S.INVALID_OPCODE);
    assert.equal(out.gasUsed, 50_000n);
  });
}

test('PUSH0 is cheaper than PUSH1 0 by one gas', async () => {
  const push0 = await run(asm(OP.PUSH0, asm(OP.PUSH0, OP.MSTORE, 0x60, 32, OP.PUSH0, OP.RETURN)));
  const push1 = await run(asm(0x60, 0, asm(0x60, 0, OP.MSTORE, 0x60, 32, 0x60, 0, OP.RETURN)));
  // push0: 2 + 2 + 6 + 3 + 2; push1: 3 + 3 + 6 + 3 + 3 = RET_GAS + 3.
  assert.equal(push1.gasUsed, BigInt(21000 + 3 + RET_GAS));
  assert.equal(push0.gasUsed, BigInt(21000 + 2 + 2 + 6 + 3 + 2));
});
