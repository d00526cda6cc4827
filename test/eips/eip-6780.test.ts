// EIP-6780: SELFDESTRUCT deletes the account (code, storage, nonce, balance) only when it runs in the
// transaction that created the contract; otherwise it only sends the whole balance to the
// beneficiary (execution-specs cancun/vm/instructions/system.py selfdestruct). Sending to itself
// burns the balance in the first case and changes nothing in the second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, Fork, OP, OTHER, S, address, asm, call, create, createAddress, deployer, push, pushAddress, ret, run, toHex,
  world,
} from '../helpers/evm.js';

const HEIR = address(0x4e1);
const DESTRUCT = asm(pushAddress(HEIR), OP.SELFDESTRUCT);

test('created and destroyed by its initcode in one transaction: deleted', async () => {
  // The initcode writes a slot, then self-destructs; CONTRACT (nonce 1) creates it with 5 wei.
  const initcode = asm(push(1), push(0), OP.SSTORE, DESTRUCT);
  const out = await run(asm(create(initcode, { value: 5 }), ret()), { balance: 5n, nonce: 1n });
  const child = createAddress(CONTRACT, 1n);
  assert.equal(toHex(out.output.subarray(12)), toHex(child));
  assert.notEqual(out.runner.account(child)?.exists, true);
  assert.equal(out.runner.account(HEIR)?.balance, 5n);
});

test('created in a transaction and destroyed later in it by a call: deleted', async () => {
  // CONTRACT creates a child whose runtime self-destructs, then calls it.
  const code = asm(create(deployer(DESTRUCT), { value: 7 }), push(0), OP.MSTORE,
    push(0), push(0), push(0), push(0), push(0), push(0), OP.MLOAD, OP.GAS, OP.CALL, ret());
  const out = await run(code, { balance: 7n, nonce: 1n });
  assert.equal(out.value, 1n);
  const child = createAddress(CONTRACT, 1n);
  assert.notEqual(out.runner.account(child)?.exists, true);
  assert.equal(out.runner.account(HEIR)?.balance, 7n);
});

test('created in one transaction, destroyed in the next: only the balance moves', async () => {
  const code = asm(create(deployer(DESTRUCT), { value: 7 }), ret());
  const r = await world(Fork.Cancun, [[CONTRACT, { code, balance: 7n, nonce: 1n }]]);
  const child = createAddress(CONTRACT, 1n);
  r.call(CONTRACT);
  const second = r.call(child);
  assert.equal(second.status, S.SUCCESS);
  const account = r.account(child);
  assert.equal(account?.exists, true);
  assert.equal(toHex(account?.code ?? new Uint8Array(0)), toHex(DESTRUCT));
  assert.equal(account?.nonce, 1n);
  assert.equal(account?.balance, 0n);
  assert.equal(r.account(HEIR)?.balance, 7n);
});

test('a pre-existing contract keeps code, storage and nonce; its balance goes to the beneficiary', async () => {
  const out = await run(DESTRUCT, { balance: 50n, nonce: 3n, storage: [[1n, 2n]] });
  const self = out.runner.account(CONTRACT);
  assert.equal(self?.exists, true);
  assert.equal(self?.balance, 0n);
  assert.equal(self?.nonce, 3n);
  assert.equal(self?.storage.get(1n), 2n);
  assert.equal(toHex(self?.code ?? new Uint8Array(0)), toHex(DESTRUCT));
  assert.equal(out.runner.account(HEIR)?.balance, 50n);
});

test('a pre-existing contract that names itself keeps its balance', async () => {
  const out = await run(asm(OP.ADDRESS, OP.SELFDESTRUCT), { balance: 50n });
  assert.equal(out.runner.account(CONTRACT)?.balance, 50n);
});

test('a contract created in the transaction that names itself burns its balance', async () => {
  const out = await run(asm(create(asm(OP.ADDRESS, OP.SELFDESTRUCT), { value: 9 }), ret()), { balance: 9n, nonce: 1n });
  const child = createAddress(CONTRACT, 1n);
  assert.notEqual(out.runner.account(child)?.exists, true);
  assert.equal(out.runner.account(CONTRACT)?.balance, 0n);
});

test('a self-destructed pre-existing contract still runs when called again in the transaction', async () => {
  // OTHER self-destructs; CONTRACT calls it twice and then reads its code size.
  const code = asm(call(OP.CALL, OTHER), call(OP.CALL, OTHER), OP.ADD, pushAddress(OTHER), OP.EXTCODESIZE, OP.ADD, ret());
  const out = await run(code, { accounts: [[OTHER, { code: DESTRUCT, balance: 3n }]] });
  assert.equal(out.value, 2n + BigInt(DESTRUCT.length));
  assert.equal(out.runner.account(OTHER)?.exists, true);
});

test('before Cancun a pre-existing contract is deleted [Shanghai]', async () => {
  const out = await run(DESTRUCT, { fork: Fork.Shanghai, balance: 50n, storage: [[1n, 2n]] });
  assert.notEqual(out.runner.account(CONTRACT)?.exists, true);
  assert.equal(out.runner.account(HEIR)?.balance, 50n);
});
