// EIP-3529: no SELFDESTRUCT refund, SSTORE_CLEARS_SCHEDULE 4800 (was 15000), refunds capped at
// gas used / 5 (was / 2). Rows from the EIP's tables ("With reduced refunds"), which assume warm
// slots: the runs here add 2100 for the first, cold, access of slot 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fork, OP, S, address, afterRefund, asm, hex, push, pushAddress, run } from '../helpers/evm.js';

const ROWS: [string, bigint, Fork, number, number, number][] = [
  // code, original, fork, used (EIP table), refund (EIP table), quotient
  ['0x60006000556000600055', 1n, Fork.London, 3012, 4800, 5],
  ['0x60006000556000600055', 1n, Fork.Berlin, 3012, 15000, 2],
  ['0x60016000556000600055', 0n, Fork.London, 20112, 19900, 5],
  ['0x600060005560016000556000600055', 1n, Fork.London, 5918, 7600, 5],
  ['0x600060005560016000556000600055', 1n, Fork.Berlin, 5918, 17800, 2],
  ['0x60026000556001600055', 1n, Fork.London, 3012, 2800, 5],
];
for (const [code, original, fork, used, refund, quotient] of ROWS) {
  test(`${code} from ${original}: used ${used}, refund ${refund}, capped at 1/${quotient} [${Fork[fork]}]`, async () => {
    const out = await run(hex(code), { fork, storage: [[0n, original]] });
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.gasUsed, BigInt(afterRefund(21000 + 2100 + used, refund, quotient as 2 | 5)));
  });
}

test('the cap binds at 1/5: 1 -> 0 -> 1 -> 0 [London]', async () => {
  // 21000 + 2100 + 5918 = 29018; 29018 / 5 = 5803 < 7600.
  const out = await run(hex('0x600060005560016000556000600055'), { fork: Fork.London, storage: [[0n, 1n]] });
  assert.equal(out.gasUsed, 29018n - 5803n);
});

test('the refund is kept whole under the cap: 0 -> 1 -> 0 [London]', async () => {
  // 21000 + 2100 + 20112 = 43212; / 5 = 8642 < 19900: capped, effective 34570.
  const out = await run(hex('0x60016000556000600055'), { fork: Fork.London });
  assert.equal(out.gasUsed, 43212n - 8642n);
});

test('SELFDESTRUCT has no refund from London', async () => {
  const heir = address(0x4e1);
  for (const [fork, want] of [[Fork.Berlin, afterRefund(21000 + 3 + 5000 + 2600, 24000, 2)],
    [Fork.London, 21000 + 3 + 5000 + 2600]] as const) {
    const out = await run(asm(pushAddress(heir), OP.SELFDESTRUCT), { fork, accounts: [[heir, { balance: 1n }]] });
    assert.equal(out.gasUsed, BigInt(want), Fork[fork]);
  }
});

test('refunds are not paid to a reverting transaction', async () => {
  const out = await run(asm(push(0), push(0), OP.SSTORE, push(0), push(0), OP.REVERT), { storage: [[0n, 1n]] });
  assert.equal(out.status, S.REVERT);
  assert.equal(out.gasUsed, BigInt(21000 + 6 + 5000 + 6));
});
