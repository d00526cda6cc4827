// LOG0..LOG4 (assembly/evm/instructions/logging.ts): 375 + 375 per topic + 8 per data byte + memory
// expansion (Yellow Paper H.1: G_log, G_logtopic, G_logdata). LOGn pops offset, size, then topics
// 0..n-1; logs of a frame that fails are dropped, and logging in a static call is a state change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, OP, OTHER, LOG, S, asm, call, memoryGas, push, ret, run, toBigInt, toHex, world, Fork,
} from '../helpers/evm.js';

const DATA_WORD = 0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20n;
const topicsOf = (n: number) => Array.from({ length: n }, (_, i) => 0x70n + BigInt(i));

for (let n = 0; n <= 4; n++) {
  test(`LOG${n} records the address, ${n} topics in order and the data`, async () => {
    // Memory word 0 = DATA_WORD; log bytes 2..6 (size 5) with topics pushed last-first.
    const topics = topicsOf(n);
    const code = asm(push(DATA_WORD), push(0), OP.MSTORE, ...topics.slice().reverse().map((t) => push(t)), push(5), push(2),
      LOG(n));
    const out = await run(code);
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.result.logs.length, 1);
    const [log] = out.result.logs;
    assert.equal(toHex(log.address), toHex(CONTRACT));
    assert.deepEqual(log.topics.map(toBigInt), topics);
    assert.equal(toHex(log.data), '0x0304050607');
    // MSTORE setup 3 + 3 + 6; n + 2 pushes; LOG 375 + 375n + 8 * 5 (no expansion: inside word 0).
    assert.equal(out.gasUsed, BigInt(21000 + 12 + 3 * (n + 2) + 375 + 375 * n + 40));
  });
}

test('LOG0 expands memory and pays for it', async () => {
  const out = await run(asm(push(40), push(10), LOG(0)));
  assert.deepEqual(out.result.logs[0].data, new Uint8Array(40));
  assert.equal(out.gasUsed, BigInt(21000 + 6 + 375 + 8 * 40 + memoryGas(2)));
});

test('LOG0 of zero bytes at a huge offset does not expand memory', async () => {
  const out = await run(asm(push(0), push(1n << 255n), LOG(0)));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.result.logs[0].data.length, 0);
  assert.equal(out.gasUsed, BigInt(21000 + 6 + 375));
});

test('LOG0 of 2^32 bytes runs out of gas', async () => {
  const out = await run(asm(push(1n << 32n), push(0), LOG(0)), { gasLimit: 1_000_000n });
  assert.equal(out.status, S.OUT_OF_GAS);
  assert.equal(out.result.logs.length, 0);
  assert.equal(out.gasUsed, 1_000_000n);
});

test('LOG2 with three stack items underflows', async () => {
  const out = await run(asm(push(1), push(0), push(0), LOG(2)), { gasLimit: 50_000n });
  assert.equal(out.status, S.STACK_UNDERFLOW);
  assert.equal(out.result.logs.length, 0);
});

test('a reverting transaction keeps no logs', async () => {
  const out = await run(asm(push(0), push(0), LOG(0), push(0), push(0), OP.REVERT));
  assert.equal(out.status, S.REVERT);
  assert.equal(out.result.logs.length, 0);
});

test('an exceptional halt after logging keeps no logs', async () => {
  const out = await run(asm(push(0), push(0), LOG(0), OP.INVALID), { gasLimit: 50_000n });
  assert.equal(out.status, S.INVALID_OPCODE);
  assert.equal(out.result.logs.length, 0);
});

test('logs keep their order across frames; a reverted child\'s logs are dropped', async () => {
  // CONTRACT logs topic 1, calls OTHER (logs topic 2, succeeds), calls OTHER again with calldata
  // (logs topic 2, then reverts), logs topic 3.
  // 0 PUSH1 2, 2 PUSH1 0, 4 PUSH1 0, 6 LOG1, 7 CALLDATASIZE, 8 PUSH1 12, 10 JUMPI, 11 STOP, 12 JUMPDEST
  const callee = asm(push(2), push(0), push(0), LOG(1), OP.CALLDATASIZE, push(12), OP.JUMPI, OP.STOP, OP.JUMPDEST,
    push(0), push(0), OP.REVERT);
  const caller = asm(push(1), push(0), push(0), LOG(1), call(OP.CALL, OTHER), OP.POP,
    call(OP.CALL, OTHER, { argsSize: 1 }), OP.POP, push(3), push(0), push(0), LOG(1));
  const r = await world(Fork.Cancun, [[CONTRACT, { code: caller }], [OTHER, { code: callee }]]);
  const result = r.call(CONTRACT);
  assert.equal(result.status, S.SUCCESS);
  assert.deepEqual(result.logs.map((l) => [toHex(l.address), toBigInt(l.topics[0])]), [
    [toHex(CONTRACT), 1n], [toHex(OTHER), 2n], [toHex(CONTRACT), 3n],
  ]);
});

test('LOG in a static call is a state change: the call fails', async () => {
  const callee = asm(push(0), push(0), LOG(0));
  const out = await run(asm(call(OP.STATICCALL, OTHER, { gas: 10_000 }), ret()), { accounts: [[OTHER, { code: callee }]] });
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.value, 0n);
  assert.equal(out.result.logs.length, 0);
});

test('LOG in a call made from a static call fails too', async () => {
  // CONTRACT STATICCALLs OTHER, which CALLs (without value) THIRD, which logs: THIRD fails, OTHER
  // returns THIRD's result (0) successfully.
  const THIRD = Uint8Array.from(OTHER).fill(0x33, 0, 1);
  const third = asm(push(0), push(0), LOG(0));
  const other = asm(call(OP.CALL, THIRD), ret());
  const out = await run(asm(call(OP.STATICCALL, OTHER, { retSize: 32 }), push(0), OP.MLOAD, OP.ADD, ret()), {
    accounts: [[OTHER, { code: other }], [THIRD, { code: third }]],
  });
  // STATICCALL succeeded (1) + OTHER's output (0).
  assert.equal(out.value, 1n);
  assert.equal(out.result.logs.length, 0);
});
