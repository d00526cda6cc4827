// The pre-state store: the block's starting state in shared memory, read by every worker.
// Accounts, their storage and codes live in open-addressing tables of u32 record pointers
// (linear probing, capacity a power of two, grown at half load). Only the setup code and the
// sequential commit write here, from one thread at a time; during parallel execution it is read-only.
//
// Account record (ACCOUNT_SIZE bytes):
//   +0  address word  +32 balance word  +64 u64 nonce  +72 u32 code entry (0 = no code)
//   +76 u32 flags     +80 u32 storage buckets  +84 u32 capacity  +88 u32 count  +92 u32 non-zero slots
//   the account in the pre-state (storeKeepOriginals; zero for an account added since):
//   +96 balance word  +128 u64 nonce  +136 u32 code entry  +140 u32 ORIGINAL_* flags
//   +144 u32 the pre-state's storage buckets  +148 u32 their capacity, once the storage was dropped
// Slot record: +0 key word, +32 value word, +64 the pre-state's value word (zero for a slot added since).
// The originals are what the state diff (diff.ts) compares with; nothing else reads them.

import { dropLocalChunk, header, H_ACCOUNTS, H_CODES, H_STATE_START, H_STORE_FLAGS, H_BUMP, sharedAlloc } from "../layout";
import { addressEquals, hashAddress, hashWord, wordEquals } from "./hash";
import { CODE_BYTES, CODE_HASH, codeEntrySize, finishCodeEntry } from "./code";

export const ACCOUNT_ADDRESS: usize = 0;
export const ACCOUNT_BALANCE: usize = 32;
export const ACCOUNT_NONCE: usize = 64;
export const ACCOUNT_CODE: usize = 72;
export const ACCOUNT_FLAGS: usize = 76;
export const ACCOUNT_SLOTS: usize = 80;
export const ACCOUNT_SLOT_CAP: usize = 84;
export const ACCOUNT_SLOT_COUNT: usize = 88;
export const ACCOUNT_NONZERO_SLOTS: usize = 92;
export const ACCOUNT_ORIGINAL_BALANCE: usize = 96;
export const ACCOUNT_ORIGINAL_NONCE: usize = 128;
export const ACCOUNT_ORIGINAL_CODE: usize = 136;
export const ACCOUNT_ORIGINAL_FLAGS: usize = 140;
export const ACCOUNT_ORIGINAL_SLOTS: usize = 144;
export const ACCOUNT_ORIGINAL_SLOT_CAP: usize = 148;
export const ACCOUNT_SIZE: usize = 152;

/** The account existed in the pre-state. */
export const ORIGINAL_EXISTS: u32 = 1;
/**
 * The account's storage was dropped since the pre-state (storeClearStorage): the pre-state's slots are
 * in the table at ACCOUNT_ORIGINAL_SLOTS, no longer in the account's.
 */
export const ORIGINAL_SLOTS_MOVED: u32 = 2;

export const SLOT_KEY: usize = 0;
export const SLOT_VALUE: usize = 32;
export const SLOT_ORIGINAL: usize = 64;
export const SLOT_SIZE: usize = 96;

/** The account is in the state (absent records are deleted accounts). */
export const STORE_EXISTS: u32 = 1;
/** Every non-zero slot of the account is in the store, whatever the store-wide rule for absent ones. */
export const STORE_STORAGE_COMPLETE: u32 = 2;

/**
 * Store flag: accounts missing from the store, and slots missing from an account without
 * STORE_STORAGE_COMPLETE, are unknown (reading them is an error) rather than empty.
 */
export const STORE_ABSENT_UNKNOWN: u32 = 1;

@inline export function absentIsUnknown(): bool {
  return (load<u32>(header() + H_STORE_FLAGS) & STORE_ABSENT_UNKNOWN) != 0;
}

/** Sets the store-wide flags (STORE_ABSENT_UNKNOWN). */
export function storeSetFlags(flags: u32): void {
  store<u32>(header() + H_STORE_FLAGS, flags);
}

const INITIAL_CAPACITY: u32 = 64;

// ---- generic table of record pointers ----

@inline function tableBuckets(t: usize): usize { return <usize>load<u32>(t); }
@inline function tableCap(t: usize): u32 { return load<u32>(t, 4); }

function tableInit(t: usize, cap: u32): void {
  const buckets = sharedAlloc(<usize>cap << 2);
  memory.fill(buckets, 0, <usize>cap << 2);
  store<u32>(t, <u32>buckets);
  store<u32>(t, cap, 4);
  store<u32>(t, 0, 8);
}

/** Doubles a table; `keyOffset`/`isAddress` say how to rehash its records. */
function tableGrow(t: usize, keyOffset: usize, isAddress: bool): void {
  const oldBuckets = tableBuckets(t);
  const oldCap = tableCap(t);
  const cap = oldCap << 1;
  const buckets = sharedAlloc(<usize>cap << 2);
  memory.fill(buckets, 0, <usize>cap << 2);
  const mask = cap - 1;
  for (let i: u32 = 0; i < oldCap; i++) {
    const rec = load<u32>(oldBuckets + (<usize>i << 2));
    if (rec == 0) continue;
    const key = <usize>rec + keyOffset;
    let j = (isAddress ? hashAddress(key) : hashWord(key)) & mask;
    while (load<u32>(buckets + (<usize>j << 2)) != 0) j = (j + 1) & mask;
    store<u32>(buckets + (<usize>j << 2), rec);
  }
  store<u32>(t, <u32>buckets);
  store<u32>(t, cap, 4);
}

// ---- the whole store ----

/** Empties the store and frees everything allocated since the state region began. */
export function storeReset(): void {
  dropLocalChunk();
  const h = header();
  atomic.store<u32>(h + H_BUMP, atomic.load<u32>(h + H_STATE_START));
  store<u32>(h + H_STORE_FLAGS, 0);
  tableInit(h + H_ACCOUNTS, INITIAL_CAPACITY);
  tableInit(h + H_CODES, INITIAL_CAPACITY);
}

// ---- accounts ----

/** Finds the account record for an address word, or 0. */
export function storeFindAccount(address: usize): usize {
  const t = header() + H_ACCOUNTS;
  const buckets = tableBuckets(t);
  const mask = tableCap(t) - 1;
  let i = hashAddress(address) & mask;
  while (true) {
    const rec = <usize>load<u32>(buckets + (<usize>i << 2));
    if (rec == 0) return 0;
    if (addressEquals(rec + ACCOUNT_ADDRESS, address)) return rec;
    i = (i + 1) & mask;
  }
}

/** Returns the record for an address, creating an empty, non-existent one (storage known empty) if needed. */
export function storeGetOrInsertAccount(address: usize): usize {
  const found = storeFindAccount(address);
  if (found != 0) return found;
  const t = header() + H_ACCOUNTS;
  if ((load<u32>(t, 8) + 1) * 2 > tableCap(t)) tableGrow(t, ACCOUNT_ADDRESS, true);
  const rec = sharedAlloc(ACCOUNT_SIZE);
  memory.fill(rec, 0, ACCOUNT_SIZE);
  memory.copy(rec + ACCOUNT_ADDRESS, address, 32);
  store<u64>(rec + ACCOUNT_ADDRESS, 0, 24);
  store<u32>(rec + ACCOUNT_FLAGS, STORE_STORAGE_COMPLETE);
  const buckets = tableBuckets(t);
  const mask = tableCap(t) - 1;
  let i = hashAddress(address) & mask;
  while (load<u32>(buckets + (<usize>i << 2)) != 0) i = (i + 1) & mask;
  store<u32>(buckets + (<usize>i << 2), <u32>rec);
  store<u32>(t, load<u32>(t, 8) + 1, 8);
  return rec;
}

/**
 * Makes the store's state the pre-state the state diff compares with: every account's and slot's
 * original is its current value (call once the pre-state is loaded).
 */
export function storeKeepOriginals(): void {
  const buckets = storeAccountBuckets();
  const capacity = storeAccountCapacity();
  for (let i: u32 = 0; i < capacity; i++) {
    const account = <usize>load<u32>(buckets + (<usize>i << 2));
    if (account == 0) continue;
    memory.copy(account + ACCOUNT_ORIGINAL_BALANCE, account + ACCOUNT_BALANCE, 32);
    store<u64>(account + ACCOUNT_ORIGINAL_NONCE, load<u64>(account + ACCOUNT_NONCE));
    store<u32>(account + ACCOUNT_ORIGINAL_CODE, load<u32>(account + ACCOUNT_CODE));
    store<u32>(account + ACCOUNT_ORIGINAL_FLAGS, (load<u32>(account + ACCOUNT_FLAGS) & STORE_EXISTS) != 0 ? ORIGINAL_EXISTS : 0);
    store<u32>(account + ACCOUNT_ORIGINAL_SLOTS, 0);
    store<u32>(account + ACCOUNT_ORIGINAL_SLOT_CAP, 0);
    const slots = <usize>load<u32>(account + ACCOUNT_SLOTS);
    const slotCap = load<u32>(account + ACCOUNT_SLOT_CAP);
    for (let j: u32 = 0; j < slotCap; j++) {
      const slot = <usize>load<u32>(slots + (<usize>j << 2));
      if (slot != 0) memory.copy(slot + SLOT_ORIGINAL, slot + SLOT_VALUE, 32);
    }
  }
}

export function storeAccountCount(): u32 { return load<u32>(header() + H_ACCOUNTS, 8); }
export function storeAccountBuckets(): usize { return tableBuckets(header() + H_ACCOUNTS); }
export function storeAccountCapacity(): u32 { return tableCap(header() + H_ACCOUNTS); }

// ---- storage ----

/** Finds the slot record for a key in an account's storage, or 0. */
export function storeFindSlot(account: usize, key: usize): usize {
  return findSlotIn(<usize>load<u32>(account + ACCOUNT_SLOTS), load<u32>(account + ACCOUNT_SLOT_CAP), key);
}

/** Finds the slot record for a key in a table of slots (`buckets` 0: none), or 0. */
export function findSlotIn(buckets: usize, capacity: u32, key: usize): usize {
  if (buckets == 0) return 0;
  const mask = capacity - 1;
  let i = hashWord(key) & mask;
  while (true) {
    const rec = <usize>load<u32>(buckets + (<usize>i << 2));
    if (rec == 0) return 0;
    if (wordEquals(rec + SLOT_KEY, key)) return rec;
    i = (i + 1) & mask;
  }
}

/** Writes a storage value (a zero is kept too: a known zero), keeping the account's non-zero slot count. */
export function storeSetSlot(account: usize, key: usize, value: usize): void {
  let rec = storeFindSlot(account, key);
  if (rec == 0) {
    const t = account + ACCOUNT_SLOTS;
    if (load<u32>(t) == 0) tableInit(t, 16);
    else if ((load<u32>(t, 8) + 1) * 2 > tableCap(t)) tableGrow(t, SLOT_KEY, false);
    rec = sharedAlloc(SLOT_SIZE);
    memory.copy(rec + SLOT_KEY, key, 32);
    memory.fill(rec + SLOT_VALUE, 0, 64); // and the original
    const buckets = tableBuckets(t);
    const mask = tableCap(t) - 1;
    let i = hashWord(key) & mask;
    while (load<u32>(buckets + (<usize>i << 2)) != 0) i = (i + 1) & mask;
    store<u32>(buckets + (<usize>i << 2), <u32>rec);
    store<u32>(t, load<u32>(t, 8) + 1, 8);
  }
  storeWriteSlot(account, rec, value);
}

/** Writes a storage value into a slot record of the account's table, keeping its non-zero slot count. */
export function storeWriteSlot(account: usize, rec: usize, value: usize): void {
  const isZero = (load<u64>(value) | load<u64>(value, 8) | load<u64>(value, 16) | load<u64>(value, 24)) == 0;
  const v = rec + SLOT_VALUE;
  const wasZero = (load<u64>(v) | load<u64>(v, 8) | load<u64>(v, 16) | load<u64>(v, 24)) == 0;
  memory.copy(v, value, 32);
  const nz = account + ACCOUNT_NONZERO_SLOTS;
  if (wasZero && !isZero) store<u32>(nz, load<u32>(nz) + 1);
  else if (!wasZero && isZero) store<u32>(nz, load<u32>(nz) - 1);
}

/**
 * Drops all of an account's storage (self-destruct, or re-creation at the address). The first time
 * since the pre-state, the table is kept aside for the state diff (ORIGINAL_SLOTS_MOVED).
 */
export function storeClearStorage(account: usize): void {
  const original = load<u32>(account + ACCOUNT_ORIGINAL_FLAGS);
  if ((original & ORIGINAL_SLOTS_MOVED) == 0) {
    store<u32>(account + ACCOUNT_ORIGINAL_SLOTS, load<u32>(account + ACCOUNT_SLOTS));
    store<u32>(account + ACCOUNT_ORIGINAL_SLOT_CAP, load<u32>(account + ACCOUNT_SLOT_CAP));
    store<u32>(account + ACCOUNT_ORIGINAL_FLAGS, original | ORIGINAL_SLOTS_MOVED);
  }
  store<u32>(account + ACCOUNT_SLOTS, 0);
  store<u32>(account + ACCOUNT_SLOT_CAP, 0);
  store<u32>(account + ACCOUNT_SLOT_COUNT, 0);
  store<u32>(account + ACCOUNT_NONZERO_SLOTS, 0);
}

// ---- codes ----

/** Reserves an entry for `len` bytes of code; the caller writes the bytes at entry + CODE_BYTES. */
export function storeCodeAlloc(len: usize): usize {
  return sharedAlloc(codeEntrySize(len));
}

/** Finds a code entry by its hash (32 bytes, big-endian), or 0. */
export function storeFindCode(hash: usize): usize {
  const t = header() + H_CODES;
  const buckets = tableBuckets(t);
  const mask = tableCap(t) - 1;
  let i = hashWord(hash) & mask;
  while (true) {
    const rec = <usize>load<u32>(buckets + (<usize>i << 2));
    if (rec == 0) return 0;
    if (wordEquals(rec + CODE_HASH, hash)) return rec;
    i = (i + 1) & mask;
  }
}

/**
 * Completes a code entry written by the caller (see storeCodeAlloc) and registers it by hash; returns
 * the registered entry, which is an older identical one if the code was already known. `hashed`: the
 * caller has also written the code's hash (it hashed the code already).
 */
export function storeCodeCommit(entry: usize, len: usize, hashed: bool): usize {
  finishCodeEntry(entry, len, !hashed);
  const existing = storeFindCode(entry + CODE_HASH);
  if (existing != 0) return existing;
  const t = header() + H_CODES;
  if ((load<u32>(t, 8) + 1) * 2 > tableCap(t)) tableGrow(t, CODE_HASH, false);
  const buckets = tableBuckets(t);
  const mask = tableCap(t) - 1;
  let i = hashWord(entry + CODE_HASH) & mask;
  while (load<u32>(buckets + (<usize>i << 2)) != 0) i = (i + 1) & mask;
  store<u32>(buckets + (<usize>i << 2), <u32>entry);
  store<u32>(t, load<u32>(t, 8) + 1, 8);
  return entry;
}

/** Copies code from anywhere (e.g. a transaction's heap) into the store; returns the registered entry. */
export function storeCodeCopy(code: usize, len: usize): usize {
  const entry = storeCodeAlloc(len);
  memory.copy(entry + CODE_BYTES, code, len);
  return storeCodeCommit(entry, len, false);
}
