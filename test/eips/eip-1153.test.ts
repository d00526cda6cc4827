// EIP-1153 transient storage: TLOAD and TSTORE at 100 gas each, per contract like storage, reverted
// with the frame, discarded at the end of the transaction, owned by the caller under DELEGATECALL and
// CALLCODE, and TSTORE forbidden in a static context (execution-specs cancun/vm/instructions/storage.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, Fork, OP, OTHER, RET_GAS, S, asm, byCalldataSize, call, push, ret, run, toBigInt, world,
} from '../helpers/evm.js';

test('TSTORE then TLOAD returns the value; each costs 100', async () => {
  const out = await run(asm(push(42), push(7), OP.TSTORE, push(7), OP.TLOAD, ret()));
  assert.equal(out.value, 42n);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 100 + 3 + 100 + RET_GAS));
});

test('TLOAD of a key never written is 0', async () => {
  const out = await run(asm(push(1n << 255n), OP.TLOAD, ret()));
  assert.equal(out.value, 0n);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 100 + RET_GAS));
});

test('TSTORE costs 100 whatever the old and new values (no refunds)', async () => {
  const out = await run(asm(push(1), push(0), OP.TSTORE, push(0), push(0), OP.TSTORE, push(0), push(0), OP.TSTORE));
  assert.equal(out.gasUsed, BigInt(21000 + 3 * (6 + 100)));
});

test('transient storage is not persistent storage', async () => {
  const out = await run(asm(push(5), push(0), OP.TSTORE, push(0), OP.SLOAD, ret()), { storage: [[0n, 9n]] });
  assert.equal(out.value, 9n);
  assert.equal(out.storage.get(0n), 9n);
});

test('transient storage is discarded at the end of the transaction', async () => {
  const code = byCalldataSize(asm(push(42), push(0), OP.TSTORE), asm(push(0), OP.TLOAD, ret()));
  const r = await world(Fork.Cancun, [[CONTRACT, { code }]]);
  r.call(CONTRACT);
  const second = r.call(CONTRACT, { data: Uint8Array.of(1) });
  assert.equal(toBigInt(second.output), 0n);
});

test('a re-entered contract sees its own transient storage', async () => {
  const outer = asm(push(42), push(0), OP.TSTORE, call(OP.CALL, CONTRACT, { argsSize: 1, retSize: 32 }), OP.POP,
    push(0), OP.MLOAD, ret());
  const code = byCalldataSize(outer, asm(push(0), OP.TLOAD, ret()));
  const out = await run(code);
  assert.equal(out.value, 42n);
});

test('transient storage is private to each contract', async () => {
  const code = asm(push(42), push(0), OP.TSTORE, call(OP.CALL, OTHER, { retSize: 32 }), OP.POP, push(0), OP.MLOAD, ret());
  const out = await run(code, { accounts: [[OTHER, { code: asm(push(0), OP.TLOAD, ret()) }]] });
  assert.equal(out.value, 0n);
});

for (const [name, op] of [['DELEGATECALL', OP.DELEGATECALL], ['CALLCODE', OP.CALLCODE]] as const) {
  test(`under ${name} the caller owns the transient storage`, async () => {
    // OTHER's code writes 42 to key 0; run in CONTRACT's context it writes CONTRACT's key 0.
    const code = asm(call(op, OTHER), OP.POP, push(0), OP.TLOAD, ret());
    const out = await run(code, { accounts: [[OTHER, { code: asm(push(42), push(0), OP.TSTORE) }]] });
    assert.equal(out.value, 42n);
  });
}

// The outer frame (no calldata) sets key 0 to 1 and calls itself with 1 byte; that frame sets key 0
// to 2, calls itself with 2 bytes (which sets key 1 to 3 and succeeds), then ends as the row says.
// The outer frame returns [key 1, key 0].
const ENDINGS: [string, Uint8Array, bigint, bigint][] = [
  ['succeeds', asm(OP.STOP), 3n, 2n],
  ['reverts', asm(push(0), push(0), OP.REVERT), 0n, 1n],
  ['halts exceptionally', asm(OP.INVALID), 0n, 1n],
];
for (const [name, ending, key1, key0] of ENDINGS) {
  test(`writes of a frame that ${name}, inner calls' writes included, are ${name === 'succeeds' ? 'kept' : 'undone'}`, async () => {
    const outer = asm(push(1), push(0), OP.TSTORE, call(OP.CALL, CONTRACT, { argsSize: 1, gas: 100_000 }), OP.POP,
      push(0), OP.TLOAD, push(1), OP.TLOAD, push(0), OP.MSTORE, push(32), OP.MSTORE, push(64), push(0), OP.RETURN);
    const inner = asm(push(2), push(0), OP.TSTORE, call(OP.CALL, CONTRACT, { argsSize: 2 }), OP.POP, ending);
    const innermost = asm(push(3), push(1), OP.TSTORE);
    const out = await run(byCalldataSize(outer, inner, innermost));
    assert.equal(out.status, S.SUCCESS);
    assert.equal(toBigInt(out.output.subarray(0, 32)), key1);
    assert.equal(toBigInt(out.output.subarray(32)), key0);
  });
}

test('a successful inner frame keeps its writes', async () => {
  const outer = asm(call(OP.CALL, CONTRACT, { argsSize: 1 }), OP.POP, push(0), OP.TLOAD, ret());
  const out = await run(byCalldataSize(outer, asm(push(5), push(0), OP.TSTORE)));
  assert.equal(out.value, 5n);
});

test('TLOAD is allowed in a static context, TSTORE is not', async () => {
  const reader = asm(push(0), OP.TLOAD, ret());
  const load = await run(asm(call(OP.STATICCALL, OTHER, { retSize: 32 }), push(0), OP.MLOAD, OP.ADD, ret()), {
    accounts: [[OTHER, { code: reader }]],
  });
  assert.equal(load.value, 1n); // success flag 1 + TLOAD 0
  const store = await run(asm(call(OP.STATICCALL, OTHER), ret()), { accounts: [[OTHER, { code: asm(push(1), push(0), OP.TSTORE) }]] });
  assert.equal(store.value, 0n);
});

test('TLOAD and TSTORE are undefined before Cancun', async () => {
  for (const op of [OP.TLOAD, OP.TSTORE]) {
    const out = await run(asm(push(0), push(0), op), { fork: Fork.Shanghai, gasLimit: 50_000n });
    assert.equal(out.status, S.INVALID_OPCODE);
  }
});
