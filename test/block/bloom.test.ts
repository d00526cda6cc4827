// Logs blooms against an independent computation: the core caches the bits of recent addresses and
// topics (assembly/tx/bloom.ts), so a block logs repeated items, items that evict each other, and an
// address that is also logged as a topic word (hashed as 20 bytes in one place and 32 in the other).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { executeBlock } from '../../src/block/execute.js';
import { closePools } from '../../src/block/parallel.js';
import { bytesToHex, hexToBytes, keccak256 } from '../../src/bytes.js';
import type { ExecuteBlockOptions, Receipt } from '../../src/block/types.js';

after(closePools);

const LOGGER = '0x' + 'c0'.repeat(20);
const MINER = '0x' + '33'.repeat(20);
const word = (n: bigint): string => '0x' + n.toString(16).padStart(64, '0');
const TXS = 700;

/** Each transaction has LOGGER log LOG2(topic1 = its calldata word, topic2 = ADDRESS). */
function loggingBlock(): ExecuteBlockOptions {
  const preState: NonNullable<ExecuteBlockOptions['preState']> = {
    // ADDRESS, PUSH1 0 CALLDATALOAD, PUSH1 0, PUSH1 0, LOG2, STOP
    [LOGGER]: { balance: '0x0', nonce: 1, code: '0x3060003560006000a200' },
  };
  const transactions = Array.from({ length: TXS }, (_, i) => {
    const from = '0x' + (0x1000 + i).toString(16).padStart(40, '0');
    preState[from] = { balance: '0xde0b6b3a7640000', nonce: 0 };
    // A third the same topic, a third LOGGER's address as a word, a third all different (more than the cache holds).
    const topic = i % 3 === 0 ? word(0xddf252adn) : i % 3 === 1 ? word(BigInt(LOGGER)) : word(BigInt(i) << 200n | 7n);
    return { type: '0x2', from, to: LOGGER, nonce: '0x0', value: '0x0', gas: '0x10000', maxFeePerGas: '0x10', maxPriorityFeePerGas: '0x1',
      accessList: [], input: topic, chainId: '0x1' };
  });
  const block = {
    number: '0x1312d00', timestamp: '0x66484a00', miner: MINER, gasLimit: '0x1c9c3800', difficulty: '0x0', mixHash: '0x' + '11'.repeat(32),
    baseFeePerGas: '0x7', withdrawals: [], uncles: [], excessBlobGas: '0x0', blobGasUsed: '0x0', transactions,
  };
  return { block, preState };
}

/** The bloom of some logs, from the yellow paper: three bits of keccak-256 of each address and topic. */
function bloomOf(logs: readonly Receipt['logs'][number][]): Uint8Array {
  const bloom = new Uint8Array(256);
  for (const log of logs) {
    for (const item of [log.address, ...log.topics]) {
      const hash = keccak256(hexToBytes(item));
      for (let i = 0; i < 6; i += 2) {
        const bit = ((hash[i] << 8) | hash[i + 1]) & 2047;
        bloom[255 - (bit >> 3)] |= 1 << (bit & 7);
      }
    }
  }
  return bloom;
}

test('receipts\' and the block\'s logs blooms match the yellow paper\'s, with items repeated, evicted and logged as address and topic', async () => {
  for (const threads of [1, 2]) {
    const r = await executeBlock({ ...loggingBlock(), threads, fallback: false });
    assert.equal(r.receipts.length, TXS);
    assert.ok(r.receipts.every((x) => x.status === 1 && x.logs.length === 1));
    assert.equal(r.receipts[1].logs[0].topics[0], r.receipts[1].logs[0].topics[1], 'a topic that is the address word');
    for (const [i, receipt] of r.receipts.entries()) {
      assert.equal(receipt.logsBloom, bytesToHex(bloomOf(receipt.logs)), `${threads} thread(s), receipt ${i}`);
    }
    assert.equal(r.logsBloom, bytesToHex(bloomOf(r.receipts.flatMap((x) => x.logs))), `${threads} thread(s), block`);
  }
});
