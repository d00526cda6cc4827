// CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE, CREATE2, SELFDESTRUCT and RETURNDATA*
// (assembly/evm/instructions/system.ts, assembly/evm/message.ts). Gas rules from execution-specs
// (cancun/vm/instructions/system.py, gas.py calculate_message_call_gas, and the older forks):
//   CALL: 100 warm / 2600 cold (EIP-2929; 700 from EIP-150, 40 before) + 9000 with value
//     + 25000 for a new account (EIP-161: value to a dead account; before it: any call to a
//     missing account) + memory; the callee gets min(asked, all but 1/64 of what is left) (EIP-150;
//     before it exactly what is asked, which must be available) + a 2300 stipend with value.
//   CREATE: 32000 + memory (+ 2 per initcode word, EIP-3860; CREATE2 + 6 per word for hashing),
//     the child gets all but 1/64; 200 per deposited code byte.
//   SELFDESTRUCT: 5000 (EIP-150; 0 before) + 2600 cold beneficiary + 25000 for a new account;
//     refund 24000 until London (EIP-3529).
// The call() helper pushes retSize, retOffset, argsSize, argsOffset, [value], address and gas: 7
// pushes (21 gas) with a numeric gas, 6 pushes and GAS (20 gas) with 'all'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, Fork, MAX, OP, OTHER, RET_GAS, RET_GAS_EXPANDED, RUNNER_SENDER, S, address, afterRefund, asm, call, create,
  create2Address, createAddress, deployer, hex, memoryGas, push, pushAddress, ret, retN, run, toBigInt, toHex, wordAt, world,
} from '../helpers/evm.js';

const MISSING = address(0xdead);
const HEIR = address(0x4e1);
/** A callee that returns the gas it starts with: GAS ret() = 2 + 15 gas. */
const GAS_PROBE = asm(OP.GAS, ret());
/** After a call with retSize 32: POP the flag, MLOAD the output and return it: 2 + 3 + 3 + 12. */
const RETURN_OUTPUT = asm(OP.POP, push(0), OP.MLOAD, ret());
const RETURN_OUTPUT_GAS = 2 + 3 + 3 + RET_GAS_EXPANDED;

// ---- CALL: value, stipend, new accounts ----

test('CALL moves value and gives the callee a 2300 stipend', async () => {
  const code = asm(call(OP.CALL, OTHER, { gas: 0, value: 30, retSize: 32 }), RETURN_OUTPUT);
  const out = await run(code, { balance: 100n, accounts: [[OTHER, { code: GAS_PROBE }]] });
  assert.equal(out.value, 2300n - 2n);
  assert.equal(out.runner.account(CONTRACT)?.balance, 70n);
  assert.equal(out.runner.account(OTHER)?.balance, 30n);
  // 21 pushes; CALL 100 + 2500 cold + 9000 value + 3 memory; the callee runs on the free stipend
  // and uses 17 of it, so the caller pays 11603 - 2300 + 17.
  assert.equal(out.gasUsed, BigInt(21000 + 21 + 11603 - 2300 + 17 + RETURN_OUTPUT_GAS));
});

test('CALL with value to a missing account pays 25000 and creates it', async () => {
  const out = await run(asm(call(OP.CALL, MISSING, { gas: 0, value: 1 }), ret()), { balance: 10n });
  assert.equal(out.value, 1n);
  assert.equal(out.runner.account(MISSING)?.balance, 1n);
  // No code: the whole stipend comes back.
  assert.equal(out.gasUsed, BigInt(21000 + 21 + 2600 + 9000 + 25000 - 2300 + RET_GAS));
});

// A zero-value CALL to a missing account: 25000 before EIP-161, which also left the account existing.
const ZERO_VALUE: [Fork, number, boolean][] = [
  [Fork.Frontier, 40 + 25000, true],
  [Fork.Homestead, 40 + 25000, true],
  [Fork.TangerineWhistle, 700 + 25000, true],
  [Fork.SpuriousDragon, 700, false],
  [Fork.Istanbul, 700, false],
  [Fork.Berlin, 2600, false],
  [Fork.Cancun, 2600, false],
];
for (const [fork, cost, exists] of ZERO_VALUE) {
  test(`CALL without value to a missing account costs ${cost} [${Fork[fork]}]`, async () => {
    const out = await run(asm(call(OP.CALL, MISSING, { gas: 0 }), ret()), { fork });
    assert.equal(out.value, 1n);
    assert.equal(out.gasUsed, BigInt(21000 + 21 + cost + RET_GAS));
    assert.equal(out.runner.account(MISSING)?.exists === true, exists);
  });
}

test('CALL with more value than the balance fails and refunds the stipend', async () => {
  const out = await run(asm(call(OP.CALL, OTHER, { gas: 0, value: 10 }), ret()), {
    balance: 5n, accounts: [[OTHER, { code: GAS_PROBE }]],
  });
  assert.equal(out.value, 0n);
  assert.equal(out.runner.account(CONTRACT)?.balance, 5n);
  assert.equal(out.gasUsed, BigInt(21000 + 21 + 2600 + 9000 - 2300 + RET_GAS));
});

test('CALL of a missing account with value but too little balance still pays for the new account', async () => {
  const out = await run(asm(call(OP.CALL, MISSING, { gas: 0, value: 10 }), ret()), { balance: 5n });
  assert.equal(out.value, 0n);
  assert.equal(out.gasUsed, BigInt(21000 + 21 + 2600 + 9000 + 25000 - 2300 + RET_GAS));
  assert.notEqual(out.runner.account(MISSING)?.exists, true);
});

test('CALL to itself with value keeps the balance', async () => {
  const out = await run(asm(call(OP.CALL, CONTRACT, { gas: 0, value: 4 }), OP.POP, OP.SELFBALANCE, ret()), { balance: 9n });
  assert.equal(out.value, 9n);
});

// ---- the gas a callee gets ----

test('CALL passes all but 1/64 when asked for more (EIP-150) [Cancun]', async () => {
  // The caller has 64000 left after the CALL's own charges (2600 cold + 3 memory): the callee gets
  // 64000 - 1000 and its GAS reads 62998.
  const code = asm(call(OP.CALL, OTHER, { gas: MAX, retSize: 32 }), RETURN_OUTPUT);
  const gasLimit = BigInt(21000 + 21 + 2600 + 3 + 64000);
  const out = await run(code, { gasLimit, accounts: [[OTHER, { code: GAS_PROBE }]] });
  assert.equal(out.value, 62998n);
  assert.equal(out.gasUsed, BigInt(21000 + 21 + 2603 + 17 + RETURN_OUTPUT_GAS));
});

test('CALL passes all but 1/64 [TangerineWhistle]: 700 for the call', async () => {
  const code = asm(call(OP.CALL, OTHER, { gas: MAX, retSize: 32 }), RETURN_OUTPUT);
  const gasLimit = BigInt(21000 + 21 + 700 + 3 + 64000);
  const out = await run(code, { fork: Fork.TangerineWhistle, gasLimit, accounts: [[OTHER, { code: GAS_PROBE }]] });
  assert.equal(out.value, 62998n);
  assert.equal(out.gasUsed, BigInt(21000 + 21 + 703 + 17 + RETURN_OUTPUT_GAS));
});

test('CALL passes exactly what it asks for below the cap', async () => {
  const code = asm(call(OP.CALL, OTHER, { gas: 5000, retSize: 32 }), RETURN_OUTPUT);
  const out = await run(code, { accounts: [[OTHER, { code: GAS_PROBE }]] });
  assert.equal(out.value, 4998n);
});

test('before EIP-150 a CALL gets exactly what it asks [Homestead]', async () => {
  const code = asm(call(OP.CALL, OTHER, { gas: 10_000, retSize: 32 }), RETURN_OUTPUT);
  const out = await run(code, { fork: Fork.Homestead, accounts: [[OTHER, { code: GAS_PROBE }]] });
  assert.equal(out.value, 9998n);
  assert.equal(out.gasUsed, BigInt(21000 + 21 + 40 + 3 + 17 + RETURN_OUTPUT_GAS));
});

test('before EIP-150 asking for more gas than is left is out of gas [Homestead]', async () => {
  const code = asm(call(OP.CALL, OTHER, { gas: MAX }), ret());
  const out = await run(code, { fork: Fork.Homestead, gasLimit: 100_000n, accounts: [[OTHER, { code: GAS_PROBE }]] });
  assert.equal(out.status, S.OUT_OF_GAS);
  assert.equal(out.gasUsed, 100_000n);
});

test('DELEGATECALL and STATICCALL also keep 1/64', async () => {
  for (const op of [OP.DELEGATECALL, OP.STATICCALL]) {
    const code = asm(call(op, OTHER, { gas: MAX, retSize: 32 }), RETURN_OUTPUT);
    // 6 pushes (18) + 2600 + 3 before the callee's share.
    const gasLimit = BigInt(21000 + 18 + 2600 + 3 + 6400);
    const out = await run(code, { gasLimit, accounts: [[OTHER, { code: GAS_PROBE }]] });
    assert.equal(out.value, 6400n - 100n - 2n, `opcode 0x${op.toString(16)}`);
  }
});

// ---- depth ----

/**
 * A contract that calls itself with calldata depth + 1, all gas, and returns the word its callee
 * returned (or, when its own CALL is refused, the depth + 1 it stored in that word).
 */
const RECURSE = asm(push(0), OP.CALLDATALOAD, push(1), OP.ADD, push(0), OP.MSTORE,
  push(32), push(0), push(32), push(0), push(0), OP.ADDRESS, OP.GAS, OP.CALL, OP.POP, push(32), push(0), OP.RETURN);

for (const fork of [Fork.TangerineWhistle, Fork.Cancun]) {
  test(`the call depth limit is 1024 [${Fork[fork]}]`, async () => {
    // Frames at depths 0..1024 run; the CALL made at depth 1024 is refused (0 pushed, no frame),
    // and that frame returns 1024 + 1. Each frame spends about 750 gas before passing on 63/64 of
    // the rest (CALL 700 at Tangerine Whistle, 100 warm at Cancun) and (63/64)^1024 ≈ 1e-7, so 10^12
    // gas leaves about 10^5 at the bottom: nothing fails for lack of gas.
    const out = await run(RECURSE, { fork, gasLimit: 1_000_000_000_000n });
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.value, 1025n);
  });
}

// ---- CALLCODE, DELEGATECALL, STATICCALL contexts ----

/** Stores CALLVALUE at slot 0 and returns ADDRESS and CALLER. */
const CONTEXT_PROBE = asm(OP.CALLVALUE, push(0), OP.SSTORE, OP.CALLER, OP.ADDRESS, retN(2));

test('CALLCODE runs the code on the caller\'s storage; value goes to the caller itself', async () => {
  const code = asm(call(OP.CALLCODE, OTHER, { gas: 'all', value: 7, retSize: 64 }), OP.POP, push(64), push(0), OP.RETURN);
  const out = await run(code, { balance: 100n, accounts: [[OTHER, { code: CONTEXT_PROBE }]] });
  assert.equal(wordAt(out.output, 0), toBigInt(CONTRACT)); // ADDRESS
  assert.equal(wordAt(out.output, 1), toBigInt(CONTRACT)); // CALLER
  assert.equal(out.storage.get(0n), 7n);
  assert.equal(out.runner.account(OTHER)?.storage.size, 0);
  assert.equal(out.runner.account(CONTRACT)?.balance, 100n);
  assert.equal(out.runner.account(OTHER)?.balance, 0n);
});

test('DELEGATECALL keeps the caller, the value and the storage of the calling frame', async () => {
  const code = asm(call(OP.DELEGATECALL, OTHER, { gas: 'all', retSize: 64 }), OP.POP, push(64), push(0), OP.RETURN);
  const out = await run(code, { value: 9n, accounts: [[OTHER, { code: CONTEXT_PROBE }]] });
  assert.equal(wordAt(out.output, 0), toBigInt(CONTRACT));
  assert.equal(wordAt(out.output, 1), toBigInt(RUNNER_SENDER));
  assert.equal(out.storage.get(0n), 9n);
  assert.equal(out.runner.account(OTHER)?.storage.size, 0);
  assert.equal(out.runner.account(CONTRACT)?.balance, 9n);
});

test('STATICCALL runs the callee with value 0 and its own address', async () => {
  const probe = asm(OP.CALLVALUE, OP.CALLER, OP.ADDRESS, retN(3));
  const code = asm(call(OP.STATICCALL, OTHER, { gas: 'all', retSize: 96 }), OP.POP, push(96), push(0), OP.RETURN);
  const out = await run(code, { value: 9n, accounts: [[OTHER, { code: probe }]] });
  assert.equal(wordAt(out.output, 0), toBigInt(OTHER));
  assert.equal(wordAt(out.output, 1), toBigInt(CONTRACT));
  assert.equal(wordAt(out.output, 2), 0n);
});

const THIRD = address(0x333);
const STATIC_VIOLATIONS: [string, Uint8Array][] = [
  ['CALL with value', asm(call(OP.CALL, THIRD, { gas: 0, value: 1 }))],
  ['CREATE', asm(push(0), push(0), push(0), OP.CREATE)],
  ['CREATE2', asm(push(0), push(0), push(0), push(0), OP.CREATE2)],
  ['SELFDESTRUCT', asm(pushAddress(THIRD), OP.SELFDESTRUCT)],
  ['SSTORE', asm(push(1), push(0), OP.SSTORE)],
  ['TSTORE', asm(push(1), push(0), OP.TSTORE)],
  ['LOG0', asm(push(0), push(0), OP.LOG0)],
];
for (const [name, body] of STATIC_VIOLATIONS) {
  test(`${name} inside STATICCALL fails the callee and consumes its gas`, async () => {
    const code = asm(call(OP.STATICCALL, OTHER, { gas: 30_000 }), ret());
    const out = await run(code, { balance: 10n, accounts: [[OTHER, { code: body, balance: 10n }], [THIRD, { balance: 1n }]] });
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.value, 0n);
    // 5 pushes + gas push, 2600 cold, 30000 gone.
    assert.equal(out.gasUsed, BigInt(21000 + 18 + 2600 + 30_000 + RET_GAS));
  });
}

test('CALL without value inside STATICCALL is allowed', async () => {
  const body = asm(call(OP.CALL, THIRD, { gas: 0 }), ret());
  const code = asm(call(OP.STATICCALL, OTHER, { gas: 30_000, retSize: 32 }), RETURN_OUTPUT);
  const out = await run(code, { accounts: [[OTHER, { code: body }], [THIRD, { balance: 1n }]] });
  assert.equal(out.value, 1n);
});

// ---- CREATE ----

test('CREATE addresses are keccak256(rlp([sender, nonce]))[12:]', async () => {
  // Known vectors for sender 0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0, nonces 0..3.
  const sender = hex('0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0');
  const want = ['0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d', '0x343c43a37d37dff08ae8c4a11544c718abb4fcf8',
    '0xf778b86fa74e846c4f0a1fbd1335fe81c00a0c91', '0xfffd933a0bc612844eaf0c6fe3e5b8e9b6c1d19c'];
  const code = asm(...[0, 1, 2, 3].map((i) => asm(push(0), push(0), push(0), OP.CREATE, push(32 * i), OP.MSTORE)),
    push(128), push(0), OP.RETURN);
  const r = await world(Fork.Cancun, [[sender, { code, nonce: 0n }]]);
  const result = r.call(sender);
  assert.deepEqual([0, 1, 2, 3].map((i) => toHex(result.output.subarray(32 * i + 12, 32 * i + 32))), want);
  assert.equal(r.account(sender)?.nonce, 4n);
  assert.deepEqual(want.map((_, i) => toHex(createAddress(sender, BigInt(i)))), want);
});

test('CREATE with nonces that need multi-byte RLP', async () => {
  const code = asm(push(0), push(0), push(0), OP.CREATE, ret());
  for (const nonce of [0x7fn, 0x80n, 0xffn, 0x100n, 0xffffffn]) {
    const out = await run(code, { nonce });
    assert.equal(toHex(out.output.subarray(12)), toHex(createAddress(CONTRACT, nonce)), `nonce ${nonce}`);
  }
});

/** Initcode that deploys the one byte 0xaa: PUSH1 0xaa PUSH1 0 MSTORE8 PUSH1 1 PUSH1 0 RETURN (18 gas). */
const DEPLOY_AA = hex('0x60aa60005360016000f3');
/** Puts DEPLOY_AA at memory 22..31 and creates from it: PUSH10 + PUSH1 0 + MSTORE (3 + 3 + 6) + 3 pushes. */
const CREATE_AA = asm(push(toBigInt(DEPLOY_AA), 10), push(0), OP.MSTORE, push(10), push(22), push(0), OP.CREATE);

const CREATE_GAS: [Fork, number, bigint][] = [
  // fork, extra initcode word gas (EIP-3860), nonce of the new account (1 from EIP-161)
  [Fork.Frontier, 0, 0n],
  [Fork.Homestead, 0, 0n],
  [Fork.SpuriousDragon, 0, 1n],
  [Fork.London, 0, 1n],
  [Fork.Shanghai, 2, 1n],
  [Fork.Cancun, 2, 1n],
];
for (const [fork, initcodeWordGas, nonce] of CREATE_GAS) {
  test(`CREATE deploys code and charges 32000 + ${initcodeWordGas} + init + 200 a byte [${Fork[fork]}]`, async () => {
    const out = await run(asm(CREATE_AA, ret()), { fork, nonce: 1n });
    const created = createAddress(CONTRACT, 1n);
    assert.equal(toHex(out.output.subarray(12)), toHex(created));
    const account = out.runner.account(created);
    assert.equal(toHex(account?.code ?? new Uint8Array(0)), '0xaa');
    assert.equal(account?.nonce, nonce);
    assert.equal(out.runner.account(CONTRACT)?.nonce, 2n);
    assert.equal(out.gasUsed, BigInt(21000 + 3 + 9 + 9 + 32000 + initcodeWordGas + 18 + 200 + RET_GAS_EXPANDED));
  });
}

test('CREATE transfers its value to the new account', async () => {
  const code = asm(push(toBigInt(DEPLOY_AA), 10), push(0), OP.MSTORE, push(10), push(22), push(6), OP.CREATE, ret());
  const out = await run(code, { balance: 10n, nonce: 1n });
  assert.equal(out.runner.account(createAddress(CONTRACT, 1n))?.balance, 6n);
  assert.equal(out.runner.account(CONTRACT)?.balance, 4n);
});

test('CREATE with more value than the balance pushes 0 and does not bump the nonce', async () => {
  const code = asm(push(toBigInt(DEPLOY_AA), 10), push(0), OP.MSTORE, push(10), push(22), push(11), OP.CREATE, ret());
  const out = await run(code, { balance: 10n, nonce: 1n });
  assert.equal(out.value, 0n);
  assert.equal(out.runner.account(CONTRACT)?.nonce, 1n);
  // The child's 63/64 comes back: only the CREATE's own charges are spent.
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 9 + 9 + 32000 + 2 + RET_GAS_EXPANDED));
});

test('CREATE onto an address with only a balance succeeds and keeps the balance', async () => {
  const target = createAddress(CONTRACT, 1n);
  const code = asm(push(toBigInt(DEPLOY_AA), 10), push(0), OP.MSTORE, push(10), push(22), push(3), OP.CREATE, ret());
  const out = await run(code, { balance: 10n, nonce: 1n, accounts: [[target, { balance: 5n }]] });
  assert.equal(toHex(out.output.subarray(12)), toHex(target));
  assert.equal(out.runner.account(target)?.balance, 8n);
});

for (const [name, account] of [['a nonce', { nonce: 1n }], ['code', { code: Uint8Array.of(0) }],
  ['storage only (EIP-7610)', { storage: [[1n, 1n]] as [bigint, bigint][] }]] as const) {
  test(`CREATE onto an address with ${name} collides: 0, nonce bumped, child gas gone`, async () => {
    const target = createAddress(CONTRACT, 1n);
    // The caller has 64000 left when the child's share is taken; 1000 remain for ret().
    const before = 3 + 9 + 9 + 32000 + 2;
    const gasLimit = BigInt(21000 + before + 64000);
    const out = await run(asm(CREATE_AA, ret()), { nonce: 1n, gasLimit, accounts: [[target, account]] });
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.value, 0n);
    assert.equal(out.runner.account(CONTRACT)?.nonce, 2n);
    assert.equal(out.gasUsed, gasLimit - 1000n + BigInt(RET_GAS_EXPANDED));
  });
}

test('a reverting initcode: CREATE pushes 0, return data is the revert data, the nonce stays bumped', async () => {
  // initcode: PUSH2 0xdead PUSH1 0 MSTORE PUSH1 2 PUSH1 30 REVERT (11 bytes) at memory 21..31.
  const initcode = hex('0x61dead60005260026' + '01efd');
  const code = asm(push(toBigInt(initcode), 11), push(0), OP.MSTORE, push(11), push(21), push(0), OP.CREATE,
    OP.RETURNDATASIZE, push(2), push(0), push(64), OP.RETURNDATACOPY, retN(2));
  const out = await run(code, { nonce: 1n });
  assert.equal(wordAt(out.output, 0), 2n); // RETURNDATASIZE (top)
  assert.equal(wordAt(out.output, 1), 0n); // CREATE's result
  assert.equal(out.runner.account(CONTRACT)?.nonce, 2n);
  assert.equal(out.runner.account(createAddress(CONTRACT, 1n))?.exists === true, false);
});

test('an initcode that halts exceptionally leaves no return data', async () => {
  const code = asm(push(0xfe), push(0), OP.MSTORE8, push(1), push(0), push(0), OP.CREATE, OP.RETURNDATASIZE, retN(2));
  const out = await run(code, { nonce: 1n });
  assert.deepEqual([wordAt(out.output, 0), wordAt(out.output, 1)], [0n, 0n]);
});

test('after a successful CREATE the return data is empty', async () => {
  // A CALL first fills the return data; the CREATE must clear it although its initcode returned code.
  const code = asm(call(OP.CALL, OTHER), OP.POP, CREATE_AA, OP.POP, OP.RETURNDATASIZE, ret());
  const out = await run(code, { nonce: 1n, accounts: [[OTHER, { code: asm(push(1), ret()) }]] });
  assert.equal(out.value, 0n);
});

// Code deposit failures: before Homestead too little gas for the deposit leaves an empty contract
// (execution-specs frontier/vm/interpreter.py process_create_message); from EIP-2 it fails.
// Initcode PUSH1 100 PUSH1 0 RETURN deploys 100 zero bytes (20000 gas); it runs on 3 + 3 + C_mem(4) = 18.
const DEPLOY_100 = hex('0x60646000f3');
for (const fork of [Fork.Frontier, Fork.Homestead]) {
  test(`a transaction's code deposit without gas for it [${Fork[fork]}]`, async () => {
    // Calldata: 4 non-zero bytes, 1 zero byte; Homestead adds 32000 for a creation.
    const intrinsic = 21000 + 4 * 68 + 4 + (fork >= Fork.Homestead ? 32000 : 0);
    const gasLimit = BigInt(intrinsic + 18 + 19_999);
    const r = await world(fork, []);
    const result = r.call(undefined, { create: true, data: DEPLOY_100, gasLimit });
    const created = createAddress(RUNNER_SENDER, 0n);
    if (fork === Fork.Frontier) {
      assert.equal(result.status, S.SUCCESS);
      assert.equal(result.gasUsed, BigInt(intrinsic + 18));
      assert.equal(r.account(created)?.exists, true);
      assert.equal(r.account(created)?.code.length, 0);
    } else {
      assert.equal(result.status, S.OUT_OF_GAS);
      assert.equal(result.gasUsed, gasLimit);
      assert.notEqual(r.account(created)?.exists, true);
    }
  });
}

// ---- CREATE2 (EIP-1014's examples) ----

const ZERO_ADDRESS = new Uint8Array(20);
const CREATE2_EXAMPLES: [string, Uint8Array, bigint, number, string][] = [
  // name, sender, salt, initcode size (memory is zero: init_code 0x00), result
  ['Example 0', ZERO_ADDRESS, 0n, 1, '0x4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38'],
  ['Example 1', hex('0xdeadbeef00000000000000000000000000000000'), 0n, 1, '0xb928f69bb1d91cd65274e3c79d8986362984fda3'],
  ['Example 2', hex('0xdeadbeef00000000000000000000000000000000'), 0xfeedn << 144n, 1,
    '0xd04116cdd17bebe565eb2422f2497e06cc1c9833'],
  ['Example 6 (empty init_code)', ZERO_ADDRESS, 0n, 0, '0xe33c0c7f7df4809055c3eba6c09cfe4baf1bd9e0'],
];
for (const [name, sender, salt, size, want] of CREATE2_EXAMPLES) {
  for (const fork of [Fork.Constantinople, Fork.Cancun]) {
    test(`CREATE2 EIP-1014 ${name} [${Fork[fork]}]`, async () => {
      const code = asm(push(salt), push(size), push(0), push(0), OP.CREATE2, ret());
      const r = await world(fork, [[sender, { code }]]);
      const result = r.call(sender);
      assert.equal(result.status, S.SUCCESS);
      assert.equal(toHex(result.output.subarray(12)), want);
      assert.equal(toHex(create2Address(sender, salt, new Uint8Array(size))), want);
      // EIP-1014: 32000 + 6 per initcode word ("32006" for one byte); + memory for the byte; + 2 per
      // word from EIP-3860. The initcode 0x00 stops at once and deploys nothing.
      const words = size === 0 ? 0 : 1;
      const gas = 12 + 32000 + 6 * words + memoryGas(words) + (fork >= Fork.Shanghai ? 2 * words : 0) +
        (words ? RET_GAS_EXPANDED : RET_GAS);
      assert.equal(result.gasUsed, BigInt(21000 + gas));
    });
  }
}

test('CREATE2 with the same salt and initcode twice collides the second time', async () => {
  const once = asm(push(0), push(1), push(0), push(0), OP.CREATE2);
  // First: 12 + 32000 + 6 + 2 + 3 (memory); second: 12 + 32008. Then 64000 left, 63000 lost.
  const gasLimit = BigInt(21000 + 32023 + 32020 + 64000);
  const out = await run(asm(once, once, ret()), { nonce: 1n, gasLimit });
  assert.equal(out.value, 0n);
  assert.equal(out.runner.account(CONTRACT)?.nonce, 3n);
  assert.equal(out.runner.account(create2Address(CONTRACT, 0n, Uint8Array.of(0)))?.nonce, 1n);
  assert.equal(out.gasUsed, gasLimit - 1000n + BigInt(RET_GAS_EXPANDED));
});

test('CREATE2 charges 6 per initcode word for hashing', async () => {
  // 65 bytes of initcode (zeros: STOP) = 3 words: 32000 + 18 + 6 (EIP-3860) + C_mem(3).
  const out = await run(asm(push(0), push(65), push(0), push(0), OP.CREATE2));
  assert.equal(out.gasUsed, BigInt(21000 + 12 + 32000 + 18 + 6 + memoryGas(3)));
});

// ---- SELFDESTRUCT ----

const SELFDESTRUCT_HEIR = asm(pushAddress(HEIR), OP.SELFDESTRUCT);

const SD_GAS: [Fork, bigint, boolean, number, number][] = [
  // fork, balance, heir exists, execution gas, refund
  [Fork.Frontier, 50n, false, 3 + 0, 24000],
  [Fork.Homestead, 50n, false, 3 + 0, 24000],
  // EIP-150: 5000, and 25000 whenever the beneficiary does not exist.
  [Fork.TangerineWhistle, 0n, false, 3 + 5000 + 25000, 24000],
  [Fork.TangerineWhistle, 50n, true, 3 + 5000, 24000],
  // EIP-161: 25000 only when value goes to a dead account.
  [Fork.SpuriousDragon, 0n, false, 3 + 5000, 24000],
  [Fork.SpuriousDragon, 50n, false, 3 + 5000 + 25000, 24000],
  [Fork.Istanbul, 50n, true, 3 + 5000, 24000],
  // EIP-2929: + 2600 for a cold beneficiary.
  [Fork.Berlin, 50n, true, 3 + 5000 + 2600, 24000],
  [Fork.Berlin, 50n, false, 3 + 5000 + 2600 + 25000, 24000],
  // EIP-3529: no refund.
  [Fork.London, 50n, true, 3 + 5000 + 2600, 0],
  [Fork.Cancun, 50n, false, 3 + 5000 + 2600 + 25000, 0],
];
for (const [fork, balance, heirExists, gas, refund] of SD_GAS) {
  test(`SELFDESTRUCT of ${balance} to ${heirExists ? 'an existing' : 'a missing'} account: ${gas} gas, refund ${refund} [${Fork[fork]}]`, async () => {
    const accounts: [Uint8Array, { balance: bigint }][] = heirExists ? [[HEIR, { balance: 1n }]] : [];
    const out = await run(SELFDESTRUCT_HEIR, { fork, balance, accounts });
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.gasUsed, BigInt(afterRefund(21000 + gas, refund, fork >= Fork.London ? 5 : 2)));
    const heirBalance = out.runner.account(HEIR)?.balance ?? 0n;
    assert.equal(heirBalance, balance + (heirExists ? 1n : 0n));
  });
}

for (const fork of [Fork.Shanghai, Fork.Cancun]) {
  test(`SELFDESTRUCT of a contract created earlier ${fork === Fork.Cancun ? 'only moves its balance (EIP-6780)' : 'deletes it'} [${Fork[fork]}]`, async () => {
    const out = await run(SELFDESTRUCT_HEIR, { fork, balance: 50n, storage: [[1n, 2n]] });
    const self = out.runner.account(CONTRACT);
    assert.equal(out.runner.account(HEIR)?.balance, 50n);
    if (fork === Fork.Cancun) {
      assert.equal(self?.exists, true);
      assert.equal(self?.balance, 0n);
      assert.equal(toHex(self?.code ?? new Uint8Array(0)), toHex(SELFDESTRUCT_HEIR));
      assert.equal(self?.storage.get(1n), 2n);
    } else {
      assert.notEqual(self?.exists, true);
    }
  });
}

for (const fork of [Fork.Shanghai, Fork.Cancun]) {
  test(`SELFDESTRUCT to itself ${fork === Fork.Cancun ? 'keeps' : 'burns'} the balance of a pre-existing contract [${Fork[fork]}]`, async () => {
    const out = await run(asm(OP.ADDRESS, OP.SELFDESTRUCT), { fork, balance: 50n });
    const self = out.runner.account(CONTRACT);
    if (fork === Fork.Cancun) assert.equal(self?.balance, 50n);
    else assert.notEqual(self?.exists, true);
  });
}

test('a contract created and destroyed in one transaction is gone [Cancun]', async () => {
  // initcode: PUSH20 HEIR SELFDESTRUCT (22 bytes) stored at memory 10..31, created with value 5.
  const initcode = SELFDESTRUCT_HEIR;
  const code = asm(push(toBigInt(initcode), 22), push(0), OP.MSTORE, push(22), push(10), push(5), OP.CREATE, ret());
  const out = await run(code, { balance: 5n, nonce: 1n });
  const created = createAddress(CONTRACT, 1n);
  assert.equal(toHex(out.output.subarray(12)), toHex(created));
  assert.notEqual(out.runner.account(created)?.exists, true);
  assert.equal(out.runner.account(HEIR)?.balance, 5n);
});

test('SELFDESTRUCT halts the frame: nothing after it runs', async () => {
  const out = await run(asm(SELFDESTRUCT_HEIR, push(1), push(0), OP.SSTORE), { storage: [[7n, 7n]] });
  assert.equal(out.storage.get(0n), undefined);
  assert.equal(out.output.length, 0);
});

// ---- RETURNDATASIZE, RETURNDATACOPY (EIP-211) ----

const P1 = 0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20n;
/** Returns 40 bytes: 0x01..0x20 then 0x21..0x28. */
const RETURNS_40 = asm(push(P1), push(0), OP.MSTORE, push(0x2122232425262728n << 192n), push(32), OP.MSTORE, push(40), push(0),
  OP.RETURN);

test('RETURNDATASIZE is 0 before any call and the output size after one', async () => {
  const code = asm(OP.RETURNDATASIZE, call(OP.CALL, OTHER), OP.POP, OP.RETURNDATASIZE, retN(2));
  const out = await run(code, { accounts: [[OTHER, { code: RETURNS_40 }]] });
  assert.deepEqual([wordAt(out.output, 0), wordAt(out.output, 1)], [40n, 0n]);
});

test('RETURNDATACOPY copies from the return data', async () => {
  const code = asm(call(OP.CALL, OTHER), OP.POP, push(32), push(8), push(0), OP.RETURNDATACOPY, push(32), push(0), OP.RETURN);
  const out = await run(code, { accounts: [[OTHER, { code: RETURNS_40 }]] });
  assert.equal(toHex(out.output), '0x' + Array.from({ length: 32 }, (_, i) => (i + 9).toString(16).padStart(2, '0')).join(''));
});

test('RETURNDATACOPY gas: 3 + 3 per word + memory', async () => {
  const body = asm(push(33), push(0), push(0), OP.RETURNDATACOPY);
  const withCall = asm(call(OP.CALL, OTHER, { gas: 100_000 }), OP.POP, body);
  const out = await run(withCall, { accounts: [[OTHER, { code: RETURNS_40 }]] });
  // Callee: 3 + 3 + (3 + 3), 3 + 3 + (3 + 3 for the second word), 3 + 3 = 30.
  // Caller: 21 + 2600, POP 2, then 9 + RETURNDATACOPY 3 + 3 * 2 words + C_mem(2).
  assert.equal(out.gasUsed, BigInt(21000 + 21 + 2600 + 30 + 2 + 9 + 3 + 6 + memoryGas(2)));
});

const OOB: [string, number, bigint, bigint, number][] = [
  // name, status, offset, size, data returned (40 or none)
  ['one byte past the end', S.RETURNDATA_OUT_OF_BOUNDS, 9n, 32n, 40],
  ['zero bytes at the end', S.SUCCESS, 40n, 0n, 40],
  ['zero bytes past the end', S.RETURNDATA_OUT_OF_BOUNDS, 41n, 0n, 40],
  ['zero bytes at 2^255', S.RETURNDATA_OUT_OF_BOUNDS, 1n << 255n, 0n, 40],
  ['a huge size', S.RETURNDATA_OUT_OF_BOUNDS, 0n, 1n << 64n, 40],
  ['zero bytes with no return data', S.SUCCESS, 0n, 0n, 0],
  ['one byte with no return data', S.RETURNDATA_OUT_OF_BOUNDS, 0n, 1n, 0],
];
for (const [name, status, offset, size, returned] of OOB) {
  test(`RETURNDATACOPY of ${name}`, async () => {
    const code = asm(returned ? asm(call(OP.CALL, OTHER), OP.POP) : [], push(size), push(offset), push(0), OP.RETURNDATACOPY);
    const out = await run(code, { gasLimit: 200_000n, accounts: [[OTHER, { code: RETURNS_40 }]] });
    assert.equal(out.status, status);
    if (status !== S.SUCCESS) assert.equal(out.gasUsed, 200_000n);
  });
}

test('return data is that of the last call: a revert\'s data, nothing after an exceptional halt or an EOA', async () => {
  // OTHER reverts with 3 bytes when given calldata, else halts with INVALID.
  const other = asm(OP.CALLDATASIZE, push(5), OP.JUMPI, OP.INVALID, OP.JUMPDEST, push(3), push(0), OP.REVERT);
  assert.equal(other[5], OP.JUMPDEST);
  const code = asm(
    call(OP.CALL, OTHER, { argsSize: 1 }), OP.POP, OP.RETURNDATASIZE, // 3
    call(OP.CALL, OTHER, { gas: 10_000 }), OP.POP, OP.RETURNDATASIZE, // 0 (exceptional)
    call(OP.CALL, OTHER, { argsSize: 1 }), OP.POP, call(OP.CALL, THIRD), OP.POP, OP.RETURNDATASIZE, // 0 (EOA)
    retN(3));
  const out = await run(code, { accounts: [[OTHER, { code: other }], [THIRD, { balance: 1n }]] });
  assert.deepEqual([0, 1, 2].map((i) => wordAt(out.output, i)), [0n, 0n, 3n]);
});

test('return data lives in the caller: the callee\'s own RETURNDATASIZE starts at 0', async () => {
  const probe = asm(OP.RETURNDATASIZE, ret());
  const code = asm(call(OP.CALL, OTHER), OP.POP, call(OP.CALL, THIRD, { retSize: 32 }), RETURN_OUTPUT);
  const out = await run(code, { accounts: [[OTHER, { code: RETURNS_40 }], [THIRD, { code: probe }]] });
  assert.equal(out.value, 0n);
});

test('a call writes at most retSize bytes of output and RETURNDATASIZE still has all of it', async () => {
  const code = asm(push(MAX), push(0), OP.MSTORE, call(OP.CALL, OTHER, { retSize: 4 }), OP.POP, OP.RETURNDATASIZE,
    push(0), OP.MLOAD, retN(2));
  const out = await run(code, { accounts: [[OTHER, { code: RETURNS_40 }]] });
  assert.equal(wordAt(out.output, 0), (0x01020304n << 224n) | (MAX >> 32n));
  assert.equal(wordAt(out.output, 1), 40n);
});

// ---- touched accounts (EIP-161), nonce limit (EIP-2681), refunds, precompile output ----

const EMPTY = address(0xe111);
for (const [fork, kept] of [[Fork.TangerineWhistle, true], [Fork.SpuriousDragon, false], [Fork.Cancun, false]] as const) {
  test(`a zero-value CALL to an existing empty account ${kept ? 'leaves' : 'deletes'} it [${Fork[fork]}]`, async () => {
    const out = await run(asm(call(OP.CALL, EMPTY, { gas: 0 }), ret()), { fork, accounts: [[EMPTY, {}]] });
    assert.equal(out.value, 1n);
    assert.equal(out.runner.account(EMPTY)?.exists === true, kept);
  });
}

test('BALANCE of an existing empty account does not touch it', async () => {
  const out = await run(asm(pushAddress(EMPTY), OP.BALANCE, ret()), { accounts: [[EMPTY, {}]] });
  assert.equal(out.runner.account(EMPTY)?.exists, true);
});

test('a touch in a reverted call is undone: the empty account survives', async () => {
  // OTHER calls EMPTY, then reverts.
  const other = asm(call(OP.CALL, EMPTY, { gas: 0 }), push(0), push(0), OP.REVERT);
  const out = await run(asm(call(OP.CALL, OTHER), ret()), { accounts: [[OTHER, { code: other }], [EMPTY, {}]] });
  assert.equal(out.value, 0n);
  assert.equal(out.runner.account(EMPTY)?.exists, true);
});

test('CREATE from an account at the maximum nonce pushes 0 and keeps the nonce (EIP-2681)', async () => {
  const max = (1n << 64n) - 1n;
  const out = await run(asm(CREATE_AA, ret()), { nonce: max });
  assert.equal(out.value, 0n);
  assert.equal(out.runner.account(CONTRACT)?.nonce, max);
  // The child's gas comes back: only the CREATE's own charges are spent.
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 9 + 9 + 32000 + 2 + RET_GAS_EXPANDED));
});

test('two SELFDESTRUCTs of one account earn one refund [Berlin]', async () => {
  // CONTRACT calls OTHER twice; OTHER self-destructs to HEIR (existing) each time.
  const code = asm(call(OP.CALL, OTHER), OP.POP, call(OP.CALL, OTHER), OP.POP);
  const out = await run(code, { fork: Fork.Berlin, accounts: [[OTHER, { code: SELFDESTRUCT_HEIR }], [HEIR, { balance: 1n }]] });
  // First call: 20 + 2600 cold + (3 + 5000 + 2600 cold heir); second: 20 + 100 + (3 + 5000, heir warm:
  // no surcharge at all); POPs 2 each.
  const used = 21000 + 20 + 2600 + 7603 + 2 + 20 + 100 + 5003 + 2;
  assert.equal(out.gasUsed, BigInt(afterRefund(used, 24000, 2)));
});

test('return data of a precompile call is its output', async () => {
  // Identity of 5 bytes of memory.
  const code = asm(call(OP.CALL, address(4, 0), { argsSize: 5 }), OP.POP, OP.RETURNDATASIZE, ret());
  const out = await run(code);
  assert.equal(out.value, 5n);
});

// ---- code under construction ----

test('during construction: CODESIZE is the initcode, EXTCODESIZE of itself 0, EXTCODEHASH the empty hash', async () => {
  // initcode: CODESIZE, ADDRESS EXTCODESIZE, ADDRESS EXTCODEHASH, SELFBALANCE stored in slots 0..3.
  const initcode = asm(OP.CODESIZE, push(0), OP.SSTORE, OP.ADDRESS, OP.EXTCODESIZE, push(1), OP.SSTORE,
    OP.ADDRESS, OP.EXTCODEHASH, push(2), OP.SSTORE, OP.SELFBALANCE, push(3), OP.SSTORE);
  const out = await run(asm(create(initcode, { value: 4 }), ret()), { balance: 4n, nonce: 1n });
  const child = out.runner.account(createAddress(CONTRACT, 1n));
  assert.equal(child?.storage.get(0n), BigInt(initcode.length));
  assert.equal(child?.storage.get(1n), undefined); // 0
  // The account exists with nonce 1 and no code yet: EIP-1052 gives the hash of empty code.
  assert.equal(child?.storage.get(2n), 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470n);
  assert.equal(child?.storage.get(3n), 4n);
});

test('initcode has its own jump destinations', async () => {
  // 0 PUSH1 4, 2 JUMP, 3 INVALID, 4 JUMPDEST, then deploy one byte; and a variant jumping into data.
  const good = asm(push(4), OP.JUMP, OP.INVALID, OP.JUMPDEST, push(0xaa), push(0), OP.MSTORE8, push(1), push(0), OP.RETURN);
  const bad = asm(push(4), OP.JUMP, push(0x5b), push(0xaa), push(0), OP.MSTORE8, push(1), push(0), OP.RETURN);
  const ok = await run(asm(create(good), ret()), { nonce: 1n });
  assert.notEqual(ok.value, 0n);
  const fails = await run(asm(create(bad), ret()), { nonce: 1n });
  assert.equal(fails.value, 0n);
});

test('a contract created in the transaction can be called in it', async () => {
  // Runtime: 0 PUSH1 4, 2 JUMP, 3 INVALID, 4 JUMPDEST, PUSH1 0x77 ret().
  const runtime = asm(push(4), OP.JUMP, OP.INVALID, OP.JUMPDEST, push(0x77), ret());
  const code = asm(create(deployer(runtime)), push(0), OP.MSTORE,
    push(32), push(0), push(0), push(0), push(0), push(0), OP.MLOAD, OP.GAS, OP.CALL, OP.POP, push(0), OP.MLOAD, ret());
  const out = await run(code, { nonce: 1n });
  assert.equal(out.value, 0x77n);
});

test('SELFBALANCE and BALANCE(ADDRESS) under DELEGATECALL are the caller\'s', async () => {
  const probe = asm(OP.SELFBALANCE, OP.ADDRESS, OP.BALANCE, retN(2));
  const code = asm(call(OP.DELEGATECALL, OTHER, { retSize: 64 }), OP.POP, push(64), push(0), OP.RETURN);
  const out = await run(code, { balance: 12n, accounts: [[OTHER, { code: probe, balance: 99n }]] });
  assert.deepEqual([wordAt(out.output, 0), wordAt(out.output, 1)], [12n, 12n]);
});

test('a CALL refused for lack of balance still expands memory for its output', async () => {
  const code = asm(call(OP.CALL, OTHER, { gas: 0, value: 1, retOffset: 0, retSize: 64 }), OP.POP, OP.MSIZE, ret());
  const out = await run(code, { accounts: [[OTHER, { code: GAS_PROBE }]] });
  assert.equal(out.value, 64n);
});
