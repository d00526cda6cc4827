// The blocks of the transfer benchmarks, independent of any engine: the pre-state, the block
// environment, the transactions (sender known, unsigned), and the state to compare afterwards.

import { bigIntToBytes, bytesToBigInt, concatBytes, keccak256 } from '../src/bytes.js';
import type { BlockEnv, TxInput } from '../src/core/inputs.js';

/** An account of the pre-state. */
export interface PreAccount {
  address: Uint8Array;
  balance: bigint;
  nonce: bigint;
  code: Uint8Array;
  storage: [bigint, bigint][];
}

/** Something to compare between engines after the block: an account, or one of its storage slots. */
export interface Probe {
  address: Uint8Array;
  /** A storage key; without it the probe reads the balance and nonce. */
  slot?: bigint;
}

export interface BlockSpec {
  /** The workload name in rows and tables. */
  workload: string;
  env: BlockEnv;
  accounts: PreAccount[];
  txs: TxInput[];
  probes: Probe[];
}

const GWEI = 10n ** 9n;
const ETHER = 10n ** 18n;

/** The environment both engines see: Cancun rules, fees high enough that the coinbase earns a tip. */
export const BLOCK_ENV: BlockEnv = {
  coinbase: address(0xc0, 0),
  number: 20_000_000n,
  timestamp: 1_720_000_000n,
  // Large enough for 2,000 ERC-20 transfers: the block limit is not what this benchmark measures.
  gasLimit: 1_000_000_000n,
  baseFee: 1n * GWEI,
  prevRandao: 0n,
  blobBaseFee: 1n,
  chainId: 1n,
  blockHashes: [],
};
const MAX_FEE = 3n * GWEI;
const PRIORITY_FEE = 1n * GWEI;

/** A distinct address per (role, index): the role byte first, the index in the last four bytes. */
export function address(role: number, index: number): Uint8Array {
  const a = new Uint8Array(20);
  a[0] = role;
  new DataView(a.buffer).setUint32(16, index);
  return a;
}

/** The storage key of `mapping(address => …)` at slot `mappingSlot`: keccak256(pad32(key) ++ pad32(slot)). */
export function mappingKey(key: Uint8Array, mappingSlot: bigint): bigint {
  return bytesToBigInt(keccak256(concatBytes(bigIntToBytes(0n, 12), key, bigIntToBytes(mappingSlot, 32))));
}

/** The first four bytes of keccak256 of a function signature. */
export function selector(signature: string): Uint8Array {
  return keccak256(new TextEncoder().encode(signature)).slice(0, 4);
}

function tx(from: Uint8Array, to: Uint8Array, value: bigint, gasLimit: bigint, data: Uint8Array): TxInput {
  return {
    type: 2, from, to, value, gasLimit, nonce: 0n, gasPrice: MAX_FEE, maxPriorityFeePerGas: PRIORITY_FEE, maxFeePerBlobGas: 0n,
    data, accessList: [], blobVersionedHashes: [],
  };
}

function eoa(address: Uint8Array, balance: bigint): PreAccount {
  return { address, balance, nonce: 0n, code: new Uint8Array(0), storage: [] };
}

/** A spread of indices to sample: the ends, the middle, and a stride through the rest. */
function sampleIndices(n: number): number[] {
  const picks = new Set([0, 1, n >> 1, n - 2, n - 1]);
  for (let i = 0; i < 8; i++) picks.add((i * 397 + 13) % n);
  return [...picks].filter((i) => i >= 0 && i < n).sort((a, b) => a - b);
}

/** N raw ETH transfers, each from its own funded sender to its own (not yet existing) receiver. */
export function ethTransfers(n: number): BlockSpec {
  const senders = Array.from({ length: n }, (_, i) => address(0xa1, i));
  const receivers = Array.from({ length: n }, (_, i) => address(0xb2, i));
  const probes: Probe[] = [{ address: BLOCK_ENV.coinbase }];
  for (const i of sampleIndices(n)) probes.push({ address: senders[i] }, { address: receivers[i] });
  return {
    workload: `transfers/eth-${n}`,
    env: BLOCK_ENV,
    accounts: senders.map((a) => eoa(a, ETHER)),
    txs: senders.map((from, i) => tx(from, receivers[i], 10n ** 15n + BigInt(i), 21_000n, new Uint8Array(0))),
    probes,
  };
}

/** The token contract's address in the ERC-20 block. */
export const TOKEN = address(0x70, 0);

/**
 * N ERC-20 `transfer` calls on one token: holder i sends 1 token to recipient i. Both start with a
 * token balance (so each transfer updates two non-zero slots, the common case on mainnet); the
 * balances are written straight into the token's `_balances` mapping at `balancesSlot`.
 */
export function erc20Transfers(n: number, runtimeCode: Uint8Array, balancesSlot: bigint): BlockSpec {
  const holders = Array.from({ length: n }, (_, i) => address(0xc3, i));
  const recipients = Array.from({ length: n }, (_, i) => address(0xd4, i));
  const storage: [bigint, bigint][] = [];
  for (let i = 0; i < n; i++) {
    storage.push([mappingKey(holders[i], balancesSlot), 1000n * ETHER], [mappingKey(recipients[i], balancesSlot), 5n * ETHER]);
  }
  const transfer = selector('transfer(address,uint256)');
  const txs = holders.map((from, i) =>
    tx(from, TOKEN, 0n, 100_000n, concatBytes(transfer, bigIntToBytes(0n, 12), recipients[i], bigIntToBytes(ETHER + BigInt(i), 32))),
  );
  const probes: Probe[] = [{ address: BLOCK_ENV.coinbase }];
  for (const i of sampleIndices(n)) {
    probes.push(
      { address: holders[i] },
      { address: TOKEN, slot: mappingKey(holders[i], balancesSlot) },
      { address: TOKEN, slot: mappingKey(recipients[i], balancesSlot) },
    );
  }
  return {
    workload: `erc20/transfer-${n}`,
    env: BLOCK_ENV,
    accounts: [...holders.map((a) => eoa(a, ETHER)), { address: TOKEN, balance: 0n, nonce: 1n, code: runtimeCode, storage }],
    txs,
    probes,
  };
}
