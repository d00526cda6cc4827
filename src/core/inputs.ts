// Writing a block environment and transactions into the core's structs (assembly/evm/context.ts).

import type { Core } from './core.js';
import { Block, Tx } from './layout.js';

const U64_MAX = (1n << 64n) - 1n;

/** The block a transaction executes in, as the EVM sees it. */
export interface BlockEnv {
  coinbase: Uint8Array;
  number: bigint;
  timestamp: bigint;
  gasLimit: bigint;
  baseFee: bigint;
  /** PREVRANDAO after the merge (the header's mixHash), DIFFICULTY before it. */
  prevRandao: bigint;
  blobBaseFee: bigint;
  chainId: bigint;
  /** Hashes of the up to 256 previous blocks: index i holds block number-1-i; absent ones read as 0. */
  blockHashes: readonly (Uint8Array | undefined)[];
}

/** A transaction ready to execute: the sender known, every field decoded. */
export interface TxInput {
  type: number;
  from: Uint8Array;
  /** Undefined for a contract creation. */
  to?: Uint8Array;
  value: bigint;
  gasLimit: bigint;
  nonce: bigint;
  /** gasPrice for types 0 and 1, maxFeePerGas for types 2 and 3. */
  gasPrice: bigint;
  maxPriorityFeePerGas: bigint;
  maxFeePerBlobGas: bigint;
  data: Uint8Array;
  accessList: readonly { address: Uint8Array; storageKeys: readonly Uint8Array[] }[];
  blobVersionedHashes: readonly Uint8Array[];
}

/** Writes a block environment into fresh shared memory; returns its address. */
export function writeBlock(core: Core, env: BlockEnv): number {
  const p = core.alloc(Block.SIZE);
  const hashes = core.alloc(256 * 32);
  core.writeBytesAsWord(p + Block.COINBASE, env.coinbase);
  core.writeU64(p + Block.NUMBER, env.number);
  core.writeU64(p + Block.TIMESTAMP, env.timestamp);
  core.writeU64(p + Block.GAS_LIMIT, env.gasLimit);
  core.writeWord(p + Block.BASE_FEE, env.baseFee);
  core.writeWord(p + Block.PREVRANDAO, env.prevRandao);
  core.writeWord(p + Block.BLOB_BASE_FEE, env.blobBaseFee);
  core.writeWord(p + Block.CHAIN_ID, env.chainId);
  for (let i = 0; i < 256; i++) {
    const h = env.blockHashes[i];
    if (h) core.writeBytesAsWord(hashes + 32 * i, h);
    else core.writeWord(hashes + 32 * i, 0n);
  }
  core.writeU32(p + Block.BLOCK_HASHES, hashes);
  return p;
}

/** Writes a transaction into fresh shared memory; returns its address. */
export function writeTx(core: Core, tx: TxInput, gasAvailable: bigint): number {
  const keys = tx.accessList.reduce((n, e) => n + e.storageKeys.length, 0);
  const p = core.alloc(Tx.SIZE);
  const data = core.alloc(Math.max(tx.data.length, 1));
  const list = core.alloc(64 * tx.accessList.length + 32 * keys);
  const blobs = core.alloc(32 * tx.blobVersionedHashes.length);
  core.writeBytesAsWord(p + Tx.CALLER, tx.from);
  core.writeBytesAsWord(p + Tx.TO, tx.to ?? new Uint8Array(0));
  core.writeWord(p + Tx.VALUE, tx.value);
  core.writeWord(p + Tx.GAS_PRICE, tx.gasPrice);
  core.writeWord(p + Tx.PRIORITY_FEE, tx.maxPriorityFeePerGas);
  core.writeWord(p + Tx.BLOB_FEE_CAP, tx.maxFeePerBlobGas);
  // Values past u64 can never be valid: the core sees u64 max, which fails its checks.
  core.writeU64(p + Tx.GAS_LIMIT, tx.gasLimit > U64_MAX ? U64_MAX : tx.gasLimit);
  core.writeU64(p + Tx.NONCE, tx.nonce > U64_MAX ? U64_MAX : tx.nonce);
  core.writeU64(p + Tx.GAS_AVAILABLE, gasAvailable > U64_MAX ? U64_MAX : gasAvailable);
  core.writeU32(p + Tx.TYPE, tx.type);
  core.writeU32(p + Tx.FLAGS, tx.to === undefined ? Tx.FLAG_CREATE : 0);
  core.writeBytes(data, tx.data);
  core.writeU32(p + Tx.DATA, data);
  core.writeU32(p + Tx.DATA_LEN, tx.data.length);
  let q = list;
  for (const entry of tx.accessList) {
    core.writeBytesAsWord(q, entry.address);
    core.writeU64(q + 32, BigInt(entry.storageKeys.length));
    q += 64;
    for (const key of entry.storageKeys) {
      core.writeBytesAsWord(q, key);
      q += 32;
    }
  }
  core.writeU32(p + Tx.ACCESS_LIST, list);
  core.writeU32(p + Tx.ACCESS_LIST_LEN, tx.accessList.length);
  core.writeU32(p + Tx.ACCESS_LIST_KEYS, keys);
  tx.blobVersionedHashes.forEach((h, i) => core.writeBytesAsWord(blobs + 32 * i, h));
  core.writeU32(p + Tx.BLOB_HASHES, blobs);
  core.writeU32(p + Tx.BLOB_COUNT, tx.blobVersionedHashes.length);
  return p;
}

/** EIP-4844 blob base fee from the block's excess blob gas: fake_exponential(1, excess, 3338477). */
export function blobBaseFee(excessBlobGas: bigint): bigint {
  const denominator = 3338477n;
  let i = 1n, output = 0n, accum = denominator;
  while (accum > 0n) {
    output += accum;
    accum = (accum * excessBlobGas) / (denominator * i);
    i++;
  }
  return output / denominator;
}
