// The transaction's view of state: every account and slot it touches, loaded once from the pre-state
// store, changed in place, with a journal of old values so a failed call frame can be undone.
// All of it lives in the worker's heap and is dropped when the next transaction begins.
//
// Local account record (LA_SIZE bytes):
//   +0 address word  +32 balance word  +64 u64 nonce  +72 u32 code entry (0 = none)  +76 u32 flags
//   +80 u32 slot buckets  +84 u32 capacity  +88 u32 count  +92 u32 store record (0 = not in store)
//   +96 u32 source: in parallel mode the multi-version value it was read from (0 = the store)
//   +100 u32 storageFrom: with RESET_STORAGE, slot writes below this transaction are void (parallel)
//   +104 u32 location: in parallel mode its multi-version location, once read (0 = not yet)
//
// Where the values come from: the pre-state store in sequential mode; in parallel mode the
// multi-version store first (state/versioned.ts), which also records every read.
// Local slot record (LS_SIZE bytes):
//   +0 key word  +32 original word (value when the transaction began)  +64 current word  +96 u32 flags
//   +100 u32 location: in parallel mode its multi-version location, once read (0 = none)
// Journal entry (J_SIZE bytes): +0 u32 kind  +4 u32 record  +8 u64 old scalar  +16 old word

import {
  heapAlloc, heapAllocZeroed, journalBase, journalEnd, fatal, scratch, FATAL_JOURNAL_FULL, FATAL_MISSING_ACCOUNT,
  FATAL_MISSING_SLOT, SCRATCH_MISSING,
} from "../layout";
import { addressEquals, hashAddress, hashAddressWord, hashWord, wordEquals } from "./hash";
import {
  ACCOUNT_BALANCE, ACCOUNT_CODE, ACCOUNT_FLAGS, ACCOUNT_NONCE, ACCOUNT_NONZERO_SLOTS, SLOT_VALUE,
  STORE_EXISTS, STORE_STORAGE_COMPLETE, absentIsUnknown, storeFindAccount, storeFindSlot,
} from "./store";
import { precompileCount, Eip, has } from "../evm/rules";
import {
  AV_BALANCE, AV_CODE, AV_EXISTS, AV_FLAGS, AV_NONCE, AV_RESET, AV_STORAGE_FROM, keepStoreRecord, lastLocation, lastReadTx, parallelTx,
  readAccountVersion, readCredit, readFee, readSlotVersion,
} from "./versioned";
import { CE_COUNT, CE_LIST, creditsOf } from "./credits";
import { codeLength } from "./code";
import * as u256 from "../u256";

export const LA_ADDRESS: usize = 0;
export const LA_BALANCE: usize = 32;
export const LA_NONCE: usize = 64;
export const LA_CODE: usize = 72;
export const LA_FLAGS: usize = 76;
export const LA_SLOTS: usize = 80;
export const LA_SLOT_CAP: usize = 84;
export const LA_SLOT_COUNT: usize = 88;
export const LA_STORE: usize = 92;
export const LA_SOURCE: usize = 96;
export const LA_STORAGE_FROM: usize = 100;
export const LA_LOCATION: usize = 104;
export const LA_SIZE: usize = 112;

export const LS_KEY: usize = 0;
export const LS_ORIGINAL: usize = 32;
export const LS_CURRENT: usize = 64;
export const LS_FLAGS: usize = 96;
export const LS_LOCATION: usize = 100;
export const LS_SIZE: usize = 104;

// Account flags.
export const EXISTS: u32 = 1; // in the state trie (possibly empty)
export const WARM: u32 = 2; // EIP-2929 accessed
export const TOUCHED: u32 = 4; // EIP-161: deleted at the end of the transaction if empty
export const CREATED: u32 = 8; // created by this transaction (EIP-6780; storage starts empty)
export const DESTRUCTED: u32 = 16; // self-destructed: deleted at the end of the transaction
export const DIRTY: u32 = 32; // changed by this transaction: part of its write set
export const LAZY: u32 = 64; // only warmed so far: its state is read when first needed
export const RESET_STORAGE: u32 = 128; // its storage was cleared earlier in the block (parallel mode)
// Slot flags.
export const SLOT_WARM: u32 = 1;
export const SLOT_DIRTY: u32 = 2;

// Journal kinds.
const J_FLAG: u32 = 1; // a flag was set on an account: clear it (flag in the scalar)
const J_SLOT_WARM: u32 = 2;
const J_BALANCE: u32 = 3;
const J_NONCE: u32 = 4;
const J_STORAGE: u32 = 5;
const J_TRANSIENT: u32 = 6;
const J_CODE: u32 = 7;
const J_SIZE: usize = 48;

const RIPEMD160_LIMB0: u64 = 3;

// ---- per-transaction tables (heap) ----

let accountBuckets: usize = 0;
let accountCap: u32 = 0;
let accountCount: u32 = 0;
let transientBuckets: usize = 0;
let transientCap: u32 = 0;
let transientCount: u32 = 0;
let journalPtr: usize = 0;

/** Starts an empty view; the heap must have been reset. */
export function journalReset(): void {
  accountCap = 64;
  accountBuckets = heapAllocZeroed(<usize>accountCap << 2);
  accountCount = 0;
  transientBuckets = 0;
  transientCap = 0;
  transientCount = 0;
  journalPtr = journalBase;
}

export function accountTableBuckets(): usize { return accountBuckets; }
export function accountTableCapacity(): u32 { return accountCap; }

/** Rehashes a u32-pointer table into twice the capacity; returns the new buckets. */
function regrow(buckets: usize, cap: u32, keyKind: u32): usize {
  const newCap = cap << 1;
  const fresh = heapAllocZeroed(<usize>newCap << 2);
  const mask = newCap - 1;
  for (let i: u32 = 0; i < cap; i++) {
    const rec = <usize>load<u32>(buckets + (<usize>i << 2));
    if (rec == 0) continue;
    let h = keyKind == 0 ? hashAddress(rec) : keyKind == 1 ? hashWord(rec) : hashAddressWord(rec, rec + 32);
    let j = h & mask;
    while (load<u32>(fresh + (<usize>j << 2)) != 0) j = (j + 1) & mask;
    store<u32>(fresh + (<usize>j << 2), <u32>rec);
  }
  return fresh;
}

// ---- accounts ----

/** The transaction's record for an address word with its state read; traps if the state is missing. */
export function loadAccount(address: usize): usize {
  const rec = accountRecord(address);
  if ((flags(rec) & LAZY) != 0) resolveAccount(rec);
  return rec;
}

/** Warms an address (EIP-2929/2930) without reading its state. */
export function warmAddress(address: usize): void {
  warmAccount(accountRecord(address));
}

/** The coinbase, whose fee credits are deferred in parallel mode (state/versioned.ts). */
let coinbase: usize = 0;
export function setCoinbase(address: usize): void { coinbase = address; }

/** Reads an account's state into its record: from the store, or in parallel mode the MV store first. */
function resolveAccount(rec: usize): void {
  store<u32>(rec + LA_FLAGS, flags(rec) & ~LAZY);
  const value = parallelTx >= 0 ? readAccountVersion(rec) : 0;
  if (parallelTx >= 0) store<u32>(rec + LA_LOCATION, <u32>lastLocation);
  const writer = value != 0 ? lastReadTx() : 0; // the transaction whose write it is
  const base = storeFindAccount(rec);
  store<u32>(rec + LA_STORE, <u32>base);
  if (parallelTx >= 0) keepStoreRecord(lastLocation, base);
  if (value != 0) {
    memory.copy(rec + LA_BALANCE, value + AV_BALANCE, 32);
    store<u64>(rec + LA_NONCE, load<u64>(value + AV_NONCE));
    store<u32>(rec + LA_CODE, load<u32>(value + AV_CODE));
    const f = load<u32>(value + AV_FLAGS);
    store<u32>(rec + LA_FLAGS, flags(rec) | ((f & AV_EXISTS) != 0 ? EXISTS : 0) | ((f & AV_RESET) != 0 ? RESET_STORAGE : 0));
    store<u32>(rec + LA_SOURCE, <u32>value);
    store<u32>(rec + LA_STORAGE_FROM, load<u32>(value + AV_STORAGE_FROM));
  } else if (base != 0 && (load<u32>(base + ACCOUNT_FLAGS) & STORE_EXISTS) != 0) {
    memory.copy(rec + LA_BALANCE, base + ACCOUNT_BALANCE, 32);
    store<u64>(rec + LA_NONCE, load<u64>(base + ACCOUNT_NONCE));
    store<u32>(rec + LA_CODE, load<u32>(base + ACCOUNT_CODE));
    store<u32>(rec + LA_FLAGS, flags(rec) | EXISTS);
  } else if (base == 0 && absentIsUnknown()) {
    missing(FATAL_MISSING_ACCOUNT, rec, 0);
  }
  if (parallelTx >= 0 && coinbase != 0 && addressEquals(rec, coinbase)) addDeferredFees(rec, writer);
  if (parallelTx >= 0) {
    const credits = creditsOf(rec);
    if (credits != 0) addDeferredCredits(rec, credits, writer);
  }
}

/**
 * Parallel mode defers plain transfers' credits to some recipients (credits.ts); a transaction that
 * reads such a recipient sees the credits of its candidates from the last transaction that wrote the
 * account on (that one's write includes those before it; a candidate that wrote the account itself
 * deferred nothing). A credit makes the account exist.
 */
function addDeferredCredits(rec: usize, entry: usize, from: u32): void {
  const list = <usize>load<u32>(entry + CE_LIST);
  const count = <usize>load<u32>(entry + CE_COUNT);
  const credit = heapAlloc(32);
  for (let i: usize = 0; i < count; i++) {
    const k = load<u32>(list + (i << 2));
    if (k >= <u32>parallelTx) break;
    if (k < from) continue;
    readCredit(k, credit);
    if (u256.isZero(credit)) continue;
    u256.add(rec + LA_BALANCE, rec + LA_BALANCE, credit);
    store<u32>(rec + LA_FLAGS, flags(rec) | EXISTS);
  }
}

/**
 * Whether the account at `address` has no code, as the current transaction sees its header, without
 * reading it into a record (so without its deferred credits): a plain transfer to it may defer its
 * credit. The header read is recorded: code created there meanwhile invalidates the transaction.
 */
export function hasNoCodeForCredit(address: usize): bool {
  const value = readAccountVersion(address);
  if (value != 0) {
    const code = <usize>load<u32>(value + AV_CODE);
    return (load<u32>(value + AV_FLAGS) & AV_EXISTS) == 0 || code == 0 || codeLength(code) == 0;
  }
  const base = storeFindAccount(address);
  if (base == 0) {
    if (absentIsUnknown()) missing(FATAL_MISSING_ACCOUNT, address, 0);
    return true;
  }
  const code = <usize>load<u32>(base + ACCOUNT_CODE);
  return (load<u32>(base + ACCOUNT_FLAGS) & STORE_EXISTS) == 0 || code == 0 || codeLength(code) == 0;
}

/**
 * Parallel mode defers each transaction's fee to the coinbase as its own write; a transaction that
 * reads the coinbase sees the fees of every earlier transaction from the last one that wrote the
 * account (whose write holds its state before its own fee). A fee credit touches the account
 * (EIP-161: an empty coinbase ceases to exist; before EIP-161 it comes into existence).
 */
function addDeferredFees(rec: usize, from: u32): void {
  const fee = heapAlloc(32);
  for (let k = from; k < <u32>parallelTx; k++) {
    readFee(k, fee);
    u256.add(rec + LA_BALANCE, rec + LA_BALANCE, fee);
  }
  if (from < <u32>parallelTx) {
    if (!has(Eip.EIP158)) store<u32>(rec + LA_FLAGS, flags(rec) | EXISTS);
    else if (isEmpty(rec)) store<u32>(rec + LA_FLAGS, flags(rec) & ~EXISTS);
    else store<u32>(rec + LA_FLAGS, flags(rec) | EXISTS);
  }
}

/** Records which location is missing and traps; the host turns it into an error naming it. */
function missing(reason: u32, address: usize, key: usize): void {
  memory.copy(scratch + SCRATCH_MISSING, address, 32);
  if (key != 0) memory.copy(scratch + SCRATCH_MISSING + 32, key, 32);
  else memory.fill(scratch + SCRATCH_MISSING + 32, 0, 32);
  fatal(reason);
}

/** Finds or creates the record for an address; a new one is LAZY until its state is needed. */
function accountRecord(address: usize): usize {
  const mask = accountCap - 1;
  let i = hashAddress(address) & mask;
  while (true) {
    const rec = <usize>load<u32>(accountBuckets + (<usize>i << 2));
    if (rec == 0) break;
    if (addressEquals(rec, address)) return rec;
    i = (i + 1) & mask;
  }
  const rec = heapAllocZeroed(LA_SIZE);
  store<u64>(rec, load<u64>(address));
  store<u64>(rec, load<u64>(address, 8), 8);
  store<u64>(rec, load<u64>(address, 16), 16);
  store<u32>(rec + LA_FLAGS, LAZY);
  store<u32>(accountBuckets + (<usize>i << 2), <u32>rec);
  accountCount++;
  if (accountCount * 2 > accountCap) {
    accountBuckets = regrow(accountBuckets, accountCap, 0);
    accountCap <<= 1;
  }
  return rec;
}

@inline export function flags(acct: usize): u32 { return load<u32>(acct + LA_FLAGS); }
@inline export function exists(acct: usize): bool { return (flags(acct) & EXISTS) != 0; }
@inline export function codeOf(acct: usize): usize { return <usize>load<u32>(acct + LA_CODE); }

/** EIP-161 empty: no code, zero nonce, zero balance. */
export function isEmpty(acct: usize): bool {
  return load<u64>(acct + LA_NONCE) == 0 && codeLength(codeOf(acct)) == 0 && u256.isZero(acct + LA_BALANCE);
}

/** EIP-161 alive: exists and not empty. */
@inline export function isAlive(acct: usize): bool { return exists(acct) && !isEmpty(acct); }

/**
 * Whether the account has any non-zero storage (the EIP-7610 collision rule). The store's count is
 * exact for the state before the transaction: an account with no code cannot have cleared its own slots.
 */
export function hasStorage(acct: usize): bool {
  const base = <usize>load<u32>(acct + LA_STORE);
  if ((flags(acct) & (CREATED | RESET_STORAGE)) == 0 && base != 0 && load<u32>(base + ACCOUNT_NONZERO_SLOTS) != 0) return true;
  const buckets = <usize>load<u32>(acct + LA_SLOTS);
  const cap = load<u32>(acct + LA_SLOT_CAP);
  for (let i: u32 = 0; i < cap; i++) {
    const s = <usize>load<u32>(buckets + (<usize>i << 2));
    if (s != 0 && !u256.isZero(s + LS_CURRENT)) return true;
  }
  return false;
}

/** Sets an account flag, journaled so a revert clears it again. */
export function setFlag(acct: usize, flag: u32): void {
  const f = flags(acct);
  if ((f & flag) != 0) {
    store<u32>(acct + LA_FLAGS, f | DIRTY);
    return;
  }
  const e = journalPush(J_FLAG, acct);
  store<u64>(e + 8, <u64>flag);
  store<u32>(acct + LA_FLAGS, f | flag | DIRTY);
}

/** Marks an address accessed (EIP-2929); returns true if it was cold. Precompiles are always warm. */
export function warmAccount(acct: usize): bool {
  const f = flags(acct);
  if ((f & WARM) != 0) return false;
  const lo = load<u64>(acct);
  if (lo != 0 && lo <= <u64>precompileCount && (load<u64>(acct, 8) | load<u64>(acct, 16)) == 0) return false;
  const e = journalPush(J_FLAG, acct);
  store<u64>(e + 8, <u64>WARM);
  store<u32>(acct + LA_FLAGS, f | WARM);
  return true;
}

/** Marks the account touched and existing (a state modification in the Yellow Paper's sense). */
@inline export function touch(acct: usize): void {
  if ((flags(acct) & (EXISTS | TOUCHED)) != (EXISTS | TOUCHED)) {
    setFlag(acct, EXISTS);
    setFlag(acct, TOUCHED);
  } else {
    store<u32>(acct + LA_FLAGS, flags(acct) | DIRTY);
  }
}

export function setBalance(acct: usize, value: usize): void {
  const e = journalPush(J_BALANCE, acct);
  memory.copy(e + 16, acct + LA_BALANCE, 32);
  memory.copy(acct + LA_BALANCE, value, 32);
  touch(acct);
}

/** balance += amount (wrapping is impossible with real supply). */
export function addBalance(acct: usize, amount: usize): void {
  const e = journalPush(J_BALANCE, acct);
  memory.copy(e + 16, acct + LA_BALANCE, 32);
  u256.add(acct + LA_BALANCE, acct + LA_BALANCE, amount);
  touch(acct);
}

/** balance -= amount; the caller has checked the balance suffices. */
export function subBalance(acct: usize, amount: usize): void {
  const e = journalPush(J_BALANCE, acct);
  memory.copy(e + 16, acct + LA_BALANCE, 32);
  u256.sub(acct + LA_BALANCE, acct + LA_BALANCE, amount);
  touch(acct);
}

export function setNonce(acct: usize, nonce: u64): void {
  const e = journalPush(J_NONCE, acct);
  store<u64>(e + 8, load<u64>(acct + LA_NONCE));
  store<u64>(acct + LA_NONCE, nonce);
  touch(acct);
}

export function setCode(acct: usize, entry: usize): void {
  const e = journalPush(J_CODE, acct);
  store<u64>(e + 8, <u64>load<u32>(acct + LA_CODE));
  store<u32>(acct + LA_CODE, <u32>entry);
  touch(acct);
}

// ---- storage ----

/** The transaction's record for a storage slot of an account, loaded on first use. */
export function loadSlot(acct: usize, key: usize): usize {
  let buckets = <usize>load<u32>(acct + LA_SLOTS);
  let cap = load<u32>(acct + LA_SLOT_CAP);
  if (buckets == 0) {
    cap = 8;
    buckets = heapAllocZeroed(<usize>cap << 2);
    store<u32>(acct + LA_SLOTS, <u32>buckets);
    store<u32>(acct + LA_SLOT_CAP, cap);
  }
  const mask = cap - 1;
  let i = hashWord(key) & mask;
  while (true) {
    const rec = <usize>load<u32>(buckets + (<usize>i << 2));
    if (rec == 0) break;
    if (wordEquals(rec, key)) return rec;
    i = (i + 1) & mask;
  }
  const rec = heapAlloc(LS_SIZE);
  memory.copy(rec + LS_KEY, key, 32);
  store<u32>(rec + LS_LOCATION, <u32>readSlotInto(acct, key, rec + LS_ORIGINAL));
  memory.copy(rec + LS_CURRENT, rec + LS_ORIGINAL, 32);
  store<u32>(rec + LS_FLAGS, 0);
  store<u32>(buckets + (<usize>i << 2), <u32>rec);
  const count = load<u32>(acct + LA_SLOT_COUNT) + 1;
  store<u32>(acct + LA_SLOT_COUNT, count);
  if (count * 2 > cap) {
    store<u32>(acct + LA_SLOTS, <u32>regrow(buckets, cap, 1));
    store<u32>(acct + LA_SLOT_CAP, cap << 1);
  }
  return rec;
}

/**
 * The value a slot had when the transaction began: 0 for an account this transaction created, else
 * (parallel mode) the highest lower write, else the pre-state store. Returns the slot's multi-version
 * location when it read one (parallel mode), else 0.
 */
function readSlotInto(acct: usize, key: usize, out: usize): usize {
  const f = flags(acct);
  if ((f & CREATED) != 0) {
    memory.fill(out, 0, 32);
    return 0;
  }
  const reset = (f & RESET_STORAGE) != 0;
  let loc: usize = 0;
  if (parallelTx >= 0) {
    const value = readSlotVersion(acct, key, load<u32>(acct + LA_STORAGE_FROM), reset);
    loc = lastLocation;
    if (value != 0 || reset) {
      if (value != 0) memory.copy(out, value, 32);
      else memory.fill(out, 0, 32);
      return loc;
    }
  }
  const base = <usize>load<u32>(acct + LA_STORE);
  const stored = base != 0 ? storeFindSlot(base, key) : 0;
  if (stored == 0 && base != 0 && absentIsUnknown() && (load<u32>(base + ACCOUNT_FLAGS) & STORE_STORAGE_COMPLETE) == 0) {
    missing(FATAL_MISSING_SLOT, acct, key);
  }
  if (stored != 0) memory.copy(out, stored + SLOT_VALUE, 32);
  else memory.fill(out, 0, 32);
  if (loc != 0) keepStoreRecord(loc, stored);
  return loc;
}

/** Marks a slot accessed (EIP-2929); returns true if it was cold. */
export function warmSlot(slot: usize): bool {
  const f = load<u32>(slot + LS_FLAGS);
  if ((f & SLOT_WARM) != 0) return false;
  journalPush(J_SLOT_WARM, slot);
  store<u32>(slot + LS_FLAGS, f | SLOT_WARM);
  return true;
}

export function writeSlot(acct: usize, slot: usize, value: usize): void {
  const e = journalPush(J_STORAGE, slot);
  memory.copy(e + 16, slot + LS_CURRENT, 32);
  memory.copy(slot + LS_CURRENT, value, 32);
  store<u32>(slot + LS_FLAGS, load<u32>(slot + LS_FLAGS) | SLOT_DIRTY);
  store<u32>(acct + LA_FLAGS, flags(acct) | DIRTY);
}

// ---- transient storage (EIP-1153) ----
// Record: +0 address word, +32 key word, +64 value word.

function findTransient(address: usize, key: usize, create: bool): usize {
  if (transientCap == 0) {
    if (!create) return 0;
    transientCap = 16;
    transientBuckets = heapAllocZeroed(<usize>transientCap << 2);
  }
  const mask = transientCap - 1;
  let i = hashAddressWord(address, key) & mask;
  while (true) {
    const rec = <usize>load<u32>(transientBuckets + (<usize>i << 2));
    if (rec == 0) break;
    if (addressEquals(rec, address) && wordEquals(rec + 32, key)) return rec;
    i = (i + 1) & mask;
  }
  if (!create) return 0;
  const rec = heapAllocZeroed(96);
  memory.copy(rec, address, 32);
  memory.copy(rec + 32, key, 32);
  store<u32>(transientBuckets + (<usize>i << 2), <u32>rec);
  transientCount++;
  if (transientCount * 2 > transientCap) {
    transientBuckets = regrow(transientBuckets, transientCap, 2);
    transientCap <<= 1;
  }
  return rec;
}

export function tload(address: usize, key: usize, out: usize): void {
  const rec = findTransient(address, key, false);
  if (rec == 0) memory.fill(out, 0, 32);
  else memory.copy(out, rec + 64, 32);
}

export function tstore(address: usize, key: usize, value: usize): void {
  const rec = findTransient(address, key, true);
  const e = journalPush(J_TRANSIENT, rec);
  memory.copy(e + 16, rec + 64, 32);
  memory.copy(rec + 64, value, 32);
}

// ---- the journal ----

function journalPush(kind: u32, record: usize): usize {
  const e = journalPtr;
  if (e + J_SIZE > journalEnd) fatal(FATAL_JOURNAL_FULL);
  store<u32>(e, kind);
  store<u32>(e, <u32>record, 4);
  journalPtr = e + J_SIZE;
  return e;
}

@inline export function checkpoint(): usize { return journalPtr; }

/** Undoes every change made since the checkpoint, newest first. */
export function revertTo(cp: usize): void {
  let e = journalPtr;
  while (e > cp) {
    e -= J_SIZE;
    const rec = <usize>load<u32>(e, 4);
    switch (load<u32>(e)) {
      case J_FLAG: {
        const flag = <u32>load<u64>(e + 8);
        // EIP-161 quirk kept by every client: the touch of the RIPEMD-160 precompile in mainnet block
        // 2675119 survived the revert of its out-of-gas call, so touches of 0x03 are never undone.
        if (flag == TOUCHED && load<u64>(rec) == RIPEMD160_LIMB0 && load<u64>(rec, 8) == 0 && load<u64>(rec, 16) == 0) break;
        store<u32>(rec + LA_FLAGS, flags(rec) & ~flag);
        break;
      }
      case J_SLOT_WARM: store<u32>(rec + LS_FLAGS, load<u32>(rec + LS_FLAGS) & ~SLOT_WARM); break;
      case J_BALANCE: memory.copy(rec + LA_BALANCE, e + 16, 32); break;
      case J_NONCE: store<u64>(rec + LA_NONCE, load<u64>(e + 8)); break;
      case J_STORAGE: memory.copy(rec + LS_CURRENT, e + 16, 32); break;
      case J_TRANSIENT: memory.copy(rec + 64, e + 16, 32); break;
      case J_CODE: store<u32>(rec + LA_CODE, <u32>load<u64>(e + 8)); break;
      default: break;
    }
  }
  journalPtr = cp;
}
