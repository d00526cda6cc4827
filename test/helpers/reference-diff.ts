// The state diff as parevm first computed it, in TypeScript from the store's records and the parsed
// pre-state: the reference the core's state diff (assembly/state/diff.ts) is checked against.

import { Core } from '../../src/core/core.js';
import { loadPreState, runBlock } from '../../src/block/execute.js';
import { parsePreState, parseTransaction, quantity, type ParsedAccount } from '../../src/block/parse.js';
import type { AccountDiff, ExecuteBlockOptions } from '../../src/block/types.js';
import { mainnet, rulesAt } from '../../src/fork/rules.js';
import { bytesToHex, equalBytes } from '../../src/bytes.js';
import { EMPTY_CODE_HASH } from '../../src/trie/index.js';

const EMPTY_CODE_HASH_HEX = bytesToHex(EMPTY_CODE_HASH);

/** The accounts whose state differs from the pre-state, sorted by address. */
export function referenceDiff(core: Core, pre: Map<string, ParsedAccount>): AccountDiff[] {
  const diffs: AccountDiff[] = [];
  for (const rec of core.accountRecords()) {
    const a = core.accountHeader(rec);
    const address = bytesToHex(a.address);
    const before = pre.get(address);
    const existed = before?.exists ?? false;
    if (!a.exists && !existed) continue;
    // The store holds every slot of the pre-state it has not dropped (a self-destruct or
    // re-creation drops them all), zero or not; a deleted account's slots are all zero now.
    const changed: [bigint, bigint][] = [];
    let kept = 0;
    core.forEachSlot(rec, (slot, value) => {
      const old = before?.storage.get(slot);
      if (old !== undefined) kept++;
      const now = a.exists ? value : 0n;
      if (now !== (old ?? 0n)) changed.push([slot, now]);
    });
    if (before && kept < before.storage.size) {
      const held = new Set<bigint>();
      core.forEachSlot(rec, (slot) => held.add(slot));
      for (const [slot, old] of before.storage) if (old !== 0n && !held.has(slot)) changed.push([slot, 0n]);
    }
    const codeHash = a.exists ? core.codeHashAt(a.code) : EMPTY_CODE_HASH;
    const codeChanged = !equalBytes(codeHash, before?.codeHash ?? EMPTY_CODE_HASH);
    const balance = a.exists ? a.balance : 0n;
    const nonce = a.exists ? a.nonce : 0n;
    if (a.exists === existed && changed.length === 0 && !codeChanged && balance === (before?.balance ?? 0n) && nonce === (before?.nonce ?? 0n)) continue;
    const storage: Record<string, bigint> = {};
    for (const [slot, value] of changed.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) storage['0x' + slot.toString(16).padStart(64, '0')] = value;
    diffs.push({ address, exists: a.exists, balance, nonce, codeHash: codeHash === EMPTY_CODE_HASH ? EMPTY_CODE_HASH_HEX : bytesToHex(codeHash),
      code: codeChanged && a.exists ? bytesToHex(core.codeAt(a.code)) : undefined, storage });
  }
  return diffs.sort((x, y) => (x.address < y.address ? -1 : 1));
}


let core: Promise<Core> | undefined;

/**
 * The reference state diff of a block: the block run sequentially on a core of its own from the
 * same inputs, diffed by `referenceDiff`.
 */
export async function referenceDiffOf(options: Omit<ExecuteBlockOptions, 'threads'>): Promise<AccountDiff[]> {
  core ??= Core.create();
  const c = await core;
  const { block } = options;
  const number = quantity(block, 'number', 'block');
  const txs = block.transactions.map((tx, i) => parseTransaction(tx, i, number));
  const pre = parsePreState(options.preState, options.codes);
  loadPreState(c, pre, options.absent ?? 'empty');
  await runBlock(c, block, txs, rulesAt(options.chain ?? mainnet(), number, quantity(block, 'timestamp', 'block')), options);
  return referenceDiff(c, pre);
}
