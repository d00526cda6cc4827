// JUMP, JUMPI, JUMPDEST, PC, GAS, KECCAK256, STOP, RETURN, REVERT, INVALID and undefined opcodes
// (assembly/evm/instructions/control.ts and the interpreter's step checks). Jump destinations are
// JUMPDEST bytes that are not PUSH immediate data (Yellow Paper 9.4.3, D(c)); any other target is an
// exceptional halt. JUMP 8, JUMPI 10, JUMPDEST 1, PC 2, GAS 2, KECCAK256 30 + 6 per word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Fork, OP, PUSH, RET_GAS, RET_GAS_EXPANDED, S, asm, memoryGas, push, ret, run, toHex,
} from '../helpers/evm.js';

const LIMIT = 100_000n;

interface JumpRow { name: string; code: Uint8Array; status: number; want?: bigint; gas?: number }

const jumps: JumpRow[] = [
  {
    // 0 PUSH1 4, 2 JUMP, 3 INVALID, 4 JUMPDEST, 5 PUSH1 1, ret
    name: 'JUMP to a JUMPDEST', code: asm(push(4), OP.JUMP, OP.INVALID, OP.JUMPDEST, push(1), ret()),
    status: S.SUCCESS, want: 1n, gas: 3 + 8 + 1 + 3 + RET_GAS,
  },
  { name: 'JUMP to an ordinary opcode', code: asm(push(3), OP.JUMP, OP.ADD, OP.JUMPDEST), status: S.BAD_JUMP },
  {
    // 0 PUSH1 4, 2 JUMP, 3 PUSH1 0x5b: offset 4 is immediate data even though it reads as JUMPDEST.
    name: 'JUMP into PUSH1 data that looks like a JUMPDEST', code: asm(push(4), OP.JUMP, push(0x5b), OP.STOP),
    status: S.BAD_JUMP,
  },
  {
    // 0 PUSH1 20, 2 JUMP, 3 PUSH32 with 0x5b at offset 20.
    name: 'JUMP into PUSH32 data', code: asm(push(20), OP.JUMP, PUSH(32), Array.from({ length: 32 }, () => 0x5b)),
    status: S.BAD_JUMP,
  },
  {
    // 0 PUSH1 5, 2 JUMP, 3 PUSH1 0x5b, 5 JUMPDEST: right after the immediate is code again.
    name: 'JUMP to the JUMPDEST right after PUSH data', code: asm(push(5), OP.JUMP, push(0x5b), OP.JUMPDEST, push(2), ret()),
    status: S.SUCCESS, want: 2n, gas: 3 + 8 + 1 + 3 + RET_GAS,
  },
  {
    // 0 PUSH1 5, 2 JUMP, 3 PUSH1 0x60, 5 JUMPDEST: the immediate 0x60 is data; read as a PUSH1 it would
    // hide the JUMPDEST at 5.
    name: 'JUMPDEST after a PUSH1 whose immediate is a PUSH1 byte',
    code: asm(push(5), OP.JUMP, push(0x60), OP.JUMPDEST, push(3), ret()),
    status: S.SUCCESS, want: 3n, gas: 3 + 8 + 1 + 3 + RET_GAS,
  },
  { name: 'JUMP past the end of code', code: asm(push(100), OP.JUMP, OP.JUMPDEST), status: S.BAD_JUMP },
  { name: 'JUMP to the code length (the implicit STOP is not a JUMPDEST)', code: asm(push(3), OP.JUMP), status: S.BAD_JUMP },
  {
    // 0 PUSH9 2^64 + 12, 10 JUMP, 11 STOP, 12 JUMPDEST: the target must not alias offset 12.
    name: 'JUMP to 2^64 + a JUMPDEST offset', code: asm(push((1n << 64n) + 12n), OP.JUMP, OP.STOP, OP.JUMPDEST), status: S.BAD_JUMP,
  },
  // 0 PUSH5 2^32 + 8, 6 JUMP, 7 STOP, 8 JUMPDEST
  { name: 'JUMP to 2^32 + a JUMPDEST offset', code: asm(push((1n << 32n) + 8n), OP.JUMP, OP.STOP, OP.JUMPDEST), status: S.BAD_JUMP },
  { name: 'JUMP with an empty stack', code: asm(OP.JUMP), status: S.STACK_UNDERFLOW },
  {
    // 0 PUSH1 0 (cond), 2 PUSH1 99 (dest), 4 JUMPI: not taken, the bad target is never checked.
    name: 'JUMPI not taken ignores an invalid target', code: asm(push(0), push(99), OP.JUMPI, push(5), ret()),
    status: S.SUCCESS, want: 5n, gas: 3 + 3 + 10 + 3 + RET_GAS,
  },
  {
    // 0 PUSH32 2^255 (cond: only the top bit), 33 PUSH1 37, 35 JUMPI, 36 INVALID, 37 JUMPDEST
    name: 'JUMPI taken on a condition with only the top bit set',
    code: asm(push(1n << 255n), push(37), OP.JUMPI, OP.INVALID, OP.JUMPDEST, push(6), ret()),
    status: S.SUCCESS, want: 6n, gas: 3 + 3 + 10 + 1 + 3 + RET_GAS,
  },
  { name: 'JUMPI taken to an invalid target', code: asm(push(1), push(99), OP.JUMPI), status: S.BAD_JUMP },
  { name: 'JUMPI with one stack item', code: asm(push(1), OP.JUMPI), status: S.STACK_UNDERFLOW },
];

for (const row of jumps) {
  test(row.name, async () => {
    const out = await run(row.code, { gasLimit: LIMIT });
    assert.equal(out.status, row.status);
    if (row.status === S.SUCCESS) {
      assert.equal(out.value, row.want);
      assert.equal(out.gasUsed, BigInt(21000 + row.gas!));
    } else {
      assert.equal(out.gasUsed, LIMIT);
    }
  });
}

test('a loop with JUMPI sums 1..10', async () => {
  // acc = 0, i = 10; loop: acc += i; i -= 1; if i != 0 goto loop.
  //  0 PUSH1 0 (acc)  2 PUSH1 10 (i)  4 JUMPDEST  5 DUP1  6 SWAP2  7 ADD  8 SWAP1  9 PUSH1 1  11 SWAP1
  // 12 SUB  13 DUP1  14 PUSH1 4  16 JUMPI  17 POP  18 ret
  const code = asm(push(0), push(10), OP.JUMPDEST, 0x80, 0x91, OP.ADD, 0x90, push(1), 0x90, OP.SUB, 0x80, push(4),
    OP.JUMPI, OP.POP, ret());
  const out = await run(code);
  assert.equal(out.value, 55n);
  // 6 before the loop; each of 10 iterations: 1+3+3+3+3+3+3+3+3+3+10 = 38; then POP 2 and ret.
  assert.equal(out.gasUsed, BigInt(21000 + 6 + 10 * 38 + 2 + RET_GAS));
});

test('JUMPDEST costs 1 when run through', async () => {
  const out = await run(asm(OP.JUMPDEST, OP.JUMPDEST, OP.JUMPDEST));
  assert.equal(out.gasUsed, 21003n);
});

test('PC is the offset of the PC instruction', async () => {
  // 0 PUSH1 1, 2 POP, 3 PC
  const out = await run(asm(push(1), OP.POP, OP.PC, ret()));
  assert.equal(out.value, 3n);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 2 + 2 + RET_GAS));
});

test('PC after PUSH32 skips the immediate', async () => {
  // 0 PUSH32 (33 bytes), 33 POP, 34 PC
  const out = await run(asm(push(1n << 250n, 32), OP.POP, OP.PC, ret()));
  assert.equal(out.value, 34n);
});

test('PC after a jump is the jump target\'s offset + 1', async () => {
  // 0 PUSH1 4, 2 JUMP, 3 STOP, 4 JUMPDEST, 5 PC
  const out = await run(asm(push(4), OP.JUMP, OP.STOP, OP.JUMPDEST, OP.PC, ret()));
  assert.equal(out.value, 5n);
});

for (const gasLimit of [100_000n, 1_000_000n, 30_000_000n]) {
  test(`GAS is what is left after its own 2 gas (limit ${gasLimit})`, async () => {
    const out = await run(asm(OP.GAS, ret()), { gasLimit });
    assert.equal(out.value, gasLimit - 21000n - 2n);
    assert.equal(out.gasUsed, BigInt(21000 + 2 + RET_GAS));
  });
}

test('GAS accounts for calldata and earlier instructions', async () => {
  // Calldata: one zero byte (4) and one non-zero byte (16, EIP-2028).
  const out = await run(asm(push(1), OP.POP, OP.GAS, ret()), { gasLimit: 50_000n, data: Uint8Array.of(0, 1) });
  assert.equal(out.value, 50_000n - 21000n - 4n - 16n - 3n - 2n - 2n);
});

test('STOP halts with success, no output and no gas', async () => {
  const out = await run(asm(OP.STOP, push(1), ret()));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.output.length, 0);
  assert.equal(out.gasUsed, 21000n);
});

test('running off the end of code stops', async () => {
  const out = await run(asm(push(1), push(2)));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.gasUsed, 21006n);
});

test('empty code succeeds with 21000', async () => {
  const out = await run(new Uint8Array(0));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.gasUsed, 21000n);
});

test('RETURN hands back a memory range', async () => {
  // Memory word 0 = 0x...a1a2a3 (low bytes); return bytes 29..31.
  const out = await run(asm(push(0xa1a2a3), push(0), OP.MSTORE, push(3), push(29), OP.RETURN));
  assert.equal(toHex(out.output), '0xa1a2a3');
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 6 + 3 + 3));
});

test('RETURN past memory returns zeros and pays for the expansion', async () => {
  const out = await run(asm(push(40), push(0), OP.RETURN));
  assert.deepEqual(out.output, new Uint8Array(40));
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + memoryGas(2)));
});

test('REVERT returns its data, keeps the gas left and undoes storage [Byzantium+]', async () => {
  const code = asm(push(1), push(0), OP.SSTORE, push(0xbeef), push(0), OP.MSTORE, push(2), push(30), OP.REVERT);
  const out = await run(code, { gasLimit: 1_000_000n });
  assert.equal(out.status, S.REVERT);
  assert.equal(toHex(out.output), '0xbeef');
  assert.equal(out.storage.size, 0);
  // No refund on revert: 3 + 3 + 22100, 3 + 3 + 6, 3 + 3.
  assert.equal(out.gasUsed, BigInt(21000 + 6 + 22100 + 12 + 6));
});

test('INVALID (0xFE) halts exceptionally and consumes all gas', async () => {
  const out = await run(asm(push(1), push(0), OP.SSTORE, OP.INVALID), { gasLimit: LIMIT });
  assert.equal(out.status, S.INVALID_OPCODE);
  assert.equal(out.gasUsed, LIMIT);
  assert.equal(out.storage.size, 0);
});

/** The opcodes the Cancun rules define (execution-specs cancun/vm/instructions/__init__.py). */
function definedAtCancun(op: number): boolean {
  return op <= 0x0b || (op >= 0x10 && op <= 0x1d) || op === 0x20 || (op >= 0x30 && op <= 0x4a) ||
    (op >= 0x50 && op <= 0xa4) || (op >= 0xf0 && op <= 0xf5) || op === 0xfa || op === 0xfd || op === 0xff;
}

test('every opcode Cancun leaves undefined halts with invalid opcode', async () => {
  let count = 0;
  for (let op = 0; op < 256; op++) {
    if (definedAtCancun(op)) continue;
    count++;
    // Give it plenty of stack so only the opcode itself can fail.
    const out = await run(asm(...Array.from({ length: 8 }, () => push(0)), op), { gasLimit: LIMIT });
    assert.equal(out.status, S.INVALID_OPCODE, `opcode 0x${op.toString(16)}`);
    assert.equal(out.gasUsed, LIMIT, `opcode 0x${op.toString(16)}`);
  }
  // 256 - 12 - 14 - 1 - 27 - 85 - 6 - 1 - 1 - 1 - 1 (INVALID 0xfe counts as undefined here) = 107
  assert.equal(count, 256 - 12 - 14 - 1 - 27 - 85 - 6 - 1 - 1 - 1);
});

// Opcodes by the fork that introduced them: invalid one fork earlier, defined from it on.
const INTRODUCED: [string, number, Fork][] = [
  ['DELEGATECALL', OP.DELEGATECALL, Fork.Homestead],
  ['RETURNDATASIZE', OP.RETURNDATASIZE, Fork.Byzantium],
  ['RETURNDATACOPY', OP.RETURNDATACOPY, Fork.Byzantium],
  ['STATICCALL', OP.STATICCALL, Fork.Byzantium],
  ['REVERT', OP.REVERT, Fork.Byzantium],
  ['SHL', OP.SHL, Fork.Constantinople],
  ['CREATE2', OP.CREATE2, Fork.Constantinople],
  ['EXTCODEHASH', OP.EXTCODEHASH, Fork.Constantinople],
  ['CHAINID', OP.CHAINID, Fork.Istanbul],
  ['SELFBALANCE', OP.SELFBALANCE, Fork.Istanbul],
  ['BASEFEE', OP.BASEFEE, Fork.London],
  ['PUSH0', OP.PUSH0, Fork.Shanghai],
  ['TLOAD', OP.TLOAD, Fork.Cancun],
  ['TSTORE', OP.TSTORE, Fork.Cancun],
  ['MCOPY', OP.MCOPY, Fork.Cancun],
  ['BLOBHASH', OP.BLOBHASH, Fork.Cancun],
  ['BLOBBASEFEE', OP.BLOBBASEFEE, Fork.Cancun],
];
for (const [name, op, since] of INTRODUCED) {
  test(`${name} is undefined before ${Fork[since]} and defined from it`, async () => {
    const code = asm(...Array.from({ length: 7 }, () => push(0)), op);
    const before = await run(code, { fork: since - 1, gasLimit: LIMIT });
    assert.equal(before.status, S.INVALID_OPCODE);
    assert.equal(before.gasUsed, LIMIT);
    const from = await run(code, { fork: since, gasLimit: LIMIT });
    assert.notEqual(from.status, S.INVALID_OPCODE);
    assert.ok(from.gasUsed < LIMIT, 'a defined opcode with valid operands does not consume all gas');
  });
}

// KECCAK256 over memory: 30 + 6 per word + expansion; each row's gas includes the final ret().
const KECCAK: [string, Uint8Array, string, number][] = [
  ['of no bytes', asm(push(0), push(0), OP.KECCAK256),
    '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470', 3 + 3 + 30 + RET_GAS],
  ['of a zero word (memory expanded by it)', asm(push(32), push(0), OP.KECCAK256),
    '0x290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563', 3 + 3 + 30 + 6 + memoryGas(1) + RET_GAS_EXPANDED],
  ['of the word 1', asm(push(1), push(0), OP.MSTORE, push(32), push(0), OP.KECCAK256),
    '0xb10e2d527612073b26eecdfd717e6a320cf44b4afac2b0732d9fcbe2b7fa0cf6',
    3 + 3 + 3 + memoryGas(1) + 3 + 3 + 30 + 6 + RET_GAS_EXPANDED],
];
for (const [name, code, want, gas] of KECCAK) {
  test(`KECCAK256 ${name}`, async () => {
    const out = await run(asm(code, ret()));
    assert.equal(toHex(out.output), want);
    assert.equal(out.gasUsed, BigInt(21000 + gas));
  });
}

test('KECCAK256 of 33 bytes pays for two words', async () => {
  const out = await run(asm(push(33), push(0), OP.KECCAK256, OP.POP));
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 30 + 12 + memoryGas(2) + 2));
});

test('KECCAK256 of 2^64 bytes runs out of gas', async () => {
  const out = await run(asm(push(1n << 64n), push(0), OP.KECCAK256), { gasLimit: LIMIT });
  assert.equal(out.status, S.OUT_OF_GAS);
  assert.equal(out.gasUsed, LIMIT);
});

test('KECCAK256 of zero bytes at a huge offset does not expand memory', async () => {
  const out = await run(asm(push(0), push(1n << 200n), OP.KECCAK256, ret()));
  assert.equal(toHex(out.output), '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 30 + RET_GAS));
});
