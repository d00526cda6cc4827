// SLOAD and SSTORE (assembly/evm/instructions/storage.ts): gas and refunds under every metering
// scheme the forks used. The SSTORE table is the one EIP-2200 gives (17 two- and three-store
// sequences on slot 0 from original value 0 or 1), with gas and refunds per fork:
//   legacy (Frontier .. Byzantium, Petersburg): 20000 zero -> non-zero, else 5000; refund 15000 on
//     non-zero -> zero (Yellow Paper H.1, G_sset / G_sreset / R_sclear).
//   Constantinople, EIP-1283: the EIP-2200 table's numbers as printed (SLOAD_GAS 200, refunds 19800 / 4800).
//   Istanbul, EIP-2200: the same rules with SLOAD_GAS 800: dirty 800, refunds 19200 / 4200.
//   Berlin, EIP-2929: EIP-3529's first table (warm 100, reset 5000 - 2100, clear refund 15000)
//     plus 2100 for the first, cold, access.
//   London on, EIP-3529: EIP-3529's second table (clear refund 4800) plus 2100 cold; refunds capped at
//     gas used / 5 instead of / 2.
// "Used" is the execution gas of the code (pushes 3 each); the transaction adds 21000 and subtracts
// min(refund, total / quotient).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Fork, OP, OTHER, RET_GAS, S, afterRefund, asm, call, hex, push, refundQuotient, ret, run, toHex, world, CONTRACT,
} from '../helpers/evm.js';

type Cost = [used: number, refund: number];
interface SstoreRow {
  code: string;
  original: bigint;
  final: bigint;
  legacy: Cost;
  eip1283: Cost;
  eip2200: Cost;
  eip2929: Cost;
  eip3529: Cost;
}

// Derivations (two stores: 12 gas of pushes; three stores: 18):
//   legacy   e.g. 0 -> 1 -> 0: 20000 + 5000 (+15000 refund) + 12 = 25012
//   Istanbul e.g. 1 -> 0 -> 1: 5000 (+15000) + 800 (-15000 + 4200) + 12 = 5812, refund 4200
const rows: SstoreRow[] = [
  { code: '0x60006000556000600055', original: 0n, final: 0n, legacy: [10012, 0], eip1283: [412, 0], eip2200: [1612, 0], eip2929: [212, 0], eip3529: [212, 0] },
  { code: '0x60006000556001600055', original: 0n, final: 1n, legacy: [25012, 0], eip1283: [20212, 0], eip2200: [20812, 0], eip2929: [20112, 0], eip3529: [20112, 0] },
  { code: '0x60016000556000600055', original: 0n, final: 0n, legacy: [25012, 15000], eip1283: [20212, 19800], eip2200: [20812, 19200], eip2929: [20112, 19900], eip3529: [20112, 19900] },
  { code: '0x60016000556002600055', original: 0n, final: 2n, legacy: [25012, 0], eip1283: [20212, 0], eip2200: [20812, 0], eip2929: [20112, 0], eip3529: [20112, 0] },
  { code: '0x60016000556001600055', original: 0n, final: 1n, legacy: [25012, 0], eip1283: [20212, 0], eip2200: [20812, 0], eip2929: [20112, 0], eip3529: [20112, 0] },
  { code: '0x60006000556000600055', original: 1n, final: 0n, legacy: [10012, 15000], eip1283: [5212, 15000], eip2200: [5812, 15000], eip2929: [3012, 15000], eip3529: [3012, 4800] },
  { code: '0x60006000556001600055', original: 1n, final: 1n, legacy: [25012, 15000], eip1283: [5212, 4800], eip2200: [5812, 4200], eip2929: [3012, 2800], eip3529: [3012, 2800] },
  { code: '0x60006000556002600055', original: 1n, final: 2n, legacy: [25012, 15000], eip1283: [5212, 0], eip2200: [5812, 0], eip2929: [3012, 0], eip3529: [3012, 0] },
  { code: '0x60026000556000600055', original: 1n, final: 0n, legacy: [10012, 15000], eip1283: [5212, 15000], eip2200: [5812, 15000], eip2929: [3012, 15000], eip3529: [3012, 4800] },
  { code: '0x60026000556003600055', original: 1n, final: 3n, legacy: [10012, 0], eip1283: [5212, 0], eip2200: [5812, 0], eip2929: [3012, 0], eip3529: [3012, 0] },
  { code: '0x60026000556001600055', original: 1n, final: 1n, legacy: [10012, 0], eip1283: [5212, 4800], eip2200: [5812, 4200], eip2929: [3012, 2800], eip3529: [3012, 2800] },
  { code: '0x60026000556002600055', original: 1n, final: 2n, legacy: [10012, 0], eip1283: [5212, 0], eip2200: [5812, 0], eip2929: [3012, 0], eip3529: [3012, 0] },
  { code: '0x60016000556000600055', original: 1n, final: 0n, legacy: [10012, 15000], eip1283: [5212, 15000], eip2200: [5812, 15000], eip2929: [3012, 15000], eip3529: [3012, 4800] },
  { code: '0x60016000556002600055', original: 1n, final: 2n, legacy: [10012, 0], eip1283: [5212, 0], eip2200: [5812, 0], eip2929: [3012, 0], eip3529: [3012, 0] },
  { code: '0x60016000556001600055', original: 1n, final: 1n, legacy: [10012, 0], eip1283: [412, 0], eip2200: [1612, 0], eip2929: [212, 0], eip3529: [212, 0] },
  { code: '0x600160005560006000556001600055', original: 0n, final: 1n, legacy: [45018, 15000], eip1283: [40218, 19800], eip2200: [40818, 19200], eip2929: [40118, 19900], eip3529: [40118, 19900] },
  { code: '0x600060005560016000556000600055', original: 1n, final: 0n, legacy: [30018, 30000], eip1283: [10218, 19800], eip2200: [10818, 19200], eip2929: [5918, 17800], eip3529: [5918, 7600] },
];

/** Which column of the table a fork uses, and the cold-slot surcharge it adds. */
function scheme(fork: Fork, row: SstoreRow): { cost: Cost; cold: number } {
  if (fork >= Fork.London) return { cost: row.eip3529, cold: 2100 };
  if (fork >= Fork.Berlin) return { cost: row.eip2929, cold: 2100 };
  if (fork >= Fork.Istanbul) return { cost: row.eip2200, cold: 0 };
  if (fork === Fork.Constantinople) return { cost: row.eip1283, cold: 0 };
  return { cost: row.legacy, cold: 0 };
}

const SSTORE_FORKS = [Fork.Frontier, Fork.Byzantium, Fork.Constantinople, Fork.Petersburg, Fork.Istanbul, Fork.Berlin,
  Fork.London, Fork.Cancun];

rows.forEach((row, i) => {
  for (const fork of SSTORE_FORKS) {
    const { cost: [used, refund], cold } = scheme(fork, row);
    test(`SSTORE table row ${i + 1} ${row.code} from ${row.original} [${Fork[fork]}]: used ${used}, refund ${refund}`, async () => {
      const out = await run(hex(row.code), { fork, storage: [[0n, row.original]] });
      assert.equal(out.status, S.SUCCESS);
      assert.equal(out.storage.get(0n) ?? 0n, row.final);
      assert.equal(out.gasUsed, BigInt(afterRefund(21000 + cold + used, refund, refundQuotient(fork))));
    });
  }
});

test('the table codes are PUSH1 v PUSH1 0 SSTORE sequences', () => {
  // Guards the hex above against typos: row 17 is 0 -> 1 -> 0 on slot 0.
  const seq = asm(push(0), push(0), OP.SSTORE, push(1), push(0), OP.SSTORE, push(0), push(0), OP.SSTORE);
  assert.equal(toHex(seq), rows[16].code);
});

test('the refund cap binds: legacy 1 -> 0 -> 1 -> 0 refunds 30000 capped at half', async () => {
  // 21000 + 30018 = 51018 used; min(30000, 51018 / 2 = 25509) = 25509 comes back.
  const out = await run(hex(rows[16].code), { fork: Fork.Petersburg, storage: [[0n, 1n]] });
  assert.equal(out.gasUsed, 51018n - 25509n);
});

// SLOAD: 50 (Frontier), 200 (EIP-150), 800 (EIP-1884), cold 2100 / warm 100 (EIP-2929).
const SLOAD: [Fork, number, number][] = [
  [Fork.Frontier, 50, 50], [Fork.Homestead, 50, 50], [Fork.TangerineWhistle, 200, 200], [Fork.Byzantium, 200, 200],
  [Fork.Petersburg, 200, 200], [Fork.Istanbul, 800, 800], [Fork.Berlin, 2100, 100], [Fork.London, 2100, 100],
  [Fork.Cancun, 2100, 100],
];
for (const [fork, first, second] of SLOAD) {
  test(`SLOAD twice costs ${first} then ${second} [${Fork[fork]}]`, async () => {
    const out = await run(asm(push(5), OP.SLOAD, push(5), OP.SLOAD, OP.ADD, ret()), { fork, storage: [[5n, 21n]] });
    assert.equal(out.value, 42n);
    assert.equal(out.gasUsed, BigInt(21000 + 3 + first + 3 + second + 3 + RET_GAS));
  });
}

test('SLOAD of a slot never written is 0', async () => {
  const out = await run(asm(push(1n << 255n), OP.SLOAD, ret()), { storage: [[0n, 7n]] });
  assert.equal(out.value, 0n);
});

test('SSTORE after an SLOAD of the same slot pays no cold surcharge [Berlin+]', async () => {
  const out = await run(asm(push(0), OP.SLOAD, OP.POP, push(1), push(0), OP.SSTORE));
  // 3 + 2100 (cold SLOAD) + 2 + 3 + 3 + 20000 (set, warm).
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 2100 + 2 + 3 + 3 + 20000));
});

test('SLOAD after an SSTORE reads the new value and is warm', async () => {
  const out = await run(asm(push(9), push(3), OP.SSTORE, push(3), OP.SLOAD, ret()));
  assert.equal(out.value, 9n);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 2100 + 20000 + 3 + 100 + RET_GAS));
});

test('a slot warmed in one transaction is cold in the next; its original value is the committed one', async () => {
  const r = await world(Fork.Cancun, [[CONTRACT, { code: asm(push(0), OP.CALLDATALOAD, push(0), OP.SSTORE) }]]);
  const first = r.call(CONTRACT, { data: hex('0x' + '00'.repeat(31) + '01') });
  // calldata: 31 zero bytes at 4 and one non-zero at 16 = 140; code: 3 + 3 + 3 + (2100 + 20000).
  assert.equal(first.gasUsed, BigInt(21000 + 31 * 4 + 16 + 9 + 2100 + 20000));
  const second = r.call(CONTRACT, { data: hex('0x' + '00'.repeat(31) + '02') });
  // original 1 = current 1 != new 2: reset 5000 - 2100, cold again 2100.
  assert.equal(second.gasUsed, BigInt(21000 + 31 * 4 + 16 + 9 + 2100 + 2900));
  assert.equal(r.account(CONTRACT)?.storage.get(0n), 2n);
});

// EIP-2200's stipend guard: SSTORE fails with out of gas when gas left <= 2300, whatever it would cost.
// The code is PUSH1 0 PUSH1 0 SSTORE (a no-op store on an empty slot), so gas left at SSTORE is the
// gas limit - 21000 - 6.
const GUARD: [Fork, number, number, boolean][] = [
  // fork, gas left at SSTORE, its cost, success
  [Fork.Istanbul, 2300, 800, false],
  [Fork.Istanbul, 2301, 800, true],
  [Fork.Berlin, 2300, 2200, false],
  [Fork.Berlin, 2301, 2100 + 100, true],
  [Fork.Cancun, 2300, 2200, false],
  [Fork.Cancun, 2301, 2200, true],
  // EIP-1283 had no guard: a no-op store costs 200 with any gas.
  [Fork.Constantinople, 2300, 200, true],
  [Fork.Constantinople, 200, 200, true],
  [Fork.Constantinople, 199, 200, false],
  // Legacy: 5000 for a no-op store, no guard.
  [Fork.Petersburg, 5000, 5000, true],
  [Fork.Petersburg, 4999, 5000, false],
];
for (const [fork, left, cost, ok] of GUARD) {
  test(`SSTORE with ${left} gas left ${ok ? 'runs' : 'fails'} [${Fork[fork]}]`, async () => {
    const gasLimit = BigInt(21000 + 6 + left);
    const out = await run(asm(push(0), push(0), OP.SSTORE), { fork, gasLimit });
    assert.equal(out.status, ok ? S.SUCCESS : S.OUT_OF_GAS);
    assert.equal(out.gasUsed, ok ? BigInt(21000 + 6 + cost) : gasLimit);
  });
}

// The guard is what protects a CALL's 2300 stipend: the callee (OTHER) does a no-op SSTORE and
// the caller returns the CALL's success flag.
const STIPEND: [Fork, bigint][] = [
  [Fork.Petersburg, 0n], // 5000 > 2300
  [Fork.Constantinople, 1n], // 200 <= 2300, no guard
  [Fork.Istanbul, 0n], // guard
  [Fork.Cancun, 0n], // guard
];
for (const [fork, want] of STIPEND) {
  test(`SSTORE in a callee with only the 2300 stipend: CALL returns ${want} [${Fork[fork]}]`, async () => {
    const callee = asm(push(0), push(0), OP.SSTORE);
    const caller = asm(call(OP.CALL, OTHER, { gas: 0, value: 1 }), ret());
    const out = await run(caller, { fork, balance: 10n, accounts: [[OTHER, { code: callee }]] });
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.value, want);
  });
}

test('a reverted callee keeps neither its storage writes nor its refund [Cancun]', async () => {
  // OTHER clears its slot 0 (1 -> 0: 2100 cold + 2900, refund 4800) and reverts.
  const callee = asm(push(0), push(0), OP.SSTORE, push(0), push(0), OP.REVERT);
  const caller = call(OP.CALL, OTHER, { gas: 'all' });
  const r = await world(Fork.Cancun, [[CONTRACT, { code: caller }], [OTHER, { code: callee, storage: [[0n, 1n]] }]]);
  const result = r.call(CONTRACT);
  assert.equal(result.status, S.SUCCESS);
  assert.equal(r.account(OTHER)?.storage.get(0n), 1n);
  // Caller: 6 pushes 18 + GAS 2 + CALL 100 + 2500 cold. Callee: 3 + 3 + 5000 + 3 + 3. No refund.
  assert.equal(result.gasUsed, BigInt(21000 + 18 + 2 + 2600 + 5012));
});

test('SSTORE is refused in a static call and consumes the callee gas', async () => {
  const callee = asm(push(1), push(0), OP.SSTORE);
  const caller = asm(call(OP.STATICCALL, OTHER, { gas: 50_000 }), ret());
  const out = await run(caller, { accounts: [[OTHER, { code: callee }]] });
  assert.equal(out.value, 0n);
  // 5 pushes 15 + 3 (gas push) + 2600 cold STATICCALL + 50000 lost in the callee + ret.
  assert.equal(out.gasUsed, BigInt(21000 + 15 + 3 + 2600 + 50_000 + RET_GAS));
});
