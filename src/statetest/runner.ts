// Runs Ethereum `state_test` fixtures (ethereum/tests GeneralStateTests format): for each post case,
// build the pre-state, execute the selected transaction, then compare the post-state root and the
// logs hash. A case expecting an exception must be rejected with no state change.

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, equalBytes, hexToBigInt, hexToBytes, keccak256 } from '../bytes.js';
import { Core, statusName } from '../core/core.js';
import { blobBaseFee, writeBlock, writeTx, type BlockEnv, type TxInput } from '../core/inputs.js';
import { invalidTxKind } from '../core/errors.js';
import { Fork } from '../fork/forks.js';
import { forkByName, rulesForFork } from '../fork/rules.js';
import { logsHash, stateRoot } from '../trie/index.js';

/** One post case's outcome. */
export interface CaseResult {
  file: string;
  test: string;
  fork: string;
  /** Which transaction variant (state tests only). */
  indexes?: { data: number; gas: number; value: number };
  ok: boolean;
  /** What differed, for a failure. */
  detail?: string;
}

interface StateTestJson {
  env: Record<string, string>;
  pre: Record<string, { balance: string; nonce: string; code: string; storage: Record<string, string> }>;
  transaction: Record<string, unknown>;
  post: Record<string, { hash: string; logs: string; indexes: { data: number; gas: number; value: number }; expectException?: string }[]>;
}

/** Thrown for input that is not a state test; the message names the file and what is wrong. */
export class StateTestInputError extends Error {}

/** Whether parsed JSON looks like a state_test file (every entry has env, pre, transaction, post). */
export function isStateTestFile(json: unknown): json is Record<string, StateTestJson> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const tests = Object.values(json);
  return tests.length > 0 && tests.every((t) => typeof t === 'object' && t !== null &&
    'env' in t && 'pre' in t && 'transaction' in t && 'post' in t);
}

function hexField(obj: Record<string, unknown>, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== 'string') throw new StateTestInputError(`${where}: field "${key}" is missing or not a hex string`);
  return v;
}

function quantity(hex: string, what: string): bigint {
  return hex === '' || hex === '0x' ? 0n : hexToBigInt(hex, what);
}

/** keccak256 of the decimal block number: the block hashes state tests are filled with. */
function testBlockHashes(number: bigint): (Uint8Array | undefined)[] {
  const hashes: (Uint8Array | undefined)[] = [];
  for (let i = 0n; i < 256n && number - 1n - i >= 0n; i++) {
    hashes.push(keccak256(new TextEncoder().encode((number - 1n - i).toString())));
  }
  return hashes;
}

function senderOf(tx: Record<string, unknown>, where: string): Uint8Array {
  if (typeof tx.sender === 'string') return hexToBytes(tx.sender, `${where} sender`);
  const key = hexToBytes(hexField(tx, 'secretKey', where), `${where} secretKey`);
  return keccak256(secp256k1.getPublicKey(key, false).subarray(1)).subarray(12);
}

function buildTx(json: Record<string, unknown>, idx: { data: number; gas: number; value: number }, where: string): TxInput {
  const pick = (key: string, i: number): string => {
    const list = json[key];
    if (!Array.isArray(list) || typeof list[i] !== 'string') {
      throw new StateTestInputError(`${where}: transaction.${key}[${i}] is missing`);
    }
    return list[i];
  };
  const accessLists = json.accessLists as ({ address: string; storageKeys: string[] }[] | null)[] | undefined;
  const accessList = accessLists?.[idx.data] ?? undefined;
  const blobHashes = json.blobVersionedHashes as string[] | undefined;
  const isBlob = blobHashes !== undefined || json.maxFeePerBlobGas !== undefined;
  const isFeeMarket = json.maxFeePerGas !== undefined;
  const type = isBlob ? 3 : isFeeMarket ? 2 : accessList !== undefined ? 1 : 0;
  const to = hexField(json, 'to', where);
  return {
    type,
    from: senderOf(json, where),
    to: to === '' ? undefined : hexToBytes(to, `${where} to`),
    value: quantity(pick('value', idx.value), `${where} value`),
    gasLimit: quantity(pick('gasLimit', idx.gas), `${where} gasLimit`),
    nonce: quantity(hexField(json, 'nonce', where), `${where} nonce`),
    gasPrice: quantity(isFeeMarket ? hexField(json, 'maxFeePerGas', where) : hexField(json, 'gasPrice', where), `${where} gas price`),
    maxPriorityFeePerGas: isFeeMarket ? quantity(hexField(json, 'maxPriorityFeePerGas', where), `${where} maxPriorityFeePerGas`) : 0n,
    maxFeePerBlobGas: isBlob ? quantity(hexField(json, 'maxFeePerBlobGas', where), `${where} maxFeePerBlobGas`) : 0n,
    data: hexToBytes(pick('data', idx.data), `${where} data`),
    accessList: (accessList ?? []).map((e) => ({
      address: hexToBytes(e.address, `${where} access list address`),
      storageKeys: e.storageKeys.map((k) => hexToBytes(k, `${where} access list key`)),
    })),
    blobVersionedHashes: (blobHashes ?? []).map((h) => hexToBytes(h, `${where} blob hash`)),
  };
}

function buildEnv(env: Record<string, string>, fork: Fork, where: string): BlockEnv {
  const number = quantity(hexField(env, 'currentNumber', where), `${where} currentNumber`);
  const merged = fork >= Fork.Paris;
  return {
    coinbase: hexToBytes(hexField(env, 'currentCoinbase', where), `${where} currentCoinbase`),
    number,
    timestamp: quantity(hexField(env, 'currentTimestamp', where), `${where} currentTimestamp`),
    gasLimit: quantity(hexField(env, 'currentGasLimit', where), `${where} currentGasLimit`),
    baseFee: env.currentBaseFee !== undefined ? quantity(env.currentBaseFee, `${where} currentBaseFee`) : 0n,
    prevRandao: merged && env.currentRandom !== undefined
      ? quantity(env.currentRandom, `${where} currentRandom`)
      : quantity(env.currentDifficulty ?? '0x0', `${where} currentDifficulty`),
    blobBaseFee: blobBaseFee(env.currentExcessBlobGas !== undefined ? quantity(env.currentExcessBlobGas, `${where} currentExcessBlobGas`) : 0n),
    chainId: 1n,
    blockHashes: testBlockHashes(number),
  };
}

/** Runs every post case of one state_test file (all forks, or only `onlyFork`). */
export function runStateTestFile(core: Core, file: string, json: Record<string, StateTestJson>, onlyFork?: string, skipped?: Map<string, number>): CaseResult[] {
  const results: CaseResult[] = [];
  for (const [test, t] of Object.entries(json)) {
    for (const [forkName, posts] of Object.entries(t.post)) {
      if (onlyFork !== undefined && forkName !== onlyFork) continue;
      const fork = forkByName(forkName);
      if (fork === undefined) {
        const reason = `fork ${forkName} is not supported`;
        skipped?.set(reason, (skipped.get(reason) ?? 0) + posts.length);
        continue;
      }
      for (const post of posts) {
        const where = `${file} ${test} ${forkName}[d${post.indexes.data},g${post.indexes.gas},v${post.indexes.value}]`;
        let detail: string | undefined;
        try {
          detail = runCase(core, t, fork, post, where);
        } catch (error) {
          detail = `error: ${(error as Error).message}`;
        }
        results.push({ file, test, fork: forkName, indexes: post.indexes, ok: detail === undefined, detail });
      }
    }
  }
  return results;
}

/** Runs one post case; returns what differed, or undefined when it passes. */
function runCase(core: Core, t: StateTestJson, fork: Fork, post: StateTestJson['post'][string][number], where: string): string | undefined {
  core.resetState();
  for (const [address, account] of Object.entries(t.pre)) {
    const storage: [bigint, bigint][] = Object.entries(account.storage ?? {}).map(([k, v]) =>
      [quantity(k, `${where} pre ${address} storage key`), quantity(v, `${where} pre ${address} storage value`)]);
    core.putAccount(hexToBytes(address, `${where} pre address`), quantity(account.balance, `${where} pre ${address} balance`),
      quantity(account.nonce, `${where} pre ${address} nonce`), core.putCode(hexToBytes(account.code ?? '0x', `${where} pre ${address} code`)), storage);
  }
  const rules = rulesForFork(fork);
  core.configure(fork, rules.eips);
  const env = buildEnv(t.env, fork, where);
  core.setBlock(writeBlock(core, env));
  let tx: TxInput;
  try {
    tx = buildTx(t.transaction, post.indexes, where);
  } catch (error) {
    // A transaction the fixture itself marks invalid may not even decode (e.g. a value past 2^256).
    if (post.expectException !== undefined) return undefined;
    throw error;
  }
  const U256_MAX = (1n << 256n) - 1n;
  const outOfRange = [tx.value, tx.gasPrice, tx.maxPriorityFeePerGas, tx.maxFeePerBlobGas].some((v) => v > U256_MAX);
  let validity = 0;
  let logs: ReturnType<Core['result']>['logs'] = [];
  let note = '';
  if (!outOfRange) {
    validity = core.execute(writeTx(core, tx, env.gasLimit));
    if (validity === 0) {
      const r = core.result();
      logs = r.logs;
      note = ` (status: ${statusName(r.status)}, gas used ${r.gasUsed})`;
      core.commit();
    }
  }
  if (post.expectException !== undefined && validity === 0 && !outOfRange) {
    return `expected exception ${post.expectException}, but the transaction was executed${note}`;
  }
  if (post.expectException === undefined && (validity !== 0 || outOfRange)) {
    return `transaction rejected: ${outOfRange ? 'a value exceeds 2^256' : invalidTxKind(validity)}`;
  }
  const root = stateRoot([...core.accounts()].filter((a) => a.exists));
  const problems: string[] = [];
  if (!equalBytes(root, hexToBytes(post.hash))) problems.push(`state root ${bytesToHex(root)}, expected ${post.hash}`);
  if (post.expectException === undefined) {
    const hash = logsHash(logs);
    if (!equalBytes(hash, hexToBytes(post.logs))) problems.push(`logs hash ${bytesToHex(hash)}, expected ${post.logs}`);
  }
  return problems.length === 0 ? undefined : problems.join('; ') + note;
}
