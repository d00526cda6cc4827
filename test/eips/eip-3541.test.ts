// EIP-3541: from London, new code starting with 0xEF is rejected, by a creation transaction, CREATE
// or CREATE2: an exceptional halt of the creation (all its gas is lost). The five initcodes are the
// EIP's test cases: they return 1, 2, 3 and 32 bytes starting with 0xEF, and one starting with 0xFE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, Fork, OP, RUNNER_SENDER, S, asm, create, createAddress, hex, ret, run, toHex, world,
} from '../helpers/evm.js';

const CASES: [string, string, boolean][] = [
  ['0x60ef60005360016000f3', '0xef', false],
  ['0x60ef60005360026000f3', '0xef00', false],
  ['0x60ef60005360036000f3', '0xef0000', false],
  ['0x60ef60005360206000f3', '0xef' + '00'.repeat(31), false],
  ['0x60fe60005360016000f3', '0xfe', true],
];

for (const [initcode, deployed, ok] of CASES) {
  test(`a creation transaction with ${initcode} ${ok ? 'deploys' : 'is rejected'} [London]`, async () => {
    const r = await world(Fork.London, []);
    const gasLimit = 200_000n;
    const result = r.call(undefined, { create: true, data: hex(initcode), gasLimit });
    const created = createAddress(RUNNER_SENDER, 0n);
    if (ok) {
      assert.equal(result.status, S.SUCCESS);
      assert.equal(toHex(r.account(created)?.code ?? new Uint8Array(0)), deployed);
    } else {
      assert.equal(result.status, S.INVALID_CODE_PREFIX);
      assert.equal(result.gasUsed, gasLimit);
      assert.notEqual(r.account(created)?.exists, true);
    }
  });

  for (const op of [OP.CREATE, OP.CREATE2]) {
    test(`${op === OP.CREATE ? 'CREATE' : 'CREATE2'} with ${initcode} ${ok ? 'deploys' : 'pushes 0'} [London]`, async () => {
      const out = await run(asm(create(hex(initcode), op === OP.CREATE2 ? { salt: 0n } : {}), ret()), {
        fork: Fork.London, nonce: 1n,
      });
      assert.equal(out.status, S.SUCCESS);
      if (ok) assert.notEqual(out.value, 0n);
      else assert.equal(out.value, 0n);
    });
  }

  test(`before London ${initcode} deploys [Berlin]`, async () => {
    const out = await run(asm(create(hex(initcode)), ret()), { fork: Fork.Berlin, nonce: 1n });
    const created = createAddress(CONTRACT, 1n);
    assert.equal(toHex(out.output.subarray(12)), toHex(created));
    assert.equal(toHex(out.runner.account(created)?.code ?? new Uint8Array(0)), deployed);
  });
}

test('a rejected CREATE consumes the gas it passed on', async () => {
  // The creator keeps 1/64 of what is left after CREATE's charges; the rest is lost with the child.
  const code = asm(create(hex('0x60ef60005360016000f3')), ret());
  // mstoreBytes: PUSH32 3 + PUSH1 3 + MSTORE 6; 3 pushes; CREATE 32000 + 2 (one word, EIP-3860 from
  // Shanghai: not at London). 64000 left, 1000 kept.
  const before = 12 + 9 + 32000;
  const gasLimit = BigInt(21000 + before + 64000);
  const out = await run(code, { fork: Fork.London, nonce: 1n, gasLimit });
  assert.equal(out.value, 0n);
  assert.equal(out.gasUsed, gasLimit - 1000n + 12n);
});
