// EIP-2929: the first access to an address costs 2600 (COLD_ACCOUNT_ACCESS_COST) and to a storage
// slot 2100 (COLD_SLOAD_COST); later ones 100 (WARM_STORAGE_READ_COST). The sender, the target and
// the precompiles start warm, EIP-2930 access lists warm more, a created address is warmed by
// CREATE before its checks, and a frame that fails gives back the warmth it acquired
// (execution-specs berlin: accessed_addresses is copied into the child and merged only on success).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, Fork, OP, OTHER, RET_GAS, S, address, asm, call, createAddress, push, pushAddress, ret, run, send, world,
  word,
} from '../helpers/evm.js';

const X = address(0x1111);

test('BALANCE of an address: 2600 the first time, 100 after', async () => {
  const out = await run(asm(pushAddress(X), OP.BALANCE, pushAddress(X), OP.BALANCE, OP.ADD, ret()));
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 2600 + 3 + 100 + 3 + RET_GAS));
});

test('storage slots are warm per (address, slot): the same key of another contract is cold', async () => {
  const code = asm(push(0), OP.SLOAD, OP.POP, call(OP.CALL, OTHER, { gas: 'all' }), ret());
  const out = await run(code, { accounts: [[OTHER, { code: asm(push(0), OP.SLOAD) }]] });
  // CONTRACT: 3 + 2100 + 2; CALL 20 + 2600; OTHER: 3 + 2100.
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 2100 + 2 + 20 + 2600 + 3 + 2100 + RET_GAS));
});

test('precompiles are warm: CALL to identity costs 100 + 15', async () => {
  const out = await run(asm(call(OP.CALL, address(4, 0), { gas: 'all' }), ret()));
  assert.equal(out.value, 1n);
  assert.equal(out.gasUsed, BigInt(21000 + 20 + 100 + 15 + RET_GAS));
});

test('precompiles were not special before Berlin: CALL to identity is 700 + 15 [Istanbul]', async () => {
  const out = await run(asm(call(OP.CALL, address(4, 0), { gas: 'all' }), ret()), { fork: Fork.Istanbul });
  assert.equal(out.gasUsed, BigInt(21000 + 20 + 700 + 15 + RET_GAS));
});

test('an access list warms addresses and slots (EIP-2930)', async () => {
  const code = asm(push(0), OP.SLOAD, pushAddress(X), OP.BALANCE, OP.ADD, push(1), OP.SLOAD, OP.ADD, ret());
  const r = await world(Fork.Berlin, [[CONTRACT, { code }]]);
  const result = send(r, { to: CONTRACT, type: 1, accessList: [
    { address: CONTRACT, storageKeys: [word(0)] }, { address: X, storageKeys: [] },
  ] });
  assert.equal(result.status, S.SUCCESS);
  // Intrinsic: 2 addresses * 2400 + 1 key * 1900. Slot 0 and X warm (100 each), slot 1 cold (2100).
  assert.equal(result.gasUsed, BigInt(21000 + 2 * 2400 + 1900 + 3 + 100 + 3 + 100 + 3 + 3 + 2100 + 3 + RET_GAS));
});

test('warmth acquired in a reverted frame is given back', async () => {
  const reverts = asm(pushAddress(X), OP.BALANCE, push(0), push(0), OP.REVERT);
  const code = asm(call(OP.CALL, OTHER, { gas: 'all' }), OP.POP, pushAddress(X), OP.BALANCE, ret());
  const out = await run(code, { accounts: [[OTHER, { code: reverts }]] });
  // OTHER: 3 + 2600 + 3 + 3; CONTRACT then pays 2600 again for X.
  assert.equal(out.gasUsed, BigInt(21000 + 20 + 2600 + 2609 + 2 + 3 + 2600 + RET_GAS));
});

test('warmth acquired in a successful frame is kept', async () => {
  const code = asm(call(OP.CALL, OTHER, { gas: 'all' }), OP.POP, pushAddress(X), OP.BALANCE, ret());
  const out = await run(code, { accounts: [[OTHER, { code: asm(pushAddress(X), OP.BALANCE) }]] });
  assert.equal(out.gasUsed, BigInt(21000 + 20 + 2600 + 2603 + 2 + 3 + 100 + RET_GAS));
});

test('CREATE warms the new address, even when the creation is refused for lack of balance', async () => {
  // CREATE with value 1 from a contract with no balance fails before running anything.
  const target = createAddress(CONTRACT, 1n);
  const code = asm(push(0), push(0), push(1), OP.CREATE, OP.POP, pushAddress(target), OP.BALANCE, ret());
  const out = await run(code, { nonce: 1n });
  // 9 + 32000 (0 words) + 2 + 3 + 100 (warm).
  assert.equal(out.gasUsed, BigInt(21000 + 9 + 32000 + 2 + 3 + 100 + RET_GAS));
});

for (const [name, op] of [['DELEGATECALL', OP.DELEGATECALL], ['CALLCODE', OP.CALLCODE], ['STATICCALL', OP.STATICCALL]] as const) {
  test(`${name} pays 2600 for a cold code address, 100 when warm`, async () => {
    const once = call(op, X, { gas: 0 });
    const pushes = op === OP.CALLCODE ? 21 : 18;
    const out = await run(asm(once, OP.POP, once, ret()));
    assert.equal(out.gasUsed, BigInt(21000 + pushes + 2600 + 2 + pushes + 100 + RET_GAS));
  });
}

test('EXTCODECOPY and EXTCODEHASH share the warm set with BALANCE', async () => {
  const code = asm(pushAddress(X), OP.EXTCODEHASH, OP.POP, push(0), push(0), push(0), pushAddress(X), OP.EXTCODECOPY,
    pushAddress(X), OP.EXTCODESIZE, ret());
  const out = await run(code);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 2600 + 2 + 12 + 100 + 3 + 100 + RET_GAS));
});

test('SSTORE to a cold slot adds 2100 to the EIP-2200 cost', async () => {
  const out = await run(asm(push(1), push(0), OP.SSTORE, push(2), push(0), OP.SSTORE), { storage: [[0n, 5n]] });
  // 5 -> 1: 2100 + (5000 - 2100); 1 -> 2: dirty, 100.
  assert.equal(out.gasUsed, BigInt(21000 + 6 + 2100 + 2900 + 6 + 100));
});
