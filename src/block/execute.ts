// Executing a whole block sequentially: the EIP-4788 system call, the transactions in order with
// their receipts, block rewards (before the merge) and withdrawals (Shanghai), then the header
// values (gas used, logs bloom, receipts root) and the state diff.

import { bigIntInto, bytesToBigInt, bytesToHex, hexInto, hexToBytes, keccak256 } from '../bytes.js';
import { Core, NO_LOGS_BLOOM, TX_MISSING_STATE, sharedMemoryAvailable, type CoreResult, type EncodedStateDiff, type OutputTable } from '../core/core.js';
import { blobBaseFee, writeBlock, writeTx, type BlockEnv } from '../core/inputs.js';
import { InvalidTransactionError, MissingStateError, SharedMemoryUnavailableError, invalidTxKind } from '../core/errors.js';
import { Result, Tx } from '../core/layout.js';
import type { ResultSnapshot } from '../core/snapshot.js';
import { Fork } from '../fork/forks.js';
import { mainnet, rulesAt, type Rules } from '../fork/rules.js';
import { EMPTY_TRIE_ROOT } from '../trie/index.js';
import {
  BlockInputError, blockHashTable, checkBlock, hexBytes, parsePreState, parseTransaction, quantity, type ParsedAccount,
  type ParsedTx,
} from './parse.js';
import { defaultThreads, executorFor, parallelStats, previousOfSender, timelineOf, type TimelineTask } from './parallel.js';
import { TRACE_EXECUTE, TRACE_RECEIPTS, clock } from '../parallel/executor.js';
import { costReport } from '../parallel/model.js';
import type { AccountDiff, BlockResult, ExecuteBlockOptions, Receipt, RpcBlock, UncleHeader } from './types.js';

const BEACON_ROOTS_ADDRESS = hexToBytes('0x000f3df6d732807ef1319fb7b8bb8522d0beac02'); // EIP-4788
const SYSTEM_ADDRESS = hexToBytes('0xfffffffffffffffffffffffffffffffffffffffe');
const SYSTEM_CALL_GAS = 30_000_000n;
const MAX_BLOB_GAS_PER_BLOCK = 786_432n; // EIP-4844: 6 blobs
const GWEI = 1_000_000_000n;
const DAO_FORK_BLOCK = 1_920_000n;
const ETHER = 10n ** 18n;

/** The miner's reward per block before the merge (EIP-649 Byzantium, EIP-1234 Constantinople). */
function blockReward(fork: Fork): bigint {
  return fork >= Fork.Constantinople ? 2n * ETHER : fork >= Fork.Byzantium ? 3n * ETHER : 5n * ETHER;
}

let sharedCore: Promise<Core> | undefined;

/** The core the sequential path uses, created once per process. */
function sequentialCore(): Promise<Core> {
  sharedCore ??= Core.create();
  return sharedCore;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Executes a block and returns its receipts, header values and state diff. Calls are queued: the
 * core and its workers execute one block at a time.
 */
export function executeBlock(options: ExecuteBlockOptions): Promise<BlockResult> {
  const run = queue.then(() => executeBlockNow(options));
  queue = run.catch(() => undefined);
  return run;
}

async function executeBlockNow(options: ExecuteBlockOptions): Promise<BlockResult> {
  const setupStart = performance.now();
  const { block } = options;
  const number = checkBlock(block);
  const where = `block ${number}`;
  let threads = options.threads ?? await defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new BlockInputError(`threads must be a positive integer, got ${options.threads}`);
  const notes: string[] = [];
  if (threads > 1 && !sharedMemoryAvailable()) {
    if (!options.allowSingleThread) throw new SharedMemoryUnavailableError(threads);
    notes.push(`ran on 1 thread instead of ${threads}: memory cannot be shared between threads here (the page is not cross-origin isolated)`);
    threads = 1;
  }
  const absent = options.absent ?? 'empty';
  if (absent !== 'empty' && absent !== 'unknown') throw new BlockInputError(`absent must be 'empty' or 'unknown', got ${JSON.stringify(absent)}`);
  const timestamp = quantity(block, 'timestamp', where);
  let rules: Rules;
  try {
    rules = rulesAt(options.chain ?? mainnet(), number, timestamp);
  } catch (error) {
    throw new BlockInputError(`${where}: ${(error as Error).message}`);
  }
  if (rules.chainId === 1n && number === DAO_FORK_BLOCK) {
    // Mainnet's DAO fork moved the balances of 116 accounts to a refund contract before the block's
    // transactions: an irregular change this executor does not make, so it refuses rather than err.
    throw new BlockInputError(`block ${number}: the DAO fork's irregular state change is not supported`);
  }
  const core = await sequentialCore();
  const txs = block.transactions.map((tx, i) => parseTransaction(tx, i, number));
  const pre = parsePreState(options.preState, options.codes);
  loadPreState(core, pre, absent);
  const run = await runBlock(core, block, txs, rules, {
    ...options, executor: await executorFor(core, threads, { allowFallback: options.fallback ?? true, trace: options.trace ?? false }),
  });
  const parallel = threads > 1 && txs.length > 0 ? parallelStats() : undefined;
  run.warnings.unshift(...notes);
  const diff = core.stateDiff();
  let stateDiff: AccountDiff[] | undefined;
  const { executionMs: _, ...header } = Object.getOwnPropertyDescriptors(run);
  return Object.defineProperties({
    stateDiffHash: bytesToHex(diff.hash),
    stats: {
      transactions: txs.length,
      gasUsed: run.gasUsed,
      executionMs: run.executionMs,
      setupMs: performance.now() - setupStart - run.executionMs,
      threads,
      memoryBytes: core.memory.buffer.byteLength,
      parallel,
      timeline: parallel?.timeline ?? run.timeline,
      cost: parallel?.timeline && !parallel.independent
        ? costReport(parallel.timeline, parallel.dependencies, txs.length, run.executionMs, previousOfSender(txs.map((tx) => bytesToHex(tx.from))))
        : undefined,
    },
  }, {
    // The accounts are decoded from the diff's encoding when first read.
    stateDiff: { enumerable: true, get: () => (stateDiff ??= decodeStateDiff(diff)) },
    ...header,
  }) as BlockResult; // keeps `receipts` a lazy getter
}

/** Replaces the core's state with a pre-state. */
export function loadPreState(core: Core, pre: Map<string, ParsedAccount>, absent: 'empty' | 'unknown'): void {
  core.resetState();
  core.setAbsentUnknown(absent === 'unknown');
  for (const a of pre.values()) {
    if (!a.exists) core.putAbsentAccount(a.address);
    else core.putAccount(a.address, a.balance, a.nonce, core.putCode(a.code, a.codeHash), a.storage, absent === 'empty');
  }
  core.keepOriginals();
}

/** What running a block on the core's state gives (the state itself stays in the core). */
export type BlockRun = Pick<BlockResult, 'number' | 'fork' | 'receipts' | 'gasUsed' | 'logsBloom' | 'receiptsRoot' | 'warnings'> & {
  /** Wall time from the first transaction to the receipts root, ms. */
  executionMs: number;
  /** With `trace`, when the transactions ran on this thread: each one's execution, then the receipts' hashing. */
  timeline?: TimelineTask[];
};

/**
 * Executes a block on the state the core holds, leaving the post-state there: the system call,
 * the transactions, rewards and withdrawals, and the header values.
 */
export async function runBlock(core: Core, block: RpcBlock, txs: readonly ParsedTx[], rules: Rules,
  options: { blockHashes?: Record<string, string>; uncleHeaders?: UncleHeader[]; executor?: TxExecutor; trace?: boolean } = {}): Promise<BlockRun> {
  const number = quantity(block, 'number', 'block');
  const where = `block ${number}`;
  const { fork } = rules;
  const gasLimit = quantity(block, 'gasLimit', where);
  const merged = fork >= Fork.Paris;
  const env: BlockEnv = {
    coinbase: hexBytes(block.miner, 20, `${where}: field "miner"`),
    number,
    timestamp: quantity(block, 'timestamp', where),
    gasLimit,
    baseFee: fork >= Fork.London ? quantity(block, 'baseFeePerGas', where) : 0n,
    prevRandao: merged ? quantity(block, 'mixHash', where) : quantity(block, 'difficulty', where),
    blobBaseFee: fork >= Fork.Cancun ? blobBaseFee(quantity(block, 'excessBlobGas', where)) : 0n,
    chainId: rules.chainId,
    blockHashes: blockHashTable(number, options.blockHashes),
  };
  core.configure(fork, rules.eips);
  core.setBlock(writeBlock(core, env));
  // The transactions go into shared memory before the clock starts: that is reading inputs.
  const n = txs.length;
  const ptrs = txs.map((tx) => writeTx(core, tx, gasLimit));
  const list = core.alloc(4 * n);
  ptrs.forEach((p, i) => core.writeU32(list + 4 * i, p));
  const batch: TxBatch = {
    txs, ptrs, list, gasLimit, where, leaves: fork >= Fork.Byzantium && n > 0 ? core.allocReceiptLeaves(n) : 0, trace: options.trace ? [] : undefined,
    gasUsed: headerGasUsed(block, where),
  };
  const executor: TxExecutor = options.executor ?? executeSequentially;
  executor.prepare?.(core, batch);
  const executionStart = performance.now();

  const at = (what: string, run: () => number): number => atPlace(`${where} ${what}`, run);

  // EIP-4788: store the parent beacon block root through the system contract, if it is deployed.
  if (fork >= Fork.Cancun && block.parentBeaconBlockRoot !== undefined && core.hasCode(BEACON_ROOTS_ADDRESS)) {
    const system = writeTx(core, {
      type: 0, from: SYSTEM_ADDRESS, to: BEACON_ROOTS_ADDRESS, value: 0n, gasLimit: SYSTEM_CALL_GAS, nonce: 0n, gasPrice: 0n,
      maxPriorityFeePerGas: 0n, maxFeePerBlobGas: 0n, data: hexBytes(block.parentBeaconBlockRoot, 32, `${where}: field "parentBeaconBlockRoot"`),
      accessList: [], blobVersionedHashes: [],
    }, SYSTEM_CALL_GAS);
    core.writeU32(system + Tx.FLAGS, Tx.FLAG_SYSTEM);
    at('beacon root system call', () => core.execute(system));
    core.commit();
  }

  const { outputs, leavesHashed, replied } = await executor(core, batch);
  const totals = core.blockTotals(outputs, n);
  if (totals.blobGasUsed > MAX_BLOB_GAS_PER_BLOCK) {
    throw new BlockInputError(`${where}: blob gas used ${totals.blobGasUsed} exceeds the block maximum ${MAX_BLOB_GAS_PER_BLOCK}`);
  }

  const warnings: string[] = [];
  if (!merged) {
    // Rewards: the miner's, plus 1/32 of it per uncle; each uncle's miner gets (8 + uncle - number) / 8 of it.
    const reward = blockReward(fork);
    const uncles = block.uncles ?? [];
    at('block reward', () => (core.addBalance(env.coinbase, reward + (reward / 32n) * BigInt(uncles.length)), 0));
    if (options.uncleHeaders) {
      options.uncleHeaders.forEach((u, i) => {
        const uncleNumber = quantity(u, 'number', `${where} uncle ${i}`);
        at(`uncle ${i} reward`, () => (core.addBalance(hexBytes(u.miner, 20, `${where} uncle ${i}: field "miner"`), ((uncleNumber + 8n - number) * reward) / 8n), 0));
      });
    } else if (uncles.length > 0) {
      warnings.push(`${uncles.length} uncle(s) without uncleHeaders: the state diff lacks the uncle miners' rewards`);
    }
  }
  if (fork >= Fork.Shanghai) {
    (block.withdrawals ?? []).forEach((w, i) => {
      const address = hexBytes(w.address, 20, `${where} withdrawal ${i}: field "address"`);
      const amount = quantity(w, 'amount', `${where} withdrawal ${i}`) * GWEI;
      at(`withdrawal ${i}`, () => (core.addBalance(address, amount), 0));
    });
  }
  // The receipts root from the leaf hashes of their encodings (hashed on the workers, when parallel).
  let root: string | undefined;
  if (fork >= Fork.Byzantium) {
    if (n > 0 && !leavesHashed) {
      const begin = clock();
      core.receiptLeaves(outputs, list, n, 0, n, 0n, batch.leaves);
      batch.trace?.push(TRACE_RECEIPTS, 0, n, begin, clock(), 0);
    }
    root = bytesToHex(n > 0 ? core.receiptsRoot(n, batch.leaves) : EMPTY_TRIE_ROOT);
  }
  const run = {
    number, fork: Fork[fork], receipts: [] as Receipt[], gasUsed: totals.gasUsed, logsBloom: bytesToHex(totals.bloom), receiptsRoot: root, warnings,
    executionMs: performance.now() - executionStart,
    timeline: batch.trace && !leavesHashed ? timelineOf([{ startedAt: performance.timeOrigin + executionStart, trace: batch.trace }]) : undefined,
  };
  await replied;
  // The receipts as objects (hex strings) are made when first read, from a copy of the result records
  // taken then or, if they were not read by then, before the outputs' memory is reused by the next
  // block: the header values above come from the result records directly.
  let receipts: Receipt[] | undefined;
  let results: ResultSnapshot | undefined;
  const materialize = (): Receipt[] => {
    if (receipts) return receipts;
    results ??= core.snapshotResults(outputs, n);
    let cumulative = 0n;
    receipts = txs.map((tx, i) => {
      const r = results!.at(i);
      cumulative += r.gasUsed;
      return toReceipt(tx, r, i, cumulative, fork);
    });
    results = undefined;
    return receipts;
  };
  core.beforeReset(() => {
    if (!receipts) results ??= core.snapshotResults(outputs, n);
  });
  Object.defineProperty(run, 'receipts', { enumerable: true, get: materialize });
  return run;
}

const NO_LOGS_BLOOM_HEX = bytesToHex(NO_LOGS_BLOOM);

function toReceipt(tx: ParsedTx, r: CoreResult, i: number, cumulativeGasUsed: bigint, fork: Fork): Receipt {
  return {
    transactionIndex: i,
    transactionHash: tx.hash,
    type: tx.type,
    status: fork >= Fork.Byzantium ? (r.status === 0 ? 1 : 0) : undefined,
    gasUsed: r.gasUsed,
    cumulativeGasUsed,
    logs: r.logs.map((l) => ({ address: bytesToHex(l.address), topics: l.topics.map(bytesToHex), data: bytesToHex(l.data) })),
    logsBloom: r.bloom === NO_LOGS_BLOOM ? NO_LOGS_BLOOM_HEX : bytesToHex(r.bloom),
    contractAddress: tx.to === undefined ? bytesToHex(r.created) : undefined,
    blobGasUsed: tx.type === 3 ? r.blobGasUsed : undefined,
  };
}

/** Names the block and transaction in a MissingStateError thrown by `run`. */
function atPlace<T>(where: string | (() => string), run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof MissingStateError) throw error.at(typeof where === 'string' ? where : where());
    throw error;
  }
}

/** The header's gas used as a hint of the block's work; none when absent or 0 (a block being built). */
function headerGasUsed(block: RpcBlock, where: string): bigint | undefined {
  const gasUsed = block.gasUsed === undefined ? 0n : quantity(block, 'gasUsed', where);
  return gasUsed === 0n ? undefined : gasUsed;
}

/** A block's transactions as the executors take them. */
export interface TxBatch {
  txs: readonly ParsedTx[];
  /** Their structs in shared memory (src/core/inputs.ts writeTx)... */
  ptrs: readonly number[];
  /** ...and the address of a u32 array of those addresses. */
  list: number;
  gasLimit: bigint;
  /** The block, for error messages. */
  where: string;
  /** Where the receipts trie's leaf hashes go (32 bytes per transaction); 0 when there is no receipts root. */
  leaves: number;
  /** With ExecuteBlockOptions.trace: what sequential execution did (WorkerStats.trace's layout). */
  trace?: number[];
  /** The header's gas used, when given: a hint of the block's work (never checked against the result here). */
  gasUsed?: bigint;
}

/** What executing a batch leaves: its result records, and whether the receipt leaves are hashed. */
export interface Executed {
  outputs: OutputTable;
  leavesHashed: boolean;
  /**
   * Settles when the workers' replies have arrived (they left the block before: their replies are
   * needed for nothing but to have the pool take the next block, so they are awaited after the clock).
   */
  replied?: Promise<unknown>;
}

/**
 * Executes a block's transactions on the core's state (which then holds the post-state), leaving
 * their result records (Core.lastOutput); throws for an invalid transaction or missing state, naming it.
 */
export type TxExecutor = ((core: Core, batch: TxBatch) => Promise<Executed>) & {
  /** Work on the inputs before the clock starts (it is reading them, not executing). */
  prepare?: (core: Core, batch: TxBatch) => void;
};

function txName(tx: ParsedTx, i: number): string {
  return `transaction ${i}${tx.hash ? ` (${tx.hash})` : ''}`;
}

/**
 * One transaction after another, each committed before the next starts. With `done`, the first
 * `done.count` transactions are already executed and committed (a parallel run's settled part), their
 * result records in `done.outputs`.
 */
export async function executeSequentially(core: Core, { txs, ptrs, gasLimit, where, trace }: TxBatch,
  done?: { count: number; outputs: OutputTable }): Promise<Executed> {
  const outputs = core.alloc(4 * txs.length);
  const from = done?.count ?? 0;
  for (let i = 0; i < from; i++) core.writeU32(outputs + 4 * i, core.readU32(done!.outputs.base + done!.outputs.stride * i));
  let cumulative = done ? core.gasUsedBetween(done.outputs, 0, from) : 0n;
  for (let i = from; i < txs.length; i++) {
    const name = (): string => `${where} ${txName(txs[i], i)}`;
    core.writeU64(ptrs[i] + Tx.GAS_AVAILABLE, gasLimit - cumulative);
    const begin = trace ? clock() : 0;
    const validity = atPlace(name, () => core.execute(ptrs[i]));
    if (validity !== 0) throw new InvalidTransactionError(invalidTxKind(validity), name());
    const output = core.lastOutput();
    core.commit();
    trace?.push(TRACE_EXECUTE, i, 0, begin, clock(), 0);
    cumulative += core.readU64(output + Result.GAS_USED);
    core.writeU32(outputs + 4 * i, output);
  }
  return { outputs: { base: outputs, stride: 4 }, leavesHashed: false };
}

/**
 * Checks parallel results as sequential execution would have met them, in order: the first invalid
 * transaction, missing state, or gas limit beyond what the block had left stops the block.
 */
export function checkInOrder(core: Core, { txs, gasLimit, where }: TxBatch, outputs: OutputTable): void {
  let cumulative = 0n;
  for (let i = 0; i < txs.length; i++) {
    const output = core.readU32(outputs.base + outputs.stride * i);
    const validity = core.readU32(output + Result.VALIDITY);
    const name = (): string => `${where} ${txName(txs[i], i)}`;
    if (validity >= TX_MISSING_STATE) throw core.missingStateOf(output, validity).at(name());
    if (validity !== 0) throw new InvalidTransactionError(invalidTxKind(validity), name());
    if (txs[i].gasLimit > gasLimit - cumulative) throw new InvalidTransactionError('GAS_LIMIT_EXCEEDS_BLOCK', name());
    cumulative += core.readU64(output + Result.GAS_USED);
  }
}

/** How the core's state differs from the pre-state: decoded from its encoding when first asked for. */
function decodeStateDiff({ encoding, accounts, code }: EncodedStateDiff): AccountDiff[] {
  const view = new DataView(encoding.buffer, encoding.byteOffset, encoding.byteLength);
  const diffs: AccountDiff[] = [];
  let at = 0;
  for (let k = 0; k < accounts; k++) {
    const slots = view.getUint32(at + 93);
    const diff: AccountDiff = {
      address: bytesToHex(encoding.subarray(at, at + 20)), exists: encoding[at + 20] === 1, balance: bytesToBigInt(encoding.subarray(at + 21, at + 53)),
      nonce: view.getBigUint64(at + 53), codeHash: bytesToHex(encoding.subarray(at + 61, at + 93)), code: code.has(k) ? bytesToHex(code.get(k)!) : undefined,
      storage: {},
    };
    at += 97;
    for (let j = 0; j < slots; j++, at += 64) diff.storage[bytesToHex(encoding.subarray(at, at + 32))] = bytesToBigInt(encoding.subarray(at + 32, at + 64));
    diffs.push(diff);
  }
  return diffs;
}

/**
 * keccak-256 over the state diff: for each account in address order, address (20 bytes), exists
 * (1 byte), balance (32), nonce (8), code hash (32), the number of changed slots (4, big-endian),
 * then each changed slot in slot order as slot (32) and new value (32).
 */
export function stateDiffHash(diff: readonly AccountDiff[]): Uint8Array {
  let size = 0;
  for (const a of diff) {
    size += 20 + 1 + 32 + 8 + 32 + 4;
    for (const _ in a.storage) size += 64;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  for (const a of diff) {
    pos = hexInto(out, pos, a.address, 20);
    out[pos++] = a.exists ? 1 : 0;
    pos = bigIntInto(out, pos, a.balance, 32);
    pos = bigIntInto(out, pos, a.nonce, 8);
    pos = hexInto(out, pos, a.codeHash, 32);
    const count = pos;
    pos += 4;
    let slots = 0;
    for (const slot in a.storage) {
      pos = hexInto(out, pos, slot, 32);
      pos = bigIntInto(out, pos, a.storage[slot], 32);
      slots++;
    }
    view.setUint32(count, slots);
  }
  return keccak256(out);
}
