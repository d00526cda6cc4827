// AND .. SAR (assembly/evm/instructions/bitwise.ts). Expected values from the Yellow Paper (H.2, 10s)
// and EIP-145's own test cases; every opcode here costs 3 gas. Operand a is the stack top.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fork, MAX, OP, RET_GAS, S, asm, forks, push, ret, run } from '../helpers/evm.js';

const op1 = (op: number, a: bigint) => asm(push(a), op);
const op2 = (op: number, a: bigint, b: bigint) => asm(push(b), push(a), op);

interface Row { name: string; code: Uint8Array; want: bigint; gas: number }

const A = 0xf0f0n, B = 0xff00n;
const rows: Row[] = [
  { name: 'AND', code: op2(OP.AND, A, B), want: 0xf000n, gas: 6 + 3 + RET_GAS },
  { name: 'AND with MAX is identity', code: op2(OP.AND, MAX, 1n << 200n), want: 1n << 200n, gas: 6 + 3 + RET_GAS },
  { name: 'OR', code: op2(OP.OR, A, B), want: 0xfff0n, gas: 6 + 3 + RET_GAS },
  { name: 'OR across limbs', code: op2(OP.OR, 1n << 255n, 1n), want: (1n << 255n) | 1n, gas: 6 + 3 + RET_GAS },
  { name: 'XOR', code: op2(OP.XOR, A, B), want: 0x0ff0n, gas: 6 + 3 + RET_GAS },
  { name: 'XOR with itself is 0', code: op2(OP.XOR, MAX, MAX), want: 0n, gas: 6 + 3 + RET_GAS },
  { name: 'NOT 0', code: op1(OP.NOT, 0n), want: MAX, gas: 3 + 3 + RET_GAS },
  { name: 'NOT 0xff', code: op1(OP.NOT, 0xffn), want: MAX - 0xffn, gas: 3 + 3 + RET_GAS },
  // BYTE(i, x): the i-th byte of x counting from the most significant; 0 for i >= 32.
  { name: 'BYTE 0 is the most significant byte', code: op2(OP.BYTE, 0n, 0xabn << 248n), want: 0xabn, gas: 6 + 3 + RET_GAS },
  { name: 'BYTE 31 is the least significant byte', code: op2(OP.BYTE, 31n, 0x1234n), want: 0x34n, gas: 6 + 3 + RET_GAS },
  { name: 'BYTE 30', code: op2(OP.BYTE, 30n, 0x1234n), want: 0x12n, gas: 6 + 3 + RET_GAS },
  { name: 'BYTE 8 (a limb boundary)', code: op2(OP.BYTE, 8n, 0x5an << 184n), want: 0x5an, gas: 6 + 3 + RET_GAS },
  { name: 'BYTE 32 is 0', code: op2(OP.BYTE, 32n, MAX), want: 0n, gas: 6 + 3 + RET_GAS },
  { name: 'BYTE 2^64 is 0', code: op2(OP.BYTE, 1n << 64n, MAX), want: 0n, gas: 6 + 3 + RET_GAS },
  { name: 'BYTE MAX is 0', code: op2(OP.BYTE, MAX, MAX), want: 0n, gas: 6 + 3 + RET_GAS },
];

// EIP-145 test cases: [value, shift, result]; the shift is the stack top.
const H = (s: string) => BigInt('0x' + s);
const ONE = 1n, HIGH = H('8' + '0'.repeat(63)), LOW_MAX = H('7' + 'f'.repeat(63));
const SHL: [bigint, bigint, bigint][] = [
  [ONE, 0x00n, ONE], [ONE, 0x01n, 2n], [ONE, 0xffn, HIGH], [ONE, 0x100n, 0n], [ONE, 0x101n, 0n],
  [MAX, 0x00n, MAX], [MAX, 0x01n, MAX - 1n], [MAX, 0xffn, HIGH], [MAX, 0x100n, 0n], [0n, 0x01n, 0n],
  [LOW_MAX, 0x01n, MAX - 1n],
];
const SHR: [bigint, bigint, bigint][] = [
  [ONE, 0x00n, ONE], [ONE, 0x01n, 0n], [HIGH, 0x01n, H('4' + '0'.repeat(63))], [HIGH, 0xffn, 1n], [HIGH, 0x100n, 0n],
  [HIGH, 0x101n, 0n], [MAX, 0x00n, MAX], [MAX, 0x01n, LOW_MAX], [MAX, 0xffn, 1n], [MAX, 0x100n, 0n], [0n, 0x01n, 0n],
];
const SAR: [bigint, bigint, bigint][] = [
  [ONE, 0x00n, ONE], [ONE, 0x01n, 0n], [HIGH, 0x01n, H('c' + '0'.repeat(63))], [HIGH, 0xffn, MAX], [HIGH, 0x100n, MAX],
  [HIGH, 0x101n, MAX], [MAX, 0x00n, MAX], [MAX, 0x01n, MAX], [MAX, 0xffn, MAX], [MAX, 0x100n, MAX], [0n, 0x01n, 0n],
  [H('4' + '0'.repeat(63)), 0xfen, 1n], [LOW_MAX, 0xf8n, 0x7fn], [LOW_MAX, 0xfen, 1n], [LOW_MAX, 0xffn, 0n],
  [LOW_MAX, 0x100n, 0n],
];
for (const [name, op, cases] of [['SHL', OP.SHL, SHL], ['SHR', OP.SHR, SHR], ['SAR', OP.SAR, SAR]] as const) {
  cases.forEach(([value, shift, want], i) => {
    rows.push({ name: `EIP-145 ${name} case ${i + 1}: ${shift} bits`, code: op2(op, shift, value), want, gas: 6 + 3 + RET_GAS });
  });
}
// Shift amounts beyond one limb: only the full 256-bit value decides.
rows.push(
  { name: 'SHL by 2^64 is 0', code: op2(OP.SHL, 1n << 64n, 1n), want: 0n, gas: 6 + 3 + RET_GAS },
  { name: 'SHR by MAX is 0', code: op2(OP.SHR, MAX, MAX), want: 0n, gas: 6 + 3 + RET_GAS },
  { name: 'SAR of a negative value by 2^255 is -1', code: op2(OP.SAR, 1n << 255n, HIGH), want: MAX, gas: 6 + 3 + RET_GAS },
  { name: 'SAR of a positive value by 2^128 + 1 is 0', code: op2(OP.SAR, (1n << 128n) + 1n, LOW_MAX), want: 0n, gas: 6 + 3 + RET_GAS },
  { name: 'SHL by 64 crosses a limb', code: op2(OP.SHL, 64n, 0xabn), want: 0xabn << 64n, gas: 6 + 3 + RET_GAS },
  { name: 'SHR by 129', code: op2(OP.SHR, 129n, 3n << 200n), want: 3n << 71n, gas: 6 + 3 + RET_GAS },
);

for (const row of rows) {
  test(row.name, async () => {
    const out = await run(asm(row.code, ret()));
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.value, row.want);
    assert.equal(out.gasUsed, BigInt(21000 + row.gas));
  });
}

// EIP-145 introduces SHL, SHR and SAR in Constantinople; before, 0x1b..0x1d are undefined.
for (const [name, op] of [['SHL', OP.SHL], ['SHR', OP.SHR], ['SAR', OP.SAR]] as const) {
  for (const fork of [Fork.Byzantium, Fork.Constantinople, Fork.Petersburg]) {
    test(`${name} at ${Fork[fork]}`, async () => {
      const out = await run(asm(op2(op, 1n, 2n), ret()), { fork, gasLimit: 50_000n });
      if (fork < Fork.Constantinople) {
        assert.equal(out.status, S.INVALID_OPCODE);
        assert.equal(out.gasUsed, 50_000n);
      } else {
        assert.equal(out.status, S.SUCCESS);
        assert.equal(out.value, op === OP.SHL ? 4n : op === OP.SHR ? 1n : 1n);
        assert.equal(out.gasUsed, BigInt(21000 + 6 + 3 + RET_GAS));
      }
    });
  }
}

for (const [name, op, inputs] of [
  ['AND', OP.AND, 2], ['OR', OP.OR, 2], ['XOR', OP.XOR, 2], ['NOT', OP.NOT, 1], ['BYTE', OP.BYTE, 2],
  ['SHL', OP.SHL, 2], ['SHR', OP.SHR, 2], ['SAR', OP.SAR, 2],
] as const) {
  test(`${name} with ${inputs - 1} stack items underflows`, async () => {
    const out = await run(asm(...Array.from({ length: inputs - 1 }, () => push(7)), op), { gasLimit: 40_000n });
    assert.equal(out.status, S.STACK_UNDERFLOW);
    assert.equal(out.gasUsed, 40_000n);
  });
}

test('bitwise opcodes are in every fork from Frontier', async () => {
  for (const fork of forks(Fork.Frontier)) {
    const out = await run(asm(op2(OP.XOR, A, B), OP.NOT, push(0xffffn), OP.AND, ret()), { fork });
    assert.equal(out.status, S.SUCCESS, Fork[fork]);
    assert.equal(out.value, 0xf00fn, Fork[fork]);
  }
});
