// BLOCKHASH .. BLOBBASEFEE (assembly/evm/instructions/block.ts): the block environment the runner
// writes (src/core/code-runner.ts: coinbase 0xc0…, number 1000, timestamp 10^9, gas limit 2^62, base
// fee 7, prevRandao 0x1234, blob base fee 1, chain id 1). BLOCKHASH 20 gas, BLOBHASH 3, SELFBALANCE 5,
// the others 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, Fork, OP, RET_GAS, S, asm, push, pushAddress, ret, run, send, toBigInt, world, word,
} from '../helpers/evm.js';
import { RUNNER_COINBASE } from '../../src/core/code-runner.js';

const hashOf = (n: number) => word((0xb10cn << 240n) | BigInt(n));
// Hashes of blocks 999 (index 0) down to 744 (index 255).
const HASHES = Array.from({ length: 256 }, (_, i) => hashOf(999 - i));

const BLOCKHASH: [string, bigint, bigint][] = [
  ['of the previous block', 999n, toBigInt(hashOf(999))],
  ['of the 256th previous block', 744n, toBigInt(hashOf(744))],
  ['of the 257th previous block is 0', 743n, 0n],
  ['of the current block is 0', 1000n, 0n],
  ['of a future block is 0', 1001n, 0n],
  ['of block 0 is 0', 0n, 0n],
  ['of 2^64 + 999 is 0', (1n << 64n) + 999n, 0n],
];
for (const [name, n, want] of BLOCKHASH) {
  test(`BLOCKHASH ${name}`, async () => {
    const out = await run(asm(push(n), OP.BLOCKHASH, ret()), { env: { blockHashes: HASHES } });
    assert.equal(out.value, want);
    assert.equal(out.gasUsed, BigInt(21000 + 3 + 20 + RET_GAS));
  });
}

const ENV: [string, number, bigint, Fork][] = [
  ['COINBASE', OP.COINBASE, toBigInt(RUNNER_COINBASE), Fork.Frontier],
  ['TIMESTAMP', OP.TIMESTAMP, 1_000_000_000n, Fork.Frontier],
  ['NUMBER', OP.NUMBER, 1000n, Fork.Frontier],
  ['DIFFICULTY (before the merge)', OP.PREVRANDAO, 0x1234n, Fork.London],
  ['PREVRANDAO', OP.PREVRANDAO, 0x1234n, Fork.Paris],
  ['GASLIMIT', OP.GASLIMIT, 1n << 62n, Fork.Frontier],
  ['CHAINID', OP.CHAINID, 1n, Fork.Istanbul],
  ['BASEFEE', OP.BASEFEE, 7n, Fork.London],
  ['BLOBBASEFEE', OP.BLOBBASEFEE, 1n, Fork.Cancun],
];
for (const [name, op, want, since] of ENV) {
  for (const fork of [since, Fork.Cancun]) {
    test(`${name} [${Fork[fork]}]`, async () => {
      const out = await run(asm(op, ret()), { fork });
      assert.equal(out.value, want);
      assert.equal(out.gasUsed, BigInt(21000 + 2 + RET_GAS));
    });
  }
}

test('the block values follow the environment', async () => {
  const coinbase = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
  const code = asm(OP.COINBASE, OP.TIMESTAMP, OP.NUMBER, OP.PREVRANDAO, OP.GASLIMIT, OP.CHAINID, OP.BASEFEE, OP.BLOBBASEFEE,
    ...Array.from({ length: 8 }, (_, i) => asm(push(32 * (7 - i)), OP.MSTORE)), push(256), push(0), OP.RETURN);
  const out = await run(code, {
    env: { coinbase, timestamp: 42n, number: 7n, prevRandao: 1n << 255n, gasLimit: 30_000_000n, chainId: 5n, baseFee: 3n,
      blobBaseFee: 17n },
    gasLimit: 1_000_000n,
  });
  const words = Array.from({ length: 8 }, (_, i) => toBigInt(out.output.subarray(32 * i, 32 * i + 32)));
  assert.deepEqual(words, [toBigInt(coinbase), 42n, 7n, 1n << 255n, 30_000_000n, 5n, 3n, 17n]);
});

test('SELFBALANCE is the executing account\'s balance for 5 gas', async () => {
  const out = await run(asm(OP.SELFBALANCE, ret()), { balance: 1000n, value: 1n });
  assert.equal(out.value, 1001n);
  assert.equal(out.gasUsed, BigInt(21000 + 5 + RET_GAS));
});

test('BLOBHASH without blobs is 0', async () => {
  const out = await run(asm(push(0), OP.BLOBHASH, ret()));
  assert.equal(out.value, 0n);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + RET_GAS));
});

test('BLOBHASH reads the transaction\'s versioned hashes (EIP-4844)', async () => {
  const h0 = word((1n << 248n) | 0xaaan);
  const h1 = word((1n << 248n) | 0xbbbn);
  const code = asm(push(0), OP.BLOBHASH, push(0), OP.MSTORE, push(1), OP.BLOBHASH, push(32), OP.MSTORE,
    push(2), OP.BLOBHASH, push(64), OP.MSTORE, push((1n << 64n) + 1n), OP.BLOBHASH, push(96), OP.MSTORE, push(128), push(0),
    OP.RETURN);
  const r = await world(Fork.Cancun, [[CONTRACT, { code }]]);
  const result = send(r, { to: CONTRACT, type: 3, gasPrice: 7n, maxFeePerBlobGas: 1n, blobVersionedHashes: [h0, h1] });
  assert.equal(result.status, S.SUCCESS);
  assert.equal(result.blobGasUsed, 2n * 131072n);
  const words = Array.from({ length: 4 }, (_, i) => toBigInt(result.output.subarray(32 * i, 32 * i + 32)));
  assert.deepEqual(words, [toBigInt(h0), toBigInt(h1), 0n, 0n]);
});

test('the coinbase is warm from Shanghai (EIP-3651), cold before', async () => {
  const code = asm(pushAddress(RUNNER_COINBASE), OP.BALANCE, ret());
  const london = await run(code, { fork: Fork.London });
  assert.equal(london.gasUsed, BigInt(21000 + 3 + 2600 + RET_GAS));
  const shanghai = await run(code, { fork: Fork.Shanghai });
  assert.equal(shanghai.gasUsed, BigInt(21000 + 3 + 100 + RET_GAS));
});
