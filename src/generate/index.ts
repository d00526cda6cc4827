// Synthetic blocks for tests and benchmarks, in the fixture layout (`block.json`, `pre_state.json`,
// `bytecodes.json`) that `parevm run DIR` executes. Deterministic for a kind, size and seed.
//
//   transfers  ETH transfers, every sender and receiver distinct: no conflicts
//   erc20      ERC-20 transfers on one token, distinct holders and recipients: no conflicts
//   chain      one sender's ERC-20 transfers: each transaction depends on the one before (its nonce,
//              its token balance)
//   hot        every transaction increments one counter slot: all conflict
//   mixed      transfers and token transfers among a small pool of accounts: random conflicts
//   deposits   ETH transfers from distinct senders, every other one to a single deposit address (an
//              exchange's): credits to one account (deferred in parallel execution)

import { bytesToHex, concatBytes, hexToBytes, keccak256 } from '../bytes.js';
import type { PreState, PreStateAccount, RpcBlock, RpcTransaction } from '../block/types.js';
import { ERC20_RUNTIME } from './erc20.js';

export const GENERATOR_KINDS = ['transfers', 'erc20', 'chain', 'hot', 'mixed', 'deposits'] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

export interface GeneratedBlock {
  block: RpcBlock;
  preState: PreState;
  codes: Record<string, string>;
}

/**
 * The environment of generated blocks (also the benchmarks' Uniswap and lending blocks): a Cancun-era
 * mainnet block number and time, so the fork is Cancun on mainnet's schedule, and its base fee.
 */
export const GENERATED_ENV = { number: 20_000_000n, timestamp: 1_716_000_000n, baseFee: 7_000_000_000n } as const;
const NUMBER = GENERATED_ENV.number;
const TIMESTAMP = GENERATED_ENV.timestamp;
const BASE_FEE = GENERATED_ENV.baseFee;
const MAX_FEE = 20_000_000_000n;
const TIP = 1_000_000_000n;
const FUNDS = 10n ** 21n;
const TOKENS = 10n ** 24n;
/** PUSH1 1 PUSH1 0 SLOAD ADD PUSH1 0 SSTORE STOP: storage[0] += 1. */
const COUNTER_RUNTIME = '0x60016000540160005500';

const hex = (v: bigint): string => '0x' + v.toString(16);

/** mulberry32: a small, fast, seeded generator of uniform numbers in [0, 1). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic address for a role and index. */
function addressOf(seed: number, role: string, i: number): string {
  return bytesToHex(keccak256(new TextEncoder().encode(`parevm:${seed}:${role}:${i}`)).subarray(12));
}

/** The storage slot of `mapping(address => …)` at `slot` for `key`: keccak256(pad32(key) ++ pad32(slot)). */
function mappingSlot(key: string, slot: bigint): string {
  const k = new Uint8Array(32);
  k.set(hexToBytes(key), 12);
  const s = new Uint8Array(32);
  s[31] = Number(slot);
  return bytesToHex(keccak256(concatBytes(k, s)));
}

/** ERC-20 `transfer(to, amount)` calldata. */
function transferCall(to: string, amount: bigint): string {
  const selector = bytesToHex(keccak256(new TextEncoder().encode('transfer(address,uint256)')).subarray(0, 4));
  return selector + to.slice(2).padStart(64, '0') + amount.toString(16).padStart(64, '0');
}

/** A transaction of a generated block: EIP-1559, 20 gwei fee cap, 1 gwei tip; `to` null creates a contract. */
export function generatedTx(from: string, nonce: number, to: string | null, value: bigint, gas: bigint, input = '0x'): RpcTransaction {
  return {
    type: '0x2', from, to, nonce: hex(BigInt(nonce)), value: hex(value), gas: hex(gas), maxFeePerGas: hex(MAX_FEE),
    maxPriorityFeePerGas: hex(TIP), accessList: [], input, chainId: '0x1',
  };
}

/** Generates a block of `n` transactions of a kind. */
export function generateBlock(kind: GeneratorKind, n: number, seed = 1): GeneratedBlock {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`the number of transactions must be a positive integer, got ${n}`);
  const rand = random(seed);
  const pre: PreState = {};
  const codes: Record<string, string> = {};
  const txs: RpcTransaction[] = [];
  const fund = (address: string): void => {
    pre[address] ??= { balance: hex(FUNDS), nonce: 0, storage: {} };
  };
  const deploy = (address: string, runtime: string, storage: Record<string, string> = {}): PreStateAccount => {
    const hash = bytesToHex(keccak256(hexToBytes(runtime)));
    codes[hash] = runtime;
    return (pre[address] = { balance: '0x0', nonce: 1, code_hash: hash, storage });
  };
  const token = addressOf(seed, 'token', 0);
  const nonces = new Map<string, number>();
  const nextNonce = (from: string): number => {
    const k = nonces.get(from) ?? 0;
    nonces.set(from, k + 1);
    return k;
  };
  const tokenHolder = (holder: string): void => {
    (pre[token] as PreStateAccount).storage![mappingSlot(holder, 0n)] = hex(TOKENS);
  };

  switch (kind) {
    case 'transfers':
      for (let i = 0; i < n; i++) {
        const from = addressOf(seed, 'sender', i);
        fund(from);
        txs.push(generatedTx(from, 0, addressOf(seed, 'receiver', i), 1_000_000_000n + BigInt(i), 21_000n));
      }
      break;
    case 'deposits': {
      const deposit = addressOf(seed, 'deposit', 0);
      for (let i = 0; i < n; i++) {
        const from = addressOf(seed, 'sender', i);
        fund(from);
        txs.push(generatedTx(from, 0, i % 2 === 0 ? deposit : addressOf(seed, 'receiver', i), 1_000_000_000n + BigInt(i), 21_000n));
      }
      break;
    }
    case 'erc20':
      deploy(token, ERC20_RUNTIME, { '0x2': hex(TOKENS * BigInt(n)) });
      for (let i = 0; i < n; i++) {
        const from = addressOf(seed, 'holder', i);
        fund(from);
        tokenHolder(from);
        txs.push(generatedTx(from, 0, token, 0n, 100_000n, transferCall(addressOf(seed, 'recipient', i), 1000n + BigInt(i))));
      }
      break;
    case 'chain': {
      const from = addressOf(seed, 'sender', 0);
      deploy(token, ERC20_RUNTIME, { '0x2': hex(TOKENS) });
      fund(from);
      tokenHolder(from);
      for (let i = 0; i < n; i++) txs.push(generatedTx(from, i, token, 0n, 100_000n, transferCall(addressOf(seed, 'receiver', i), 1000n + BigInt(i))));
      break;
    }
    case 'hot': {
      const counter = addressOf(seed, 'counter', 0);
      deploy(counter, COUNTER_RUNTIME);
      for (let i = 0; i < n; i++) {
        const from = addressOf(seed, 'sender', i);
        fund(from);
        txs.push(generatedTx(from, 0, counter, 0n, 50_000n));
      }
      break;
    }
    case 'mixed': {
      // A pool a quarter the block's size makes some transactions share senders or recipients.
      const pool = Math.max(2, Math.floor(n / 4));
      deploy(token, ERC20_RUNTIME, { '0x2': hex(TOKENS * BigInt(pool)) });
      for (let i = 0; i < pool; i++) {
        fund(addressOf(seed, 'account', i));
        tokenHolder(addressOf(seed, 'account', i));
      }
      for (let i = 0; i < n; i++) {
        const from = addressOf(seed, 'account', Math.floor(rand() * pool));
        const to = addressOf(seed, 'account', Math.floor(rand() * pool));
        if (rand() < 0.5) txs.push(generatedTx(from, nextNonce(from), to, 1_000_000n, 21_000n));
        else txs.push(generatedTx(from, nextNonce(from), token, 0n, 100_000n, transferCall(to, 1n + BigInt(Math.floor(rand() * 1000)))));
      }
      break;
    }
    default:
      throw new RangeError(`unknown block kind "${kind}"; known: ${GENERATOR_KINDS.join(', ')}`);
  }
  const gasLimit = txs.reduce((sum, t) => sum + BigInt(t.gas), 0n);
  const block: RpcBlock = {
    number: hex(NUMBER), miner: addressOf(seed, 'miner', 0), timestamp: hex(TIMESTAMP), gasLimit: hex(gasLimit < 30_000_000n ? 30_000_000n : gasLimit),
    difficulty: '0x0', mixHash: bytesToHex(keccak256(new TextEncoder().encode(`parevm:${seed}:randao`))), baseFeePerGas: hex(BASE_FEE),
    excessBlobGas: '0x0', blobGasUsed: '0x0', withdrawals: [], uncles: [], transactions: txs,
  };
  return { block, preState: pre, codes };
}
