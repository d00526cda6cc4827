// The state diff and its hash: a self-destructed account's storage goes to zero (Shanghai), or stays
// (Cancun, EIP-6780), and the hash is keccak-256 over the encoding README documents, computed here
// independently.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { executeBlock } from '../../src/block/execute.js';
import { closePools } from '../../src/block/parallel.js';
import { bigIntToBytes, bytesToHex, concatBytes, hexToBytes, keccak256 } from '../../src/bytes.js';
import type { AccountDiff, ExecuteBlockOptions } from '../../src/block/types.js';

after(closePools);

const CONTRACT = '0x' + 'c0'.repeat(20);
const SENDER = '0x' + '5e'.repeat(20);
const MINER = '0x' + '33'.repeat(20);
const slot = (n: number): string => '0x' + n.toString(16).padStart(64, '0');

/** A block whose one transaction calls a contract that self-destructs to its caller (CALLER SELFDESTRUCT). */
function selfDestructBlock(cancun: boolean): ExecuteBlockOptions {
  const block = {
    number: cancun ? '0x1312d00' : '0x1059f40', timestamp: cancun ? '0x66484a00' : '0x6441e580', miner: MINER, gasLimit: '0x1c9c380',
    difficulty: '0x0', mixHash: '0x' + '11'.repeat(32), baseFeePerGas: '0x7', withdrawals: [], uncles: [],
    ...(cancun ? { excessBlobGas: '0x0', blobGasUsed: '0x0' } : {}),
    transactions: [{
      type: '0x2', from: SENDER, to: CONTRACT, nonce: '0x0', value: '0x0', gas: '0x30000', maxFeePerGas: '0x10', maxPriorityFeePerGas: '0x1',
      accessList: [], input: '0x', chainId: '0x1',
    }],
  };
  return {
    block, threads: 1,
    preState: {
      [CONTRACT]: { balance: '0x64', nonce: 1, code: '0x33ff', storage: { [slot(1)]: '0x5', [slot(2)]: '0x7' } },
      [SENDER]: { balance: '0xde0b6b3a7640000', nonce: 0 },
    },
  };
}

/** The documented encoding, built from its parts. */
function documentedHash(diff: readonly AccountDiff[]): string {
  const parts: Uint8Array[] = [];
  for (const a of diff) {
    const slots = Object.entries(a.storage);
    parts.push(hexToBytes(a.address), Uint8Array.of(a.exists ? 1 : 0), bigIntToBytes(a.balance, 32), bigIntToBytes(a.nonce, 8),
      hexToBytes(a.codeHash), bigIntToBytes(BigInt(slots.length), 4));
    for (const [key, value] of slots) parts.push(hexToBytes(key), bigIntToBytes(value, 32));
  }
  return bytesToHex(keccak256(concatBytes(...parts)));
}

test('Shanghai: a self-destructed account is deleted, its storage zero, its balance with the caller', async () => {
  const r = await executeBlock(selfDestructBlock(false));
  const contract = r.stateDiff.find((a) => a.address === CONTRACT)!;
  assert.equal(contract.exists, false);
  assert.equal(contract.balance, 0n);
  assert.deepEqual(contract.storage, { [slot(1)]: 0n, [slot(2)]: 0n });
  const sender = r.stateDiff.find((a) => a.address === SENDER)!;
  const fee = r.gasUsed * 8n; // base fee 7 + tip 1
  assert.equal(sender.balance, 10n ** 18n + 100n - fee);
  assert.equal(sender.nonce, 1n);
  assert.equal(r.stateDiffHash, documentedHash(r.stateDiff));
});

test('Cancun (EIP-6780): a contract not created in the transaction keeps its storage and code', async () => {
  const r = await executeBlock(selfDestructBlock(true));
  const contract = r.stateDiff.find((a) => a.address === CONTRACT)!;
  assert.equal(contract.exists, true);
  assert.equal(contract.balance, 0n);
  assert.deepEqual(contract.storage, {});
  assert.equal(contract.code, undefined, 'code unchanged');
  assert.equal(r.stateDiffHash, documentedHash(r.stateDiff));
});
