// ADD .. SIGNEXTEND (assembly/evm/instructions/arithmetic.ts). Each row pushes its operands, applies the
// opcode and returns the result; the expected values follow the Yellow Paper's definitions (H.2, 0s
// arithmetic) and the gas is 21000 + the derivation written in the row. Operand a is the stack top.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fork, INT_MIN, MAX, OP, RET_GAS, S, asm, neg, push, ret, run } from '../helpers/evm.js';

/** a OP b with a on top: PUSH b, PUSH a, OP (6 gas of pushes). */
const op2 = (op: number, a: bigint, b: bigint) => asm(push(b), push(a), op);
/** OP(a, b, n) with a on top: PUSH n, PUSH b, PUSH a, OP (9 gas of pushes). */
const op3 = (op: number, a: bigint, b: bigint, n: bigint) => asm(push(n), push(b), push(a), op);

interface Row {
  name: string;
  code: Uint8Array;
  want: bigint;
  /** Execution gas; the transaction adds 21000. */
  gas: number;
  forks?: Fork[];
}

const rows: Row[] = [
  // ADD: (a + b) mod 2^256, 3 gas.
  { name: 'ADD 1 + 2', code: op2(OP.ADD, 1n, 2n), want: 3n, gas: 6 + 3 + RET_GAS },
  { name: 'ADD wraps: MAX + 1', code: op2(OP.ADD, MAX, 1n), want: 0n, gas: 6 + 3 + RET_GAS },
  { name: 'ADD MAX + MAX', code: op2(OP.ADD, MAX, MAX), want: MAX - 1n, gas: 6 + 3 + RET_GAS },
  // MUL: (a * b) mod 2^256, 5 gas.
  { name: 'MUL 3 * 4', code: op2(OP.MUL, 3n, 4n), want: 12n, gas: 6 + 5 + RET_GAS },
  { name: 'MUL wraps: 2^255 * 2', code: op2(OP.MUL, 1n << 255n, 2n), want: 0n, gas: 6 + 5 + RET_GAS },
  { name: 'MUL MAX * MAX = (-1)(-1)', code: op2(OP.MUL, MAX, MAX), want: 1n, gas: 6 + 5 + RET_GAS },
  { name: 'MUL (2^128 + 1)(2^128 - 1) = 2^256 - 1', code: op2(OP.MUL, (1n << 128n) + 1n, (1n << 128n) - 1n), want: MAX, gas: 6 + 5 + RET_GAS },
  // SUB: (a - b) mod 2^256, 3 gas.
  { name: 'SUB 5 - 3', code: op2(OP.SUB, 5n, 3n), want: 2n, gas: 6 + 3 + RET_GAS },
  { name: 'SUB wraps: 3 - 5', code: op2(OP.SUB, 3n, 5n), want: MAX - 1n, gas: 6 + 3 + RET_GAS },
  { name: 'SUB 0 - 1', code: op2(OP.SUB, 0n, 1n), want: MAX, gas: 6 + 3 + RET_GAS },
  // DIV: floor(a / b), 0 when b = 0, 5 gas.
  { name: 'DIV 10 / 3', code: op2(OP.DIV, 10n, 3n), want: 3n, gas: 6 + 5 + RET_GAS },
  { name: 'DIV by zero is 0', code: op2(OP.DIV, 10n, 0n), want: 0n, gas: 6 + 5 + RET_GAS },
  { name: 'DIV MAX / MAX', code: op2(OP.DIV, MAX, MAX), want: 1n, gas: 6 + 5 + RET_GAS },
  { name: 'DIV 1 / MAX', code: op2(OP.DIV, 1n, MAX), want: 0n, gas: 6 + 5 + RET_GAS },
  { name: 'DIV MAX / 2', code: op2(OP.DIV, MAX, 2n), want: (1n << 255n) - 1n, gas: 6 + 5 + RET_GAS },
  { name: 'DIV 2^200 / 2^100 (multi-limb divisor)', code: op2(OP.DIV, 1n << 200n, 1n << 100n), want: 1n << 100n, gas: 6 + 5 + RET_GAS },
  // SDIV: sgn(a/b) * floor(|a / b|), 0 when b = 0, -2^255 / -1 = -2^255, 5 gas.
  { name: 'SDIV -10 / 3 truncates towards zero', code: op2(OP.SDIV, neg(10n), 3n), want: neg(3n), gas: 6 + 5 + RET_GAS },
  { name: 'SDIV 10 / -3', code: op2(OP.SDIV, 10n, neg(3n)), want: neg(3n), gas: 6 + 5 + RET_GAS },
  { name: 'SDIV -10 / -3', code: op2(OP.SDIV, neg(10n), neg(3n)), want: 3n, gas: 6 + 5 + RET_GAS },
  { name: 'SDIV -2^255 / -1 overflows to -2^255', code: op2(OP.SDIV, INT_MIN, MAX), want: INT_MIN, gas: 6 + 5 + RET_GAS },
  { name: 'SDIV by zero is 0', code: op2(OP.SDIV, neg(10n), 0n), want: 0n, gas: 6 + 5 + RET_GAS },
  { name: 'SDIV -1 / -2^255', code: op2(OP.SDIV, MAX, INT_MIN), want: 0n, gas: 6 + 5 + RET_GAS },
  { name: 'SDIV -2^255 / -2^255', code: op2(OP.SDIV, INT_MIN, INT_MIN), want: 1n, gas: 6 + 5 + RET_GAS },
  // MOD: a mod b, 0 when b = 0, 5 gas.
  { name: 'MOD 10 % 3', code: op2(OP.MOD, 10n, 3n), want: 1n, gas: 6 + 5 + RET_GAS },
  { name: 'MOD by zero is 0', code: op2(OP.MOD, 10n, 0n), want: 0n, gas: 6 + 5 + RET_GAS },
  { name: 'MOD MAX % 2^128', code: op2(OP.MOD, MAX, 1n << 128n), want: (1n << 128n) - 1n, gas: 6 + 5 + RET_GAS },
  // SMOD: sgn(a) * (|a| mod |b|), 0 when b = 0, 5 gas.
  { name: 'SMOD -10 % 3 takes the sign of a', code: op2(OP.SMOD, neg(10n), 3n), want: neg(1n), gas: 6 + 5 + RET_GAS },
  { name: 'SMOD 10 % -3', code: op2(OP.SMOD, 10n, neg(3n)), want: 1n, gas: 6 + 5 + RET_GAS },
  { name: 'SMOD -10 % -3', code: op2(OP.SMOD, neg(10n), neg(3n)), want: neg(1n), gas: 6 + 5 + RET_GAS },
  { name: 'SMOD -8 % 3', code: op2(OP.SMOD, neg(8n), 3n), want: neg(2n), gas: 6 + 5 + RET_GAS },
  { name: 'SMOD -2^255 % -1', code: op2(OP.SMOD, INT_MIN, MAX), want: 0n, gas: 6 + 5 + RET_GAS },
  { name: 'SMOD by zero is 0', code: op2(OP.SMOD, neg(10n), 0n), want: 0n, gas: 6 + 5 + RET_GAS },
  // ADDMOD: (a + b) mod N without the 2^256 wrap, 0 when N = 0, 8 gas.
  { name: 'ADDMOD (10 + 10) % 8', code: op3(OP.ADDMOD, 10n, 10n, 8n), want: 4n, gas: 9 + 8 + RET_GAS },
  // 2^256 ≡ 1 (mod 3), so MAX + 2 = 2^256 + 1 ≡ 2; a wrapping sum would give 1 % 3 = 1.
  { name: 'ADDMOD (MAX + 2) % 3 keeps the carry', code: op3(OP.ADDMOD, MAX, 2n, 3n), want: 2n, gas: 9 + 8 + RET_GAS },
  { name: 'ADDMOD (MAX + MAX) % MAX', code: op3(OP.ADDMOD, MAX, MAX, MAX), want: 0n, gas: 9 + 8 + RET_GAS },
  { name: 'ADDMOD N = 0 is 0', code: op3(OP.ADDMOD, 5n, 6n, 0n), want: 0n, gas: 9 + 8 + RET_GAS },
  { name: 'ADDMOD N = 1 is 0', code: op3(OP.ADDMOD, 5n, 6n, 1n), want: 0n, gas: 9 + 8 + RET_GAS },
  // MULMOD: (a * b) mod N at full precision, 0 when N = 0, 8 gas.
  { name: 'MULMOD (10 * 10) % 8', code: op3(OP.MULMOD, 10n, 10n, 8n), want: 4n, gas: 9 + 8 + RET_GAS },
  // 2^256 ≡ 4 (mod 12) (≡ 0 mod 4, ≡ 1 mod 3), so MAX ≡ 3 and MAX² ≡ 9.
  { name: 'MULMOD (MAX * MAX) % 12', code: op3(OP.MULMOD, MAX, MAX, 12n), want: 9n, gas: 9 + 8 + RET_GAS },
  { name: 'MULMOD (MAX * MAX) % MAX', code: op3(OP.MULMOD, MAX, MAX, MAX), want: 0n, gas: 9 + 8 + RET_GAS },
  // 2^255 * 2 = 2^256 ≡ 1 (mod 3); a wrapping product would give 0.
  { name: 'MULMOD (2^255 * 2) % 3 keeps the high half', code: op3(OP.MULMOD, 1n << 255n, 2n, 3n), want: 1n, gas: 9 + 8 + RET_GAS },
  { name: 'MULMOD N = 0 is 0', code: op3(OP.MULMOD, 5n, 6n, 0n), want: 0n, gas: 9 + 8 + RET_GAS },
  // EXP: a^b mod 2^256; 10 + 50 per byte of the exponent (EIP-160; 10 per byte before Spurious Dragon).
  { name: 'EXP 2^10', code: op2(OP.EXP, 2n, 10n), want: 1024n, gas: 6 + 10 + 50 * 1 + RET_GAS },
  { name: 'EXP 2^255', code: op2(OP.EXP, 2n, 255n), want: 1n << 255n, gas: 6 + 10 + 50 * 1 + RET_GAS },
  { name: 'EXP 2^256 wraps to 0 (exponent of 2 bytes)', code: op2(OP.EXP, 2n, 256n), want: 0n, gas: 6 + 10 + 50 * 2 + RET_GAS },
  { name: 'EXP 0^0 = 1 (zero-byte exponent)', code: op2(OP.EXP, 0n, 0n), want: 1n, gas: 6 + 10 + 0 + RET_GAS },
  { name: 'EXP 0^5 = 0', code: op2(OP.EXP, 0n, 5n), want: 0n, gas: 6 + 10 + 50 + RET_GAS },
  { name: 'EXP MAX^2 = (-1)^2', code: op2(OP.EXP, MAX, 2n), want: 1n, gas: 6 + 10 + 50 + RET_GAS },
  { name: 'EXP MAX^MAX = (-1)^odd (32-byte exponent)', code: op2(OP.EXP, MAX, MAX), want: MAX, gas: 6 + 10 + 50 * 32 + RET_GAS },
  { name: 'EXP 3^5', code: op2(OP.EXP, 3n, 5n), want: 243n, gas: 6 + 10 + 50 + RET_GAS },
  ...[Fork.Frontier, Fork.Homestead, Fork.TangerineWhistle].map((fork) => (
    { name: `EXP 2^256 before EIP-160 (${Fork[fork]}): 10 per exponent byte`, code: op2(OP.EXP, 2n, 256n), want: 0n,
      gas: 6 + 10 + 10 * 2 + RET_GAS, forks: [fork] })),
  { name: 'EXP 2^256 at Spurious Dragon: 50 per exponent byte', code: op2(OP.EXP, 2n, 256n), want: 0n,
    gas: 6 + 10 + 50 * 2 + RET_GAS, forks: [Fork.SpuriousDragon] },
  // SIGNEXTEND(b, x): extends the sign of byte b (0 = least significant) of x; b >= 31 leaves x. 5 gas.
  { name: 'SIGNEXTEND 0, 0xff', code: op2(OP.SIGNEXTEND, 0n, 0xffn), want: MAX, gas: 6 + 5 + RET_GAS },
  { name: 'SIGNEXTEND 0, 0x7f', code: op2(OP.SIGNEXTEND, 0n, 0x7fn), want: 0x7fn, gas: 6 + 5 + RET_GAS },
  { name: 'SIGNEXTEND 0, 0x17f clears the bits above', code: op2(OP.SIGNEXTEND, 0n, 0x17fn), want: 0x7fn, gas: 6 + 5 + RET_GAS },
  { name: 'SIGNEXTEND 0, 0x180', code: op2(OP.SIGNEXTEND, 0n, 0x180n), want: neg(0x80n), gas: 6 + 5 + RET_GAS },
  { name: 'SIGNEXTEND 1, 0x80ff', code: op2(OP.SIGNEXTEND, 1n, 0x80ffn), want: neg(0x10000n - 0x80ffn), gas: 6 + 5 + RET_GAS },
  { name: 'SIGNEXTEND 30, 2^247', code: op2(OP.SIGNEXTEND, 30n, 1n << 247n), want: (0x1ffn << 247n) & MAX, gas: 6 + 5 + RET_GAS },
  { name: 'SIGNEXTEND 31, 2^255 is unchanged', code: op2(OP.SIGNEXTEND, 31n, 1n << 255n), want: 1n << 255n, gas: 6 + 5 + RET_GAS },
  { name: 'SIGNEXTEND 32, 0xff is unchanged', code: op2(OP.SIGNEXTEND, 32n, 0xffn), want: 0xffn, gas: 6 + 5 + RET_GAS },
  { name: 'SIGNEXTEND MAX, 0xff is unchanged', code: op2(OP.SIGNEXTEND, MAX, 0xffn), want: 0xffn, gas: 6 + 5 + RET_GAS },
];

for (const row of rows) {
  for (const fork of row.forks ?? [Fork.Cancun]) {
    test(`${row.name} [${Fork[fork]}]`, async () => {
      const out = await run(asm(row.code, ret()), { fork });
      assert.equal(out.status, S.SUCCESS);
      assert.equal(out.value, row.want);
      assert.equal(out.gasUsed, BigInt(21000 + row.gas));
    });
  }
}

// Every arithmetic opcode with one operand too few halts with a stack underflow and uses all gas.
const ARITY: [string, number, number][] = [
  ['ADD', OP.ADD, 2], ['MUL', OP.MUL, 2], ['SUB', OP.SUB, 2], ['DIV', OP.DIV, 2], ['SDIV', OP.SDIV, 2],
  ['MOD', OP.MOD, 2], ['SMOD', OP.SMOD, 2], ['ADDMOD', OP.ADDMOD, 3], ['MULMOD', OP.MULMOD, 3],
  ['EXP', OP.EXP, 2], ['SIGNEXTEND', OP.SIGNEXTEND, 2],
];
for (const [name, op, inputs] of ARITY) {
  test(`${name} with ${inputs - 1} stack items underflows`, async () => {
    const items = Array.from({ length: inputs - 1 }, () => push(1));
    const out = await run(asm(...items, op, ret()), { gasLimit: 100_000n });
    assert.equal(out.status, S.STACK_UNDERFLOW);
    assert.equal(out.gasUsed, 100_000n);
  });
  test(`${name} with exactly ${inputs} stack items runs`, async () => {
    const items = Array.from({ length: inputs }, () => push(1));
    const out = await run(asm(...items, op, ret()), { gasLimit: 100_000n });
    assert.equal(out.status, S.SUCCESS);
  });
}

test('EXP runs out of gas on the exponent-byte charge', async () => {
  // 21000 + 6 of pushes + 10 static leaves exactly 50 * 32 - 1 for the 32-byte exponent.
  const out = await run(op2(OP.EXP, 2n, MAX), { gasLimit: BigInt(21000 + 6 + 10 + 50 * 32 - 1) });
  assert.equal(out.status, S.OUT_OF_GAS);
  const enough = await run(op2(OP.EXP, 2n, MAX), { gasLimit: BigInt(21000 + 6 + 10 + 50 * 32) });
  assert.equal(enough.status, S.SUCCESS);
  assert.equal(enough.gasUsed, BigInt(21000 + 6 + 10 + 50 * 32));
});
