// Sequential commit: writes a finished transaction's changes from the journal's records into the
// store, deleting self-destructed accounts and (EIP-161) touched empty ones.

import { heapBase, heapEnd } from "../layout";
import { Eip, has } from "../evm/rules";
import { CODE_BYTES, codeLength } from "./code";
import * as u256 from "../u256";
import { scratch, sharedAlloc } from "../layout";
import { E_STATE, E_TX, LOC_ACCOUNT, LOC_CREDIT, LOC_FEE, LOC_SLOT, L_ADDRESS, L_KIND, L_SLOT, L_STORE, mvBuckets, mvCapacity, mvDeferred, mvFinal, mvLocation, stateValue } from "../mv/versions";
import { CE_COUNT, CE_LIST, CE_SIZE, creditEntries, creditEntryCount } from "./credits";
import { R_FEE } from "../tx/transaction";
import { addressEquals } from "./hash";
import {
  CREATED, DESTRUCTED, DIRTY, EXISTS, RESET_STORAGE, TOUCHED, LA_BALANCE, LA_CODE, LA_FLAGS, LA_LOCATION, LA_NONCE, LA_SLOTS,
  LA_SLOT_CAP, LA_SLOT_COUNT, LA_SOURCE, LA_STORAGE_FROM, LA_STORE, LS_CURRENT, LS_FLAGS, LS_KEY, LS_LOCATION, LS_ORIGINAL, SLOT_DIRTY,
  accountTableBuckets, accountTableCapacity, isEmpty,
} from "./journal";
import {
  AV_BALANCE, AV_CODE, AV_EXISTS, AV_FLAGS, AV_NONCE, AV_RESET, AV_SIZE, AV_STORAGE_FROM, beginWrites,
  finishIncarnation, parallelTx, sharedCode, writeAccount, writeCredit, writeFee, writeSlot as writeVersionedSlot,
} from "./versioned";
import {
  ACCOUNT_BALANCE, ACCOUNT_CODE, ACCOUNT_FLAGS, ACCOUNT_NONCE, STORE_EXISTS, STORE_STORAGE_COMPLETE, storeClearStorage,
  storeCodeCopy, storeGetOrInsertAccount, storeSetSlot, storeWriteSlot,
} from "./store";

/** Whether the transaction's changes delete this account at its end. */
export function isDeleted(acct: usize): bool {
  const f = load<u32>(acct + LA_FLAGS);
  return (f & DESTRUCTED) != 0 || has(Eip.EIP158) && (f & TOUCHED) != 0 && isEmpty(acct);
}

export function commitTransaction(): void {
  const buckets = accountTableBuckets();
  const cap = accountTableCapacity();
  for (let i: u32 = 0; i < cap; i++) {
    const acct = <usize>load<u32>(buckets + (<usize>i << 2));
    if (acct == 0) continue;
    const f = load<u32>(acct + LA_FLAGS);
    if ((f & DIRTY) == 0) continue;
    const base = storeGetOrInsertAccount(acct);
    if (isDeleted(acct)) {
      memory.fill(base + ACCOUNT_BALANCE, 0, 32);
      store<u64>(base + ACCOUNT_NONCE, 0);
      store<u32>(base + ACCOUNT_CODE, 0);
      store<u32>(base + ACCOUNT_FLAGS, STORE_STORAGE_COMPLETE);
      storeClearStorage(base);
      continue;
    }
    // A created account's storage starts empty, so all of it is known from here on.
    let storeFlags = load<u32>(base + ACCOUNT_FLAGS) & STORE_STORAGE_COMPLETE;
    if ((f & CREATED) != 0) {
      storeClearStorage(base);
      storeFlags = STORE_STORAGE_COMPLETE;
    }
    memory.copy(base + ACCOUNT_BALANCE, acct + LA_BALANCE, 32);
    store<u64>(base + ACCOUNT_NONCE, load<u64>(acct + LA_NONCE));
    let code = <usize>load<u32>(acct + LA_CODE);
    if (code >= heapBase && code < heapEnd) code = storeCodeCopy(code + CODE_BYTES, codeLength(code));
    store<u32>(base + ACCOUNT_CODE, <u32>code);
    store<u32>(base + ACCOUNT_FLAGS, storeFlags | ((f & EXISTS) != 0 ? STORE_EXISTS : 0));
    const slots = <usize>load<u32>(acct + LA_SLOTS);
    const slotCap = load<u32>(acct + LA_SLOT_CAP);
    for (let j: u32 = 0; j < slotCap; j++) {
      const slot = <usize>load<u32>(slots + (<usize>j << 2));
      if (slot != 0 && (load<u32>(slot + LS_FLAGS) & SLOT_DIRTY) != 0) storeSetSlot(base, slot + LS_KEY, slot + LS_CURRENT);
    }
  }
}

/**
 * Parallel mode: publishes the finished incarnation's changes to the multi-version store — the
 * accounts whose header changed, the slots whose value changed, the fee owed to the coinbase and any
 * deferred credit (credits.ts) —
 * and its read set and output. Returns whether it wrote a location its previous incarnation did not.
 */
export function publishTransaction(fee: usize, output: usize, credit: usize = 0): bool {
  const txIdx = <u32>parallelTx;
  const buckets = accountTableBuckets();
  const cap = accountTableCapacity();
  // Every write is an account header, a slot, the fee or a deferred credit.
  let bound: usize = 2;
  for (let i: u32 = 0; i < cap; i++) {
    const acct = <usize>load<u32>(buckets + (<usize>i << 2));
    if (acct != 0) bound += 1 + <usize>load<u32>(acct + LA_SLOT_COUNT);
  }
  beginWrites(bound);
  for (let i: u32 = 0; i < cap; i++) {
    const acct = <usize>load<u32>(buckets + (<usize>i << 2));
    if (acct == 0 || (load<u32>(acct + LA_FLAGS) & DIRTY) == 0) continue;
    const f = load<u32>(acct + LA_FLAGS);
    const deleted = isDeleted(acct);
    // Deleting or creating an account voids its earlier storage (EIP-6780 aside, SELFDESTRUCT clears it).
    const reset = deleted || (f & CREATED) != 0;
    const exists = !deleted && (f & EXISTS) != 0;
    const code: usize = deleted ? 0 : sharedCode(<usize>load<u32>(acct + LA_CODE));
    if (reset || headerChanged(acct, exists, code)) {
      const value = sharedAlloc(AV_SIZE);
      if (deleted) memory.fill(value, 0, 40);
      else {
        memory.copy(value + AV_BALANCE, acct + LA_BALANCE, 32);
        store<u64>(value + AV_NONCE, load<u64>(acct + LA_NONCE));
      }
      store<u32>(value + AV_CODE, <u32>code);
      const wasReset = (f & RESET_STORAGE) != 0;
      store<u32>(value + AV_FLAGS, (exists ? AV_EXISTS : 0) | (reset || wasReset ? AV_RESET : 0));
      store<u32>(value + AV_STORAGE_FROM, reset ? txIdx : load<u32>(acct + LA_STORAGE_FROM));
      writeAccount(acct, value, <usize>load<u32>(acct + LA_LOCATION));
    }
    if (deleted) continue;
    const slots = <usize>load<u32>(acct + LA_SLOTS);
    const slotCap = load<u32>(acct + LA_SLOT_CAP);
    for (let j: u32 = 0; j < slotCap; j++) {
      const slot = <usize>load<u32>(slots + (<usize>j << 2));
      if (slot == 0 || (load<u32>(slot + LS_FLAGS) & SLOT_DIRTY) == 0) continue;
      if (u256.eq(slot + LS_CURRENT, slot + LS_ORIGINAL)) continue;
      writeVersionedSlot(acct, slot + LS_KEY, slot + LS_CURRENT, <usize>load<u32>(slot + LS_LOCATION));
    }
  }
  writeFee(fee);
  if (credit != 0) writeCredit(credit);
  return finishIncarnation(output);
}

/** Whether an account's header differs from the version it was read from. */
function headerChanged(acct: usize, exists: bool, code: usize): bool {
  const source = <usize>load<u32>(acct + LA_SOURCE);
  if (source != 0) {
    return !u256.eq(acct + LA_BALANCE, source + AV_BALANCE) || load<u64>(acct + LA_NONCE) != load<u64>(source + AV_NONCE) ||
      code != <usize>load<u32>(source + AV_CODE) || exists != ((load<u32>(source + AV_FLAGS) & AV_EXISTS) != 0);
  }
  const base = <usize>load<u32>(acct + LA_STORE);
  const existed = base != 0 && (load<u32>(base + ACCOUNT_FLAGS) & STORE_EXISTS) != 0;
  if (!existed) return exists || !u256.isZero(acct + LA_BALANCE) || load<u64>(acct + LA_NONCE) != 0 || code != 0;
  return !exists || !u256.eq(acct + LA_BALANCE, base + ACCOUNT_BALANCE) || load<u64>(acct + LA_NONCE) != load<u64>(base + ACCOUNT_NONCE) ||
    code != <usize>load<u32>(base + ACCOUNT_CODE);
}

/**
 * After a parallel block: writes the final version of every location by its first `txCount`
 * transactions into the store — account headers first (clearing the storage of accounts reset during
 * the block), then slots at or above their account's reset, then the coinbase's deferred fees. The
 * store then holds the state after transaction txCount - 1 (the post-state when txCount is all).
 */
export function commitVersions(txCount: u32, coinbaseAddress: usize): void {
  const table = mvBuckets();
  const capacity = mvCapacity();
  // One walk of the table: account headers at once, the slots' final entries listed for after them.
  const slots = sharedAlloc(<usize>capacity << 3);
  let slotCount: usize = 0;
  for (let i: u32 = 0; i < capacity; i++) {
    const loc = <usize>load<u32>(table + (<usize>i << 2));
    if (loc == 0) continue;
    const kind = load<u32>(loc + L_KIND);
    if (kind != LOC_ACCOUNT && kind != LOC_SLOT) continue;
    const entry = mvFinal(loc, 0, txCount);
    if (entry == 0) continue;
    if (kind == LOC_SLOT) {
      store<u32>(slots + (slotCount << 3), <u32>loc);
      store<u32>(slots + (slotCount << 3), <u32>entry, 4);
      slotCount++;
      continue;
    }
    const kept = <usize>load<u32>(loc + L_STORE);
    applyAccount(kept != 0 ? kept : storeGetOrInsertAccount(loc + L_ADDRESS), stateValue(load<u64>(entry + E_STATE)));
  }
  // Slots of one contract are many (a token's balances): its reset point and store record are
  // looked up once for a run of its slots.
  let account: usize = 0; // a slot location of the account last looked up
  let reset = false; // its storage was dropped during the block (applyAccount cleared it)
  let resetAt: u32 = 0; // its storage's last reset: writes below are void
  let record: usize = 0; // its store record
  for (let k: usize = 0; k < slotCount; k++) {
    const loc = <usize>load<u32>(slots + (k << 3));
    const entry = <usize>load<u32>(slots + (k << 3), 4);
    if (account == 0 || !addressEquals(loc + L_ADDRESS, account + L_ADDRESS)) {
      account = loc;
      const header = mvFinal(mvLocation(LOC_ACCOUNT, loc + L_ADDRESS, 0), 0, txCount);
      const value: usize = header == 0 ? 0 : stateValue(load<u64>(header + E_STATE));
      reset = value != 0 && (load<u32>(value + AV_FLAGS) & AV_RESET) != 0;
      resetAt = reset ? load<u32>(value + AV_STORAGE_FROM) : 0;
      record = storeGetOrInsertAccount(loc + L_ADDRESS);
    }
    if (load<u32>(entry + E_TX) < resetAt) continue;
    // A slot record a read found is still the account's unless its storage was dropped since.
    const kept = <usize>load<u32>(loc + L_STORE);
    const value = stateValue(load<u64>(entry + E_STATE));
    if (kept != 0 && !reset) storeWriteSlot(record, kept, value);
    else storeSetSlot(record, loc + L_SLOT, value);
  }
  commitCredits(txCount);
  // The coinbase: its last written header plus every fee from that transaction on (or all of them).
  const last = mvFinal(mvLocation(LOC_ACCOUNT, coinbaseAddress, 0), 0, txCount);
  const from: u32 = last == 0 ? 0 : load<u32>(last + E_TX);
  if (from >= txCount) return;
  const rec = storeGetOrInsertAccount(coinbaseAddress);
  for (let k = from; k < txCount; k++) {
    const fee = mvFinal(mvDeferred(LOC_FEE, k), 0, txCount);
    if (fee != 0) u256.add(rec + ACCOUNT_BALANCE, rec + ACCOUNT_BALANCE, stateValue(load<u64>(fee + E_STATE)));
  }
  touchedByFees(rec);
}

/**
 * After transactions run with executeIndependent: credits the coinbase with the fees in the result
 * records of the first `n` (`outputs` holds their addresses, `stride` bytes apart).
 */
export function creditDeferredFees(outputs: usize, stride: usize, n: u32, coinbaseAddress: usize): void {
  const rec = storeGetOrInsertAccount(coinbaseAddress);
  for (let i: u32 = 0; i < n; i++) {
    const output = <usize>load<u32>(outputs + <usize>i * stride);
    u256.add(rec + ACCOUNT_BALANCE, rec + ACCOUNT_BALANCE, output + R_FEE);
  }
  touchedByFees(rec);
}

/** The fee credits touched the coinbase: before EIP-161 that makes it exist, after it an empty one is deleted. */
function touchedByFees(rec: usize): void {
  const empty = u256.isZero(rec + ACCOUNT_BALANCE) && load<u64>(rec + ACCOUNT_NONCE) == 0 && load<u32>(rec + ACCOUNT_CODE) == 0;
  const f = load<u32>(rec + ACCOUNT_FLAGS);
  store<u32>(rec + ACCOUNT_FLAGS, !has(Eip.EIP158) || !empty ? f | STORE_EXISTS : f & ~STORE_EXISTS);
}

/**
 * The deferred credits (credits.ts) of the first `txCount` transactions: each recipient gets those of
 * its candidates from the last transaction that wrote its header on (that write includes the ones
 * before), and exists once credited.
 */
function commitCredits(txCount: u32): void {
  const count = creditEntryCount();
  const entries = creditEntries();
  for (let e: u32 = 0; e < count; e++) {
    const entry = entries + <usize>e * CE_SIZE;
    const last = mvFinal(mvLocation(LOC_ACCOUNT, entry, 0), 0, txCount);
    const from: u32 = last == 0 ? 0 : load<u32>(last + E_TX);
    const list = <usize>load<u32>(entry + CE_LIST);
    const n = <usize>load<u32>(entry + CE_COUNT);
    let rec: usize = 0;
    for (let i: usize = 0; i < n; i++) {
      const k = load<u32>(list + (i << 2));
      if (k >= txCount) break;
      if (k < from) continue;
      const credit = mvFinal(mvDeferred(LOC_CREDIT, k), 0, txCount);
      if (credit == 0 || u256.isZero(stateValue(load<u64>(credit + E_STATE)))) continue;
      if (rec == 0) rec = storeGetOrInsertAccount(entry);
      u256.add(rec + ACCOUNT_BALANCE, rec + ACCOUNT_BALANCE, stateValue(load<u64>(credit + E_STATE)));
      store<u32>(rec + ACCOUNT_FLAGS, load<u32>(rec + ACCOUNT_FLAGS) | STORE_EXISTS);
    }
  }
}

/** Writes a final account header (AV layout) into its store record. */
function applyAccount(rec: usize, value: usize): void {
  const flags = load<u32>(value + AV_FLAGS);
  if ((flags & AV_RESET) != 0) storeClearStorage(rec);
  memory.copy(rec + ACCOUNT_BALANCE, value + AV_BALANCE, 32);
  store<u64>(rec + ACCOUNT_NONCE, load<u64>(value + AV_NONCE));
  store<u32>(rec + ACCOUNT_CODE, load<u32>(value + AV_CODE));
  const storageComplete = (flags & AV_RESET) != 0 ? STORE_STORAGE_COMPLETE : load<u32>(rec + ACCOUNT_FLAGS) & STORE_STORAGE_COMPLETE;
  store<u32>(rec + ACCOUNT_FLAGS, storageComplete | ((flags & AV_EXISTS) != 0 ? STORE_EXISTS : 0));
}
