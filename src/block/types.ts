// The public shapes of block execution: what a caller passes (JSON-RPC block, pre-state in either of
// two formats) and what executeBlock returns.

import type { Common } from '@ethereumjs/common';

/** A transaction as `eth_getBlockByNumber(n, true)` returns it (hex quantities). */
export interface RpcTransaction {
  type?: string;
  hash?: string;
  /** The sender; recovered from the signature when absent. */
  from?: string;
  to?: string | null;
  nonce: string;
  value: string;
  gas: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  maxFeePerBlobGas?: string;
  blobVersionedHashes?: string[];
  accessList?: { address: string; storageKeys: string[] }[];
  input: string;
  chainId?: string;
  v?: string;
  r?: string;
  s?: string;
  yParity?: string;
}

/** A withdrawal (Shanghai): `amount` in gwei. */
export interface RpcWithdrawal {
  index: string;
  validatorIndex: string;
  address: string;
  amount: string;
}

/** A block as `eth_getBlockByNumber(n, true)` returns it: header fields and full transactions. */
export interface RpcBlock {
  number: string;
  hash?: string;
  parentHash?: string;
  miner: string;
  timestamp: string;
  gasLimit: string;
  gasUsed?: string;
  difficulty?: string;
  mixHash?: string;
  baseFeePerGas?: string;
  blobGasUsed?: string;
  excessBlobGas?: string;
  parentBeaconBlockRoot?: string;
  receiptsRoot?: string;
  logsBloom?: string;
  /** Uncle hashes; pass `uncleHeaders` to executeBlock for their miners' rewards. */
  uncles?: string[];
  withdrawals?: RpcWithdrawal[];
  transactions: RpcTransaction[];
}

/**
 * An account of the pre-state. Two shapes are accepted:
 * - the fixture / pevm shape: `code_hash` naming an entry of the `codes` map (no `code_hash`: no code);
 * - the `prestateTracer` shape (`debug_traceBlockByNumber`): `code` inline.
 * `nonce` may be a number or a hex string. `storage` lists slots (hex keys and values).
 */
export interface PreStateAccount {
  balance?: string;
  nonce?: number | string;
  code?: string;
  code_hash?: string;
  codeHash?: string;
  storage?: Record<string, string>;
}

/**
 * The state before the block, by address. `null` marks an account known not to exist (useful when
 * `absent` is 'unknown').
 */
export type PreState = Record<string, PreStateAccount | null>;

/** An uncle header's reward-relevant fields (pre-merge). */
export interface UncleHeader {
  number: string;
  miner: string;
}

export interface ExecuteBlockOptions {
  block: RpcBlock;
  preState: PreState;
  /** Code by hash (`0x<keccak256(code)>` → `0x<code>`), for pre-states that give `code_hash`. */
  codes?: Record<string, string>;
  /** Hashes of earlier blocks by number (decimal string or number → hash), for BLOCKHASH. */
  blockHashes?: Record<string, string>;
  /** The chain; mainnet by default. The fork follows the block's number and timestamp. */
  chain?: Common;
  /**
   * What an account or slot missing from `preState` means. 'empty' (default): it does not exist / is
   * zero, as a node's prestateTracer output is complete for the block. 'unknown': reading it is an
   * error naming the block, transaction, address and slot; accounts listed with `storage` are then
   * complete for the slots they list only.
   */
  absent?: 'empty' | 'unknown';
  /** Uncle headers, for the uncle miners' rewards before the merge. */
  uncleHeaders?: UncleHeader[];
  /**
   * Threads executing the block: 1 is sequential execution, more run Block-STM. By default the cores
   * available, at most 8.
   */
  threads?: number;
  /**
   * With threads > 1: whether a block parallelism cannot speed up (few transactions, mostly one
   * sender, or conflicts once running) runs sequentially instead, and a block of plain transfers in
   * independent parts instead of Block-STM. True by default; false always runs Block-STM (for
   * testing and measuring it). The result is the same either way.
   */
  fallback?: boolean;
  /**
   * Where memory cannot be shared between threads (a browser page that is not cross-origin isolated),
   * run on one thread, with a warning, instead of rejecting with SharedMemoryUnavailableError when
   * `threads` (or its default) is more than 1. False by default.
   */
  allowSingleThread?: boolean;
  /**
   * Record when each thread executed and validated which transaction (`stats.timeline`), for
   * pictures of the block and the scaling model. Costs two clock reads per task.
   */
  trace?: boolean;
}

export interface Log {
  address: string;
  topics: string[];
  data: string;
}

export interface Receipt {
  transactionIndex: number;
  transactionHash?: string;
  type: number;
  /** 1 success, 0 failure (Byzantium on); undefined before, where receipts hold a state root. */
  status?: 0 | 1;
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  logs: Log[];
  logsBloom: string;
  contractAddress?: string;
  blobGasUsed?: bigint;
}

/** An account the block changed: its state after the block (`exists: false` when deleted). */
export interface AccountDiff {
  address: string;
  exists: boolean;
  balance: bigint;
  nonce: bigint;
  codeHash: string;
  /** Present when the code changed. */
  code?: string;
  /** Slots whose value changed, with their new values (0 when cleared). */
  storage: Record<string, bigint>;
}

/** Statistics of parallel execution (threads > 1). */
export type { ParallelStats, TimelineTask } from './parallel.js';
export type { CostReport, Prediction } from '../parallel/model.js';
import type { ParallelStats, TimelineTask } from './parallel.js';
import type { CostReport } from '../parallel/model.js';

export interface BlockStats {
  transactions: number;
  gasUsed: bigint;
  /** Wall time of execution proper (inputs parsed, state loaded), ms. */
  executionMs: number;
  /** Time to parse inputs, load the state and prepare the core, ms. */
  setupMs: number;
  threads: number;
  /**
   * Bytes of the shared WebAssembly memory after the block (the state, the blocks' working space and
   * every worker's arena; at most 4 GiB, reused from block to block).
   */
  memoryBytes: number;
  /** With threads > 1: executions, aborts, waits, wasted gas, the dependency graph and its critical path. */
  parallel?: ParallelStats;
  /**
   * With `trace`: what each thread did and when, from the block's first task: the workers' tasks of a
   * parallel run, or each transaction's execution and the receipts' hashing of a sequential one.
   */
  timeline?: TimelineTask[];
  /**
   * With `trace` on a parallel run under Block-STM: CPU and wall time, work wasted on re-execution,
   * the time saved against (modelled) sequential execution, and the modelled speedup at other thread
   * counts (the model is Block-STM's: not for a block of plain transfers run in independent parts).
   */
  cost?: CostReport;
}

export interface BlockResult {
  number: bigint;
  fork: string;
  receipts: Receipt[];
  gasUsed: bigint;
  logsBloom: string;
  /** The receipts root; undefined before Byzantium (receipts embed state roots a partial state cannot give). */
  receiptsRoot?: string;
  /** Accounts changed by the block, sorted by address. */
  stateDiff: AccountDiff[];
  /** keccak-256 of the canonical encoding of stateDiff (README: "State diff hash"). */
  stateDiffHash: string;
  /** Things the result does not cover, e.g. uncle rewards without uncle headers. */
  warnings: string[];
  stats: BlockStats;
}
