// Runs Ethereum `blockchain_test` fixtures (ethereum/tests BlockchainTests format): a chain of blocks
// on top of `pre`, each checked against its header (gas used, bloom, receipts root, state root), then
// every account of the expected post-state, and the state diff's hash against the one the expected
// post-state gives.

import { bytesToHex, equalBytes, hexToBytes } from '../bytes.js';
import type { Core } from '../core/core.js';
import { forkByName, rulesForFork } from '../fork/rules.js';
import { loadPreState, runBlock, stateDiffHash } from '../block/execute.js';
import { executorFor } from '../block/parallel.js';
import { parsePreState, parseTransaction, type ParsedAccount } from '../block/parse.js';
import type { AccountDiff, PreState, RpcBlock, RpcTransaction } from '../block/types.js';
import { EMPTY_CODE_HASH, stateRoot } from '../trie/index.js';
import type { CaseResult } from '../statetest/runner.js';

interface BlockJson {
  blockHeader?: Record<string, string>;
  transactions?: Record<string, unknown>[];
  uncleHeaders?: Record<string, string>[];
  withdrawals?: { index: string; validatorIndex: string; address: string; amount: string }[];
  expectException?: string;
}

interface BlockchainTestJson {
  network: string;
  pre: PreState;
  genesisBlockHeader: Record<string, string>;
  blocks: BlockJson[];
  postState?: PreState;
  postStateHash?: string;
}

/** Whether parsed JSON looks like a blockchain_test file. */
export function isBlockchainTestFile(json: unknown): json is Record<string, BlockchainTestJson> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const tests = Object.values(json);
  return tests.length > 0 && tests.every((t) => typeof t === 'object' && t !== null &&
    'pre' in t && 'blocks' in t && 'network' in t && 'genesisBlockHeader' in t);
}

/** A fixture transaction in JSON-RPC shape. */
function rpcTransaction(tx: Record<string, unknown>): RpcTransaction {
  const to = tx.to as string | undefined;
  return {
    ...(tx as object),
    from: tx.sender as string,
    to: to === undefined || to === '' ? null : to,
    gas: tx.gasLimit as string,
    input: tx.data as string,
  } as RpcTransaction;
}

function rpcBlock(header: Record<string, string>, block: BlockJson): RpcBlock {
  return {
    number: header.number,
    hash: header.hash,
    miner: header.coinbase,
    timestamp: header.timestamp,
    gasLimit: header.gasLimit,
    gasUsed: header.gasUsed,
    difficulty: header.difficulty,
    mixHash: header.mixHash,
    baseFeePerGas: header.baseFeePerGas,
    excessBlobGas: header.excessBlobGas,
    blobGasUsed: header.blobGasUsed,
    parentBeaconBlockRoot: header.parentBeaconBlockRoot,
    uncles: (block.uncleHeaders ?? []).map((u) => u.hash),
    withdrawals: block.withdrawals,
    transactions: (block.transactions ?? []).map(rpcTransaction),
  };
}

/** Differences between the core's state and an expected post-state, as short descriptions. */
function comparePostState(core: Core, expected: Map<string, ParsedAccount>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const a of core.accounts()) {
    if (!a.exists) continue;
    const address = bytesToHex(a.address);
    seen.add(address);
    const e = expected.get(address);
    if (e === undefined) {
      problems.push(`account ${address} exists but is not in postState`);
      continue;
    }
    if (a.balance !== e.balance) problems.push(`${address} balance ${a.balance}, expected ${e.balance}`);
    if (a.nonce !== e.nonce) problems.push(`${address} nonce ${a.nonce}, expected ${e.nonce}`);
    if (!equalBytes(a.codeHash, e.codeHash)) problems.push(`${address} code differs`);
    for (const slot of new Set([...a.storage.keys(), ...e.storage.keys()])) {
      const got = a.storage.get(slot) ?? 0n, want = e.storage.get(slot) ?? 0n;
      if (got !== want) problems.push(`${address} slot 0x${slot.toString(16)} = 0x${got.toString(16)}, expected 0x${want.toString(16)}`);
    }
  }
  for (const address of expected.keys()) if (!seen.has(address)) problems.push(`account ${address} is missing`);
  return problems;
}

/**
 * The state diff hash (README: "State diff hash") of the change from `pre` to `post`, both as the
 * fixture gives them: what the core's diff of the same change must hash to.
 */
function expectedDiffHash(pre: Map<string, ParsedAccount>, post: Map<string, ParsedAccount>): string {
  const diffs: AccountDiff[] = [];
  for (const address of [...new Set([...pre.keys(), ...post.keys()])].sort()) {
    const before = pre.get(address), after = post.get(address);
    const existed = before?.exists ?? false, exists = after?.exists ?? false;
    if (!existed && !exists) continue;
    const value = (a: ParsedAccount | undefined, live: boolean, slot: bigint): bigint => (live ? a!.storage.get(slot) ?? 0n : 0n);
    const slots = [...new Set([...before?.storage.keys() ?? [], ...after?.storage.keys() ?? []])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const storage: Record<string, bigint> = {};
    for (const slot of slots) {
      const now = value(after, exists, slot);
      if (now !== value(before, existed, slot)) storage['0x' + slot.toString(16).padStart(64, '0')] = now;
    }
    const balance = exists ? after!.balance : 0n, nonce = exists ? after!.nonce : 0n;
    const codeHash = bytesToHex(exists ? after!.codeHash : EMPTY_CODE_HASH);
    const changed = exists !== existed || Object.keys(storage).length > 0 || balance !== (existed ? before!.balance : 0n) ||
      nonce !== (existed ? before!.nonce : 0n) || codeHash !== bytesToHex(existed ? before!.codeHash : EMPTY_CODE_HASH);
    if (changed) diffs.push({ address, exists, balance, nonce, codeHash, storage });
  }
  return bytesToHex(stateDiffHash(diffs));
}

/** Runs every test of one blockchain_test file. */
export async function runBlockchainTestFile(core: Core, file: string, json: Record<string, BlockchainTestJson>, skipped?: Map<string, number>,
  threads = 1, fallback = true): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const [test, t] of Object.entries(json)) {
    const fork = forkByName(t.network);
    if (fork === undefined) {
      const reason = `network ${t.network} is not supported`;
      skipped?.set(reason, (skipped.get(reason) ?? 0) + 1);
      continue;
    }
    if (t.blocks.some((b) => b.expectException !== undefined || b.blockHeader === undefined)) {
      const reason = 'tests with invalid blocks are not run';
      skipped?.set(reason, (skipped.get(reason) ?? 0) + 1);
      continue;
    }
    let detail: string | undefined;
    try {
      detail = await runTest(core, t, fork, threads, fallback);
    } catch (error) {
      detail = `error: ${(error as Error).message}`;
    }
    results.push({ file, test, fork: t.network, ok: detail === undefined, detail });
  }
  return results;
}

async function runTest(core: Core, t: BlockchainTestJson, fork: NonNullable<ReturnType<typeof forkByName>>, threads: number,
  fallback: boolean): Promise<string | undefined> {
  const pre = parsePreState(t.pre, undefined);
  loadPreState(core, pre, 'empty');
  const rules = rulesForFork(fork);
  const hashes: Record<string, string> = { [BigInt(t.genesisBlockHeader.number).toString()]: t.genesisBlockHeader.hash };
  for (const [i, b] of t.blocks.entries()) {
    const header = b.blockHeader!;
    const block = rpcBlock(header, b);
    const number = BigInt(header.number);
    const txs = block.transactions.map((tx, j) => parseTransaction(tx, j, number));
    const uncleHeaders = (b.uncleHeaders ?? []).map((u) => ({ number: u.number, miner: u.coinbase }));
    const run = await runBlock(core, block, txs, rules, { blockHashes: hashes, uncleHeaders, executor: await executorFor(core, threads, { allowFallback: fallback }) });
    const problems: string[] = [];
    if (run.gasUsed !== BigInt(header.gasUsed)) problems.push(`gasUsed ${run.gasUsed}, expected ${BigInt(header.gasUsed)}`);
    if (run.logsBloom !== header.bloom.toLowerCase()) problems.push('logs bloom differs');
    if (run.receiptsRoot !== header.receiptTrie.toLowerCase()) problems.push(`receipts root ${run.receiptsRoot}, expected ${header.receiptTrie}`);
    const root = bytesToHex(stateRoot([...core.accounts()].filter((a) => a.exists)));
    if (root !== header.stateRoot.toLowerCase()) problems.push(`state root ${root}, expected ${header.stateRoot}`);
    if (problems.length > 0) return `block ${i + 1} (number ${number}): ${problems.join('; ')}`;
    hashes[number.toString()] = header.hash;
  }
  if (t.postState !== undefined) {
    const post = parsePreState(t.postState, undefined);
    const problems = comparePostState(core, post);
    if (problems.length > 0) return `post-state: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`;
    const diffHash = bytesToHex(core.stateDiff().hash), expected = expectedDiffHash(pre, post);
    if (diffHash !== expected) return `state diff hash ${diffHash}, expected ${expected} (from pre and postState)`;
  } else if (t.postStateHash !== undefined) {
    const root = bytesToHex(stateRoot([...core.accounts()].filter((a) => a.exists)));
    if (!equalBytes(hexToBytes(root), hexToBytes(t.postStateHash))) return `post-state root ${root}, expected ${t.postStateHash}`;
  }
  return undefined;
}
