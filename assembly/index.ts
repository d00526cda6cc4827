// The core's exports: what TypeScript (src/core/) calls. Everything runs on the shared memory; each
// worker instance attaches its own arena first.

import * as u256 from "./u256";
import { header, H_EMPTY_CODE, H_EMPTY_CODE_HASH, initShared, opTable, fatalReason, FATAL_NONE, sharedAlloc, sharedAllocPermanent, scratch, SCRATCH_MISSING } from "./layout";
import { orderedLeavesBytes, orderedRoot, ORDERED_ROOT_WORK } from "./trie/ordered";
import { configureRules } from "./evm/rules";
import { buildOpTable } from "./evm/opcodes";
import { finishCodeEntry, codeEntrySize, CODE_HASH } from "./state/code";
import { setParallel } from "./state/versioned";
import { executeTransaction as execute, setFeeDeferred, wroteNewLocation as wroteNew } from "./tx/transaction";

export { attachArena, reserveShared, sharedAlloc, sharedAllocPermanent } from "./layout";
export { setBlock } from "./evm/context";
export {
  storeReset, storeGetOrInsertAccount, storeFindAccount, storeSetSlot, storeFindSlot,
  storeCodeAlloc, storeCodeCommit, storeFindCode, storeAccountBuckets, storeAccountCapacity, storeAccountCount,
} from "./state/store";
export { transactionResult, transactionOutput, publishMissingState } from "./tx/transaction";
export { receiptLeaves, gasUsedBetween, blockTotals, firstOutOfOrder } from "./tx/receipt";
export { snapshotResults } from "./tx/snapshot";

/** Executes the transaction struct at `tx` sequentially against the store; returns its validity code. */
export function executeTransaction(tx: usize): u32 {
  setParallel(-1, 0);
  setFeeDeferred(false);
  return execute(tx);
}

/**
 * Executes a transaction against the store as `executeTransaction` does, but leaves the coinbase's
 * fee in its result record: threads run transactions that share no account at once this way
 * (src/block/parallel.ts), and the fees are credited afterwards (`creditDeferredFees`).
 */
export function executeIndependent(tx: usize): u32 {
  setParallel(-1, 0);
  setFeeDeferred(true);
  return execute(tx);
}
export { storeSetFlags, storeKeepOriginals } from "./state/store";
export { stateDiff } from "./state/diff";
export { keccak256 } from "./crypto/keccak";

/** Where a FATAL_MISSING_* trap left the missing address word and slot key word. */
export function missingLocation(): usize { return scratch + SCRATCH_MISSING; }
export { commitTransaction, commitVersions, creditDeferredFees } from "./state/commit";
export { mvCreate, mvAttach } from "./mv/versions";
export { creditsBuild, creditsAttach } from "./state/credits";
export { setTxSlots, validateReads, markEstimates, TX_SLOT_SIZE } from "./state/versioned";

/**
 * Executes transaction `txIdx` (its struct at `tx`) as `incarnation` in parallel mode: reads through
 * the multi-version store, publishes its writes, read set and output (state/versioned.ts). Returns the
 * validity code; `wroteNewLocation()` tells whether it wrote a location its previous incarnation did
 * not. A read of an estimate traps with FATAL_DEPENDENCY (the transaction it waits for is in its record).
 */
export function executeParallel(tx: usize, txIdx: u32, incarnation: u32): u32 {
  setParallel(<i32>txIdx, incarnation);
  return execute(tx);
}

export function wroteNewLocation(): bool { return wroteNew; }

/** Sets up the shared header and the constants every instance reads. Call once per memory. */
export function init(): void {
  initShared();
  const empty = sharedAllocPermanent(codeEntrySize(0));
  finishCodeEntry(empty, 0, true);
  store<u32>(header() + H_EMPTY_CODE, <u32>empty);
  u256.fromBigEndian(header() + H_EMPTY_CODE_HASH, empty + CODE_HASH, 32);
}

/** Chooses the fork rules (EIP bits, src/fork/rules.ts) for the following transactions. */
export function configure(eips: u32): void {
  configureRules(eips);
  buildOpTable(opTable);
}

/** Why the last trap happened (layout.ts FATAL_*), and clears it. */
export function takeFatalReason(): u32 {
  const r = fatalReason;
  fatalReason = FATAL_NONE;
  return r;
}

/** Writes to `out` the receipts root of a block of n ≥ 1 transactions from its leaf hashes (receiptLeaves). */
export function receiptsRoot(n: u32, leaves: usize, out: usize): void {
  orderedRoot(n, leaves, sharedAlloc(ORDERED_ROOT_WORK), out);
}

/** Room for the receipt leaf hashes of n transactions and their bottom branches (trie/ordered.ts), the branches not yet hashed. */
export function receiptLeavesAlloc(n: u32): usize {
  const bytes = orderedLeavesBytes(n);
  const at = sharedAlloc(bytes);
  memory.fill(at + (<usize>n << 5), 0, bytes - (<usize>n << 5));
  return at;
}
