// LT .. ISZERO (assembly/evm/instructions/comparison.ts): 1 or 0, 3 gas each. Operand a is the stack
// top; SLT and SGT read both as two's complement (Yellow Paper H.2, 10s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INT_MIN, MAX, OP, RET_GAS, S, asm, neg, push, ret, run } from '../helpers/evm.js';

const op2 = (op: number, a: bigint, b: bigint) => asm(push(b), push(a), op);

const rows: [string, Uint8Array, bigint][] = [
  ['LT 1 < 2', op2(OP.LT, 1n, 2n), 1n],
  ['LT 2 < 1', op2(OP.LT, 2n, 1n), 0n],
  ['LT equal', op2(OP.LT, 5n, 5n), 0n],
  ['LT is unsigned: MAX < 1', op2(OP.LT, MAX, 1n), 0n],
  ['LT differs only in the top limb', op2(OP.LT, 1n << 192n, 1n << 193n), 1n],
  ['LT differs only in the low limb with equal top limbs', op2(OP.LT, (1n << 255n) | 2n, (1n << 255n) | 1n), 0n],
  ['GT 2 > 1', op2(OP.GT, 2n, 1n), 1n],
  ['GT 1 > 2', op2(OP.GT, 1n, 2n), 0n],
  ['GT equal', op2(OP.GT, MAX, MAX), 0n],
  ['GT is unsigned: MAX > 1', op2(OP.GT, MAX, 1n), 1n],
  ['SLT -1 < 1', op2(OP.SLT, MAX, 1n), 1n],
  ['SLT 1 < -1', op2(OP.SLT, 1n, MAX), 0n],
  ['SLT -2^255 < 2^255 - 1', op2(OP.SLT, INT_MIN, INT_MIN - 1n), 1n],
  ['SLT -2 < -1', op2(OP.SLT, neg(2n), neg(1n)), 1n],
  ['SLT equal', op2(OP.SLT, neg(3n), neg(3n)), 0n],
  ['SLT 0 < 1', op2(OP.SLT, 0n, 1n), 1n],
  ['SGT 1 > -1', op2(OP.SGT, 1n, MAX), 1n],
  ['SGT -1 > 1', op2(OP.SGT, MAX, 1n), 0n],
  ['SGT 2^255 - 1 > -2^255', op2(OP.SGT, INT_MIN - 1n, INT_MIN), 1n],
  ['SGT -1 > -2', op2(OP.SGT, neg(1n), neg(2n)), 1n],
  ['SGT equal', op2(OP.SGT, 0n, 0n), 0n],
  ['EQ equal', op2(OP.EQ, MAX, MAX), 1n],
  ['EQ differs in the top bit', op2(OP.EQ, MAX, MAX >> 1n), 0n],
  ['EQ differs in the low bit', op2(OP.EQ, 2n, 3n), 0n],
  ['EQ 0 0', op2(OP.EQ, 0n, 0n), 1n],
];

for (const [name, code, want] of rows) {
  test(name, async () => {
    const out = await run(asm(code, ret()));
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.value, want);
    // two pushes + the comparison + the return.
    assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 3 + RET_GAS));
  });
}

for (const [name, a, want] of [['ISZERO 0', 0n, 1n], ['ISZERO 1', 1n, 0n], ['ISZERO 2^255', 1n << 255n, 0n],
  ['ISZERO 2^64', 1n << 64n, 0n]] as const) {
  test(name, async () => {
    const out = await run(asm(push(a), OP.ISZERO, ret()));
    assert.equal(out.value, want);
    assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + RET_GAS));
  });
}

for (const [name, op, inputs] of [['LT', OP.LT, 2], ['GT', OP.GT, 2], ['SLT', OP.SLT, 2], ['SGT', OP.SGT, 2],
  ['EQ', OP.EQ, 2], ['ISZERO', OP.ISZERO, 1]] as const) {
  test(`${name} with ${inputs - 1} stack items underflows`, async () => {
    const out = await run(asm(...Array.from({ length: inputs - 1 }, () => push(1)), op), { gasLimit: 30_000n });
    assert.equal(out.status, S.STACK_UNDERFLOW);
    assert.equal(out.gasUsed, 30_000n);
  });
}
