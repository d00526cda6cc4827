// The core's state diff (assembly/state/diff.ts, against the originals the store keeps) equals the
// reference diff computed in TypeScript from the parsed pre-state (test/helpers/reference-diff.ts),
// and its hash is the documented one: on the bundled mainnet blocks, on generated blocks run on one
// and on two threads, and on blocks made to reach its corners (storage dropped and re-created, values
// changed and changed back, accounts the pre-state lists as absent, code deployed).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeBlock, stateDiffHash } from '../../src/block/execute.js';
import { closePools } from '../../src/block/parallel.js';
import { readBlockInputs } from '../../src/block/files.js';
import { generateBlock, type GeneratorKind } from '../../src/generate/index.js';
import { bytesToHex, concatBytes, hexToBytes, keccak256 } from '../../src/bytes.js';
import type { ExecuteBlockOptions } from '../../src/block/types.js';
import { referenceDiffOf } from '../helpers/reference-diff.js';

after(closePools);

type Inputs = Omit<ExecuteBlockOptions, 'threads'>;

async function assertReference(inputs: Inputs, threads = 1): Promise<void> {
  const result = await executeBlock({ ...inputs, threads, fallback: threads === 1 ? undefined : false });
  const reference = await referenceDiffOf(inputs);
  assert.deepStrictEqual(result.stateDiff, reference);
  assert.equal(result.stateDiffHash, bytesToHex(stateDiffHash(reference)));
}

const mainnetDir = fileURLToPath(new URL('../../../test/fixtures/mainnet/blocks', import.meta.url));
const bundled = fileURLToPath(new URL('../../../data/blocks/19932148', import.meta.url));

test('the bundled mainnet blocks: the core\'s state diff is the reference one', async () => {
  for (const path of [...readdirSync(mainnetDir).map((n) => join(mainnetDir, n)), bundled]) await assertReference(readBlockInputs(path));
});

test('generated blocks, on one thread and on two: the core\'s state diff is the reference one', async () => {
  const kinds: [GeneratorKind, number][] = [['erc20', 300], ['transfers', 300], ['mixed', 200], ['hot', 100], ['chain', 50]];
  for (const [kind, txs] of kinds) {
    const inputs = generateBlock(kind, txs, 7);
    await assertReference(inputs, 1);
    await assertReference(inputs, 2);
  }
});

const MINER = '0x' + '33'.repeat(20);
const SENDER = '0x' + '5e'.repeat(20);
const FACTORY = '0x' + 'fa'.repeat(20);
const STORER = '0x' + '57'.repeat(20);
const slot = (n: number): string => '0x' + n.toString(16).padStart(64, '0');
const word = (n: number): string => n.toString(16).padStart(64, '0');

/** A Shanghai block (self-destruct still deletes) or a Cancun one, of calls from SENDER with increasing nonces. */
function block(cancun: boolean, calls: { to: string; data?: string; value?: string }[]): ExecuteBlockOptions['block'] {
  return {
    number: cancun ? '0x1312d00' : '0x1059f40', timestamp: cancun ? '0x66484a00' : '0x6441e580', miner: MINER, gasLimit: '0x1c9c380',
    difficulty: '0x0', mixHash: '0x' + '11'.repeat(32), baseFeePerGas: '0x7', withdrawals: [], uncles: [],
    ...(cancun ? { excessBlobGas: '0x0', blobGasUsed: '0x0' } : {}),
    transactions: calls.map((c, i) => ({
      type: '0x2', from: SENDER, to: c.to, nonce: '0x' + i.toString(16), value: c.value ?? '0x0', gas: '0x100000', maxFeePerGas: '0x10',
      maxPriorityFeePerGas: '0x1', accessList: [], input: c.data ?? '0x', chainId: '0x1',
    })),
  };
}

// Initcode: sstore(1, 9), then return the runtime code CALLER SELFDESTRUCT (0x33ff).
const INITCODE = '0x6009600155' + '6133ff600052' + '6002601ef3';
// The factory: CREATE2 (salt 0, no value) of its calldata.
const FACTORY_CODE = '0x366000600037' + '60003660006000f5' + '00';
// Stores its first calldata word in slot 0.
const STORER_CODE = '0x600035600055' + '00';
const CHILD = bytesToHex(keccak256(concatBytes(hexToBytes('0xff'), hexToBytes(FACTORY), new Uint8Array(32), keccak256(hexToBytes(INITCODE)))).subarray(12));

test('a contract self-destructed and re-created in one block: dropped slots are zero, re-written ones their new value', async () => {
  const inputs: Inputs = {
    block: block(false, [{ to: CHILD }, { to: FACTORY, data: INITCODE }]),
    preState: {
      [CHILD]: { balance: '0x64', nonce: 1, code: '0x33ff', storage: { [slot(1)]: '0x5', [slot(2)]: '0x7', [slot(3)]: '0x0' } },
      [FACTORY]: { balance: '0x0', nonce: 1, code: FACTORY_CODE },
      [SENDER]: { balance: '0xde0b6b3a7640000', nonce: 0 },
    },
  };
  const r = await executeBlock({ ...inputs, threads: 1 });
  const child = r.stateDiff.find((a) => a.address === CHILD)!;
  assert.equal(child.exists, true);
  assert.equal(child.balance, 0n);
  assert.deepStrictEqual(child.storage, { [slot(1)]: 9n, [slot(2)]: 0n }, 'slot 3 was zero before and is now');
  assert.equal(child.code, undefined, 'the same code again');
  await assertReference(inputs);
  await assertReference(inputs, 2);
});

test('a slot changed and changed back is no change; an account absent before exists after', async () => {
  const fresh = '0x' + 'f2'.repeat(20);
  const inputs: Inputs = {
    block: block(true, [
      { to: STORER, data: '0x' + word(7) }, { to: STORER, data: '0x' + word(5) }, { to: fresh, value: '0x3' },
      { to: FACTORY, data: INITCODE },
    ]),
    preState: {
      [STORER]: { balance: '0x0', nonce: 1, code: STORER_CODE, storage: { [slot(0)]: '0x5' } },
      [FACTORY]: { balance: '0x0', nonce: 1, code: FACTORY_CODE },
      [SENDER]: { balance: '0xde0b6b3a7640000', nonce: 0 },
      [fresh]: null,
      [CHILD]: null,
      [MINER]: null,
    },
    absent: 'unknown',
  };
  const r = await executeBlock({ ...inputs, threads: 1 });
  assert.equal(r.stateDiff.find((a) => a.address === STORER), undefined, 'slot 0 is 5 again');
  const created = r.stateDiff.find((a) => a.address === fresh)!;
  assert.ok(created.exists && created.balance === 3n);
  assert.ok(r.stateDiff.find((a) => a.address === MINER)!.exists, 'the miner, absent before, has the fees');
  const child = r.stateDiff.find((a) => a.address === CHILD)!;
  assert.equal(child.code, '0x33ff', 'deployed code is listed');
  assert.deepStrictEqual(child.storage, { [slot(1)]: 9n });
  await assertReference(inputs);
});
