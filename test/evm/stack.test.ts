// POP, PUSH0..PUSH32, DUP1..DUP16, SWAP1..SWAP16 (assembly/evm/instructions/stack.ts) and the stack
// limits the interpreter's step checks enforce: at most 1024 items (Yellow Paper 9.4.2), underflow on
// too few. PUSHn, DUPn and SWAPn cost 3 gas, POP 2 and PUSH0 2 (EIP-3855).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DUP, Fork, OP, OTHER, PUSH, RET_GAS, S, SWAP, asm, call, push, ret, retN, run, wordAt,
} from '../helpers/evm.js';

/** retN(2)'s gas from empty memory: 3 + (3 + 3) + 3 + (3 + 3) + 3 + 3 + 0. */
const RET2_GAS = 24;

test('PUSH0 pushes 0 for 2 gas', async () => {
  const out = await run(asm(push(5), OP.PUSH0, ret()));
  assert.equal(out.value, 0n);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 2 + RET_GAS));
});

for (let n = 1; n <= 32; n++) {
  test(`PUSH${n} reads ${n} immediate bytes big-endian`, async () => {
    const immediate = Array.from({ length: n }, (_, i) => 0xa0 + i);
    const want = BigInt('0x' + immediate.map((b) => b.toString(16)).join(''));
    // The bytes after the immediate must execute as code: a PUSH that read too few or too many would
    // run into the immediate or skip the MSTORE.
    const out = await run(asm(PUSH(n), immediate, ret()));
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.value, want);
    assert.equal(out.gasUsed, BigInt(21000 + 3 + RET_GAS));
  });
}

// A PUSH whose immediate runs past the end of the code reads zeros for the missing bytes (Yellow
// Paper 9.4: code beyond its end reads as STOP = 0x00) and the frame then stops. The pushed value
// itself cannot be observed (nothing runs after it), so these check the halt, the gas and that the
// truncated immediate is still immediate data.
for (const given of [0, 1, 31]) {
  test(`PUSH32 truncated by the end of code after ${given} bytes stops successfully`, async () => {
    const out = await run(asm(push(1), OP.POP, OP.PUSH32, Array.from({ length: given }, () => 0xff)));
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.output.length, 0);
    assert.equal(out.gasUsed, BigInt(21000 + 3 + 2 + 3));
  });
}

test('a JUMPDEST byte inside a truncated PUSH32 is not a jump destination', async () => {
  // 0: PUSH1 4, 2: JUMP, 3: PUSH32 with immediate [0x5b] cut by the end of code.
  const out = await run(asm(push(4), OP.JUMP, OP.PUSH32, OP.JUMPDEST), { gasLimit: 50_000n });
  assert.equal(out.status, S.BAD_JUMP);
  assert.equal(out.gasUsed, 50_000n);
});

test('PUSH2 truncated after one byte, followed by nothing, stops', async () => {
  const out = await run(asm(OP.PUSH2, 0x01));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.gasUsed, 21003n);
});

test('POP removes the top for 2 gas', async () => {
  const out = await run(asm(push(1), push(2), OP.POP, ret()));
  assert.equal(out.value, 1n);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 2 + RET_GAS));
});

test('POP on an empty stack underflows', async () => {
  const out = await run(asm(OP.POP), { gasLimit: 30_000n });
  assert.equal(out.status, S.STACK_UNDERFLOW);
  assert.equal(out.gasUsed, 30_000n);
});

/** PUSH1 1 .. PUSH1 count: item i from the top (1-based) is count + 1 - i. */
const ladder = (count: number) => asm(...Array.from({ length: count }, (_, i) => push(i + 1)));

for (let n = 1; n <= 16; n++) {
  test(`DUP${n} copies the ${n}-th item`, async () => {
    const out = await run(asm(ladder(16), DUP(n), ret()));
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.value, BigInt(17 - n));
    assert.equal(out.gasUsed, BigInt(21000 + 16 * 3 + 3 + RET_GAS));
  });
  test(`DUP${n} with ${n - 1} items underflows`, async () => {
    const out = await run(asm(ladder(n - 1), DUP(n)), { gasLimit: 40_000n });
    assert.equal(out.status, S.STACK_UNDERFLOW);
    assert.equal(out.gasUsed, 40_000n);
  });
  test(`SWAP${n} exchanges the top with the ${n + 1}-th item`, async () => {
    // After SWAPn the old top (17) sits at depth n + 1; DUP(n+1) brings it back up.
    const out = await run(asm(ladder(17), SWAP(n), DUP(n + 1 > 16 ? 16 : n + 1), retN(2)));
    assert.equal(out.status, S.SUCCESS);
    if (n < 16) {
      assert.equal(wordAt(out.output, 0), 17n);
    } else {
      // DUP16 after SWAP16 reads the item below the swapped one: 17 - 15 = 2 is at depth 16.
      assert.equal(wordAt(out.output, 0), 2n);
    }
    assert.equal(wordAt(out.output, 1), BigInt(17 - n));
    assert.equal(out.gasUsed, BigInt(21000 + 17 * 3 + 3 + 3 + RET2_GAS));
  });
  test(`SWAP${n} with ${n} items underflows`, async () => {
    const out = await run(asm(ladder(n), SWAP(n)), { gasLimit: 40_000n });
    assert.equal(out.status, S.STACK_UNDERFLOW);
    assert.equal(out.gasUsed, 40_000n);
  });
}

test('SWAP16 moves the top to depth 17', async () => {
  // ladder(17): 17 on top, 1 at depth 17. After SWAP16 the top is 1; POP x16 leaves 17 on top.
  const out = await run(asm(ladder(17), SWAP(16), ...Array.from({ length: 16 }, () => OP.POP), ret()));
  assert.equal(out.value, 17n);
});

const pushes = (count: number) => asm(...Array.from({ length: count }, () => push(0)));

test('1024 items fit on the stack', async () => {
  const out = await run(pushes(1024));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.gasUsed, BigInt(21000 + 1024 * 3));
});

test('the 1025th push overflows', async () => {
  const out = await run(pushes(1025), { gasLimit: 100_000n });
  assert.equal(out.status, S.STACK_OVERFLOW);
  assert.equal(out.gasUsed, 100_000n);
});

test('PUSH0 at 1024 items overflows', async () => {
  const out = await run(asm(pushes(1024), OP.PUSH0), { gasLimit: 100_000n });
  assert.equal(out.status, S.STACK_OVERFLOW);
});

test('DUP1 at 1023 items fits, at 1024 overflows', async () => {
  const fits = await run(asm(pushes(1023), DUP(1)));
  assert.equal(fits.status, S.SUCCESS);
  assert.equal(fits.gasUsed, BigInt(21000 + 1024 * 3));
  const over = await run(asm(pushes(1024), DUP(1)), { gasLimit: 100_000n });
  assert.equal(over.status, S.STACK_OVERFLOW);
});

test('SWAP16 and DUP16 at 1024 items: a swap does not grow the stack', async () => {
  const out = await run(asm(pushes(1024), SWAP(16), OP.POP, DUP(16)));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.gasUsed, BigInt(21000 + 1024 * 3 + 3 + 2 + 3));
});

test('the limit is per frame: a callee gets a full stack of 1024', async () => {
  // The caller holds 1000 items, then calls OTHER, which pushes 1024 and stops. CALL pops 7 and
  // pushes 1: 994 + 1 items are left; the call's result (1) is returned.
  const callee = pushes(1024);
  const caller = asm(pushes(1000), call(OP.CALL, OTHER, { gas: 'all' }), ret());
  const out = await run(caller, { accounts: [[OTHER, { code: callee }]] });
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.value, 1n);
});

test('a callee that pushes 1025 items fails; the caller continues', async () => {
  const out = await run(asm(call(OP.CALL, OTHER, { gas: 'all' }), ret()), { accounts: [[OTHER, { code: pushes(1025) }]] });
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.value, 0n);
});

test('PUSH0 exists from Shanghai', async () => {
  const out = await run(asm(OP.PUSH0, ret()), { fork: Fork.Shanghai });
  assert.equal(out.status, S.SUCCESS);
});
