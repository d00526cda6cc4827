// ADDRESS .. EXTCODEHASH (assembly/evm/instructions/environment.ts), RETURNDATA* aside (system.test.ts).
// Account-access gas by fork: BALANCE 20 (Frontier), 400 (EIP-150), 700 (EIP-1884); EXTCODESIZE and
// EXTCODECOPY 20, then 700 (EIP-150); EXTCODEHASH 400 (EIP-1052), 700 (EIP-1884); from Berlin all of
// them 100 warm / 2600 cold (EIP-2929), the sender, the target and precompiles warm from the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, Fork, OP, OTHER, RET_GAS, RUNNER_SENDER, S, address, asm, call, keccak256, memoryGas,
  push, pushAddress, ret, run, send, toBigInt, toHex, world,
} from '../helpers/evm.js';

const EOA = address(0xe0a);
const MISSING = address(0xdead);

test('ADDRESS is the executing contract', async () => {
  const out = await run(asm(OP.ADDRESS, ret()));
  assert.equal(out.value, toBigInt(CONTRACT));
  assert.equal(out.gasUsed, BigInt(21000 + 2 + RET_GAS));
});

test('ORIGIN and CALLER at the top level are the sender', async () => {
  const out = await run(asm(OP.ORIGIN, OP.CALLER, OP.EQ, OP.CALLER, OP.MUL, ret()));
  assert.equal(out.value, toBigInt(RUNNER_SENDER));
  assert.equal(out.gasUsed, BigInt(21000 + 2 + 2 + 3 + 2 + 5 + RET_GAS));
});

test('in a nested call CALLER is the calling contract and ORIGIN still the sender', async () => {
  // OTHER returns CALLER and ORIGIN; CONTRACT calls it and returns its output.
  const callee = asm(OP.CALLER, push(0), OP.MSTORE, OP.ORIGIN, push(32), OP.MSTORE, push(64), push(0), OP.RETURN);
  const caller = asm(call(OP.CALL, OTHER, { retSize: 64 }), OP.POP, push(64), push(0), OP.RETURN);
  const out = await run(caller, { accounts: [[OTHER, { code: callee }]] });
  assert.equal(toBigInt(out.output.subarray(0, 32)), toBigInt(CONTRACT));
  assert.equal(toBigInt(out.output.subarray(32)), toBigInt(RUNNER_SENDER));
});

test('CALLVALUE is the transaction value', async () => {
  const out = await run(asm(OP.CALLVALUE, ret()), { value: 12345n });
  assert.equal(out.value, 12345n);
  assert.equal(out.gasUsed, BigInt(21000 + 2 + RET_GAS));
  assert.equal(out.runner.account(CONTRACT)?.balance, 12345n);
});

const DATA = Uint8Array.from({ length: 32 }, (_, i) => i + 1); // 0x0102..20
const DATA_WORD = toBigInt(DATA);
const CALLDATALOAD: [string, bigint, bigint][] = [
  ['at 0', 0n, DATA_WORD],
  ['at 1 pads the missing byte with zero', 1n, (DATA_WORD << 8n) & ((1n << 256n) - 1n)],
  ['at 31 reads one byte', 31n, 0x20n << 248n],
  ['at 32 (the end) reads zeros', 32n, 0n],
  ['at 2^64 reads zeros', 1n << 64n, 0n],
  ['at 2^255 reads zeros', 1n << 255n, 0n],
];
for (const [name, offset, want] of CALLDATALOAD) {
  test(`CALLDATALOAD ${name}`, async () => {
    const out = await run(asm(push(offset), OP.CALLDATALOAD, ret()), { data: DATA });
    assert.equal(out.value, want);
    // 32 non-zero calldata bytes at 16 (EIP-2028); PUSH 3, CALLDATALOAD 3.
    assert.equal(out.gasUsed, BigInt(21000 + 32 * 16 + 3 + 3 + RET_GAS));
  });
}

test('CALLDATASIZE', async () => {
  const out = await run(asm(OP.CALLDATASIZE, ret()), { data: new Uint8Array(70) });
  assert.equal(out.value, 70n);
  assert.equal(out.gasUsed, BigInt(21000 + 70 * 4 + 2 + RET_GAS));
});

// Intrinsic calldata gas: 4 a zero byte; 68 a non-zero byte, 16 from Istanbul (EIP-2028).
for (const [fork, nonZero] of [[Fork.Frontier, 68], [Fork.Petersburg, 68], [Fork.Istanbul, 16], [Fork.Cancun, 16]] as const) {
  test(`calldata 0x0001ff costs 4 + 2 * ${nonZero} [${Fork[fork]}]`, async () => {
    const out = await run(new Uint8Array(0), { fork, data: Uint8Array.of(0, 1, 0xff) });
    assert.equal(out.gasUsed, BigInt(21000 + 4 + 2 * nonZero));
  });
}

test('CALLDATACOPY copies and zero-fills past the end', async () => {
  // Copy 4 bytes from offset 30 of 32: 0x1f 0x20 0x00 0x00, to memory 0, return them.
  const out = await run(asm(push(4), push(30), push(0), OP.CALLDATACOPY, push(4), push(0), OP.RETURN), { data: DATA });
  assert.equal(toHex(out.output), '0x1f200000');
  // 3 pushes, CALLDATACOPY 3 + 3 (one word) + C_mem(1), then 2 pushes.
  assert.equal(out.gasUsed, BigInt(21000 + 32 * 16 + 9 + 3 + 3 + memoryGas(1) + 6));
});

test('CALLDATACOPY from an offset past 2^64 writes zeros', async () => {
  const out = await run(asm(push(0xff), push(0), OP.MSTORE8, push(1), push(1n << 64n), push(0), OP.CALLDATACOPY,
    push(1), push(0), OP.RETURN), { data: DATA });
  assert.equal(toHex(out.output), '0x00');
});

test('CALLDATACOPY pays 3 per word: 65 bytes are 3 words', async () => {
  const out = await run(asm(push(65), push(0), push(0), OP.CALLDATACOPY));
  assert.equal(out.gasUsed, BigInt(21000 + 9 + 3 + 3 * 3 + memoryGas(3)));
});

test('CODESIZE and CODECOPY read the executing code', async () => {
  // CODECOPY(0, 0, CODESIZE + 2): the code followed by two zero bytes.
  const code = asm(push(2), OP.CODESIZE, OP.ADD, OP.DUP1, push(0), push(0), OP.CODECOPY, push(0), OP.RETURN);
  const out = await run(code);
  assert.equal(toHex(out.output), toHex(asm(code, [0, 0])));
  // 3 + 2 + 3 + 3 + 3 + 3 + CODECOPY (3 + 3 * 1 + C_mem(1)) + 3 + RETURN 0.
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 2 + 3 + 3 + 3 + 3 + 3 + 3 + memoryGas(1) + 3));
});

test('CODECOPY from past the end of code writes zeros', async () => {
  const code = asm(push(0xff), push(0), OP.MSTORE8, push(2), push(1000), push(0), OP.CODECOPY, push(2), push(0), OP.RETURN);
  const out = await run(code);
  assert.equal(toHex(out.output), '0x0000');
});

// GASPRICE: the effective price. The runner's type-2 transactions offer 7 with no tip at base fee 7.
test('GASPRICE of a type-2 transaction is base fee + min(tip, fee cap - base fee)', async () => {
  const r = await world(Fork.Cancun, [[CONTRACT, { code: asm(OP.GASPRICE, ret()) }]]);
  assert.equal(toBigInt(r.call(CONTRACT).output), 7n);
  assert.equal(toBigInt(send(r, { to: CONTRACT, gasPrice: 100n, maxPriorityFeePerGas: 3n }).output), 10n);
  assert.equal(toBigInt(send(r, { to: CONTRACT, gasPrice: 9n, maxPriorityFeePerGas: 5n }).output), 9n);
  assert.equal(toBigInt(send(r, { to: CONTRACT, type: 0, gasPrice: 11n }).output), 11n);
});

test('GASPRICE of a legacy transaction before London is its gas price', async () => {
  const r = await world(Fork.Istanbul, [[CONTRACT, { code: asm(OP.GASPRICE, ret()) }]]);
  assert.equal(toBigInt(send(r, { to: CONTRACT, gasPrice: 123n }).output), 123n);
});

// BALANCE, EXTCODESIZE, EXTCODEHASH of OTHER (cold, then warm) and their costs per fork.
const OTHER_CODE = asm(push(1), push(2), OP.ADD); // 5 bytes
const ACCESS: [string, number, Fork, number, number][] = [
  // name, opcode, fork, first access, second access
  ['BALANCE', OP.BALANCE, Fork.Frontier, 20, 20],
  ['BALANCE', OP.BALANCE, Fork.TangerineWhistle, 400, 400],
  ['BALANCE', OP.BALANCE, Fork.Petersburg, 400, 400],
  ['BALANCE', OP.BALANCE, Fork.Istanbul, 700, 700],
  ['BALANCE', OP.BALANCE, Fork.Berlin, 2600, 100],
  ['BALANCE', OP.BALANCE, Fork.Cancun, 2600, 100],
  ['EXTCODESIZE', OP.EXTCODESIZE, Fork.Frontier, 20, 20],
  ['EXTCODESIZE', OP.EXTCODESIZE, Fork.TangerineWhistle, 700, 700],
  ['EXTCODESIZE', OP.EXTCODESIZE, Fork.Istanbul, 700, 700],
  ['EXTCODESIZE', OP.EXTCODESIZE, Fork.Berlin, 2600, 100],
  ['EXTCODEHASH', OP.EXTCODEHASH, Fork.Constantinople, 400, 400],
  ['EXTCODEHASH', OP.EXTCODEHASH, Fork.Petersburg, 400, 400],
  ['EXTCODEHASH', OP.EXTCODEHASH, Fork.Istanbul, 700, 700],
  ['EXTCODEHASH', OP.EXTCODEHASH, Fork.London, 2600, 100],
];
for (const [name, op, fork, first, second] of ACCESS) {
  test(`${name} of another account costs ${first}, then ${second} [${Fork[fork]}]`, async () => {
    const code = asm(pushAddress(OTHER), op, OP.POP, pushAddress(OTHER), op, ret());
    const out = await run(code, { fork, accounts: [[OTHER, { code: OTHER_CODE, balance: 77n }]] });
    assert.equal(out.status, S.SUCCESS);
    const want = op === OP.BALANCE ? 77n : op === OP.EXTCODESIZE ? 5n : toBigInt(keccak256(OTHER_CODE));
    assert.equal(out.value, want);
    assert.equal(out.gasUsed, BigInt(21000 + 3 + first + 2 + 3 + second + RET_GAS));
  });
}

test('BALANCE of the contract itself, the sender and a precompile is warm [Berlin+]', async () => {
  const code = asm(OP.ADDRESS, OP.BALANCE, pushAddress(RUNNER_SENDER), OP.BALANCE, OP.POP, push(1), OP.BALANCE, OP.ADD, ret());
  const out = await run(code, { balance: 5n, accounts: [[address(1, 0), { balance: 3n }]] });
  assert.equal(out.value, 8n);
  assert.equal(out.gasUsed, BigInt(21000 + 2 + 100 + 3 + 100 + 2 + 3 + 100 + 3 + RET_GAS));
});

test('BALANCE of a missing account is 0 and still cold', async () => {
  const out = await run(asm(pushAddress(MISSING), OP.BALANCE, ret()));
  assert.equal(out.value, 0n);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 2600 + RET_GAS));
});

test('BALANCE reads only the low 160 bits of its operand', async () => {
  const out = await run(asm(push((1n << 200n) | toBigInt(OTHER)), OP.BALANCE, ret()), { accounts: [[OTHER, { balance: 9n }]] });
  assert.equal(out.value, 9n);
});

test('BALANCE of the executing contract includes the value it received', async () => {
  const out = await run(asm(OP.ADDRESS, OP.BALANCE, ret()), { balance: 1n, value: 10n });
  assert.equal(out.value, 11n);
});

test('EXTCODESIZE of an account without code is 0', async () => {
  const out = await run(asm(pushAddress(EOA), OP.EXTCODESIZE, ret()), { accounts: [[EOA, { balance: 1n }]] });
  assert.equal(out.value, 0n);
});

test('EXTCODECOPY copies another account\'s code and pads with zeros', async () => {
  // EXTCODECOPY(addr, 0, 1, 6): bytes 1..4 of OTHER's 5-byte code and two zeros.
  const code = asm(push(6), push(1), push(0), pushAddress(OTHER), OP.EXTCODECOPY, push(6), push(0), OP.RETURN);
  const out = await run(code, { accounts: [[OTHER, { code: OTHER_CODE }]] });
  assert.equal(toHex(out.output), toHex(asm(OTHER_CODE.subarray(1), [0, 0])));
  // 4 pushes, EXTCODECOPY 100 + 2500 cold + 3 (one word) + C_mem(1), 2 pushes.
  assert.equal(out.gasUsed, BigInt(21000 + 12 + 2600 + 3 + memoryGas(1) + 6));
});

test('EXTCODECOPY at Frontier costs 20 + 3 per word', async () => {
  const code = asm(push(6), push(1), push(0), pushAddress(OTHER), OP.EXTCODECOPY);
  const out = await run(code, { fork: Fork.Frontier, accounts: [[OTHER, { code: OTHER_CODE }]] });
  assert.equal(out.gasUsed, BigInt(21000 + 12 + 20 + 3 + memoryGas(1)));
});

// EXTCODEHASH (EIP-1052): 0 for an account that does not exist or is empty (EIP-161), the hash of
// empty code for an account with balance or nonce but no code, else the code's hash.
const EMPTY_HASH = 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470n;
const CODEHASH: [string, Uint8Array, bigint][] = [
  ['a missing account', MISSING, 0n],
  ['an existing empty account', address(0xe1), 0n],
  ['an account with balance only', address(0xe2), EMPTY_HASH],
  ['an account with nonce only', address(0xe3), EMPTY_HASH],
  ['a contract', OTHER, toBigInt(keccak256(OTHER_CODE))],
  ['the executing contract', CONTRACT, 0n],
];
for (const [name, target, want] of CODEHASH) {
  test(`EXTCODEHASH of ${name}`, async () => {
    const code = asm(pushAddress(target), OP.EXTCODEHASH, ret());
    const out = await run(code, {
      accounts: [[address(0xe1), {}], [address(0xe2), { balance: 1n }], [address(0xe3), { nonce: 1n }],
        [OTHER, { code: OTHER_CODE }]],
    });
    assert.equal(out.value, target === CONTRACT ? toBigInt(keccak256(code)) : want);
  });
}
