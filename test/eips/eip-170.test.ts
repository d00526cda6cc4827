// EIP-170: from Spurious Dragon, deployed code may be at most 24576 bytes; a longer one fails the
// creation exceptionally. The initcode PUSH2 n PUSH1 0 RETURN deploys n zero bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, Fork, OP, RUNNER_SENDER, S, asm, create, createAddress, memoryGas, push, ret, run, world,
} from '../helpers/evm.js';

const MAX_CODE_SIZE = 24576;
const deploysZeros = (n: number) => asm(push(n, 2), push(0), OP.RETURN);

for (const [fork, size, ok] of [
  [Fork.SpuriousDragon, MAX_CODE_SIZE, true],
  [Fork.SpuriousDragon, MAX_CODE_SIZE + 1, false],
  [Fork.Cancun, MAX_CODE_SIZE, true],
  [Fork.Cancun, MAX_CODE_SIZE + 1, false],
  [Fork.Homestead, MAX_CODE_SIZE + 1, true],
] as const) {
  test(`a creation transaction deploying ${size} bytes ${ok ? 'succeeds' : 'fails'} [${Fork[fork]}]`, async () => {
    const r = await world(fork, []);
    const initcode = deploysZeros(size);
    const gasLimit = 10_000_000n;
    const result = r.call(undefined, { create: true, data: initcode, gasLimit });
    const created = createAddress(RUNNER_SENDER, 0n);
    if (ok) {
      assert.equal(result.status, S.SUCCESS);
      assert.equal(r.account(created)?.code.length, size);
      // Intrinsic: 21000 + 32000 + 68 a non-zero byte (16 from Istanbul) + 4 a zero byte + 2 per initcode
      // word (Shanghai on); execution 3 + 3 + C_mem; deposit 200 a byte.
      const zeros = initcode.filter((b) => b === 0).length;
      const nonZero = (initcode.length - zeros) * (fork >= Fork.Istanbul ? 16 : 68);
      const intrinsic = 21000 + 32000 + nonZero + 4 * zeros + (fork >= Fork.Shanghai ? 2 : 0);
      const words = Math.ceil(size / 32);
      assert.equal(result.gasUsed, BigInt(intrinsic + 6 + memoryGas(words) + 200 * size));
    } else {
      assert.equal(result.status, S.CODE_SIZE_EXCEEDED);
      assert.equal(result.gasUsed, gasLimit);
      assert.notEqual(r.account(created)?.exists, true);
    }
  });
}

test('CREATE of too large a code pushes 0 and the creator continues', async () => {
  const out = await run(asm(create(deploysZeros(MAX_CODE_SIZE + 1)), ret()), { nonce: 1n });
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.value, 0n);
  assert.notEqual(out.runner.account(createAddress(CONTRACT, 1n))?.exists, true);
  assert.equal(out.runner.account(CONTRACT)?.nonce, 2n);
});

test('CREATE2 of exactly the maximum code size deploys it', async () => {
  const out = await run(asm(create(deploysZeros(MAX_CODE_SIZE), { salt: 1n }), ret()), { nonce: 1n });
  assert.notEqual(out.value, 0n);
});
