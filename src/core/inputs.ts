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
  /**
   * Hashes of the up to 256 previous blocks: index i holds block number-1-i. An absent one reads as 0,
   * or is a MissingStateError where the store says absent means unknown.
   */
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
  const p = core.alloc(Block.SIZE + 256 * 32 + 32);
  const hashes = p + Block.SIZE;
  const known = new Uint8Array(32);
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
    if (h) {
      core.writeBytesAsWord(hashes + 32 * i, h);
      known[i >> 3] |= 1 << (i & 7);
    } else {
      core.writeWord(hashes + 32 * i, 0n);
    }
  }
  core.writeBytes(hashes + 256 * 32, known);
  core.writeU32(p + Block.BLOCK_HASHES, hashes);
  core.writeU32(p + Block.BLOCK_HASHES_KNOWN, hashes + 256 * 32);
  return p;
}

/** Writes a transaction into fresh shared memory; returns its address. */
export function writeTx(core: Core, tx: TxInput, gasAvailable: bigint): number {
  const keys = tx.accessList.reduce((n, e) => n + e.storageKeys.length, 0);
  // One allocation: the struct, then the access list, the blob hashes and the data.
  const p = core.alloc(Tx.SIZE + 64 * tx.accessList.length + 32 * keys + 32 * tx.blobVersionedHashes.length + tx.data.length);
  const list = p + Tx.SIZE;
  const blobs = list + 64 * tx.accessList.length + 32 * keys;
  const data = blobs + 32 * tx.blobVersionedHashes.length;
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
