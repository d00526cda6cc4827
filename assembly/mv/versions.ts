// The multi-version store of Block-STM: for every location a block's transactions write, the value
// each transaction wrote, by (txIdx, incarnation). It knows nothing of scheduling or the EVM.
//
// Locations (LOC_* kinds): an account's header (balance, nonce, code, flags), one storage slot, and
// one transaction's fee to the coinbase (a separate location per transaction, so fees commute) or
// deferred credit to its recipient.
//
// Layout, all in shared memory allocated for the block:
//   location table   open addressing, `capacity` u32 buckets holding location pointers (0 = empty);
//                    a bucket goes 0 → pointer once, by compare-and-swap; nothing is ever removed.
//   location         +0 u32 kind  +4 u32 newest entry  +8 address word (24 bytes used)  +32 slot word
//                    +64 u32 the store's record of the account or slot, once a read found one there
//                    (0 until then): the final commit writes through it instead of looking it up
//   deferred         right after the table, DEFERRED_SIZE bytes per transaction: its fee's location
//                    and its credit's, each only a kind and a newest entry (found by the transaction's
//                    index: they are not in the table)
//   entry            +0 u32 txIdx  +4 u32 next (the entry of the next lower txIdx)  +8 u64 state
//                    state (one atomic word): low 32 bits the value pointer, high 32 bits the
//                    incarnation (bits 0..28) with ESTIMATE (bit 31) and ABSENT (bit 30)
//
// Ordering rules:
//   - A location's entries form a list sorted by descending txIdx. An entry is linked in once, by the
//     one worker executing that transaction, with a compare-and-swap on its predecessor's link; a
//     failed swap restarts the search. Links never change afterwards.
//   - An entry's state is written only by the worker that owns its transaction at that moment
//     (executing it, or aborting it in validation); readers load it atomically, whole.
//   - A value is written completely before its pointer is published in a state, and never changed
//     afterwards (a new incarnation writes a new value), so a reader can use it without locks.
//   - A location's store record is written by readers, any of them, each the same record (the store
//     is read-only during the block), and read only by the commit, after the block.

import { dropLocalChunk, fatal, sharedAlloc, FATAL_MV_FULL } from "../layout";
import { addressEquals, hashAddress, hashWord, wordEquals } from "../state/hash";

export const LOC_ACCOUNT: u32 = 1;
export const LOC_SLOT: u32 = 2;
export const LOC_FEE: u32 = 3;
/** A plain transfer's deferred credit to its recipient (state/credits.ts); keyed by the transaction, like a fee. */
export const LOC_CREDIT: u32 = 4;

export const L_KIND: usize = 0;
export const L_HEAD: usize = 4;
export const L_ADDRESS: usize = 8;
export const L_SLOT: usize = 32;
export const L_STORE: usize = 64;
export const L_SIZE: usize = 72;
/** A transaction's deferred locations: its fee's (kind and head) at +0, its credit's at +8. */
const DEFERRED_SIZE: usize = 16;

export const E_TX: usize = 0;
export const E_NEXT: usize = 4;
export const E_STATE: usize = 8;
export const E_SIZE: usize = 16;

/** The entry's transaction is being re-executed: its value will likely change. */
export const ESTIMATE: u64 = 1 << 63;
/** The entry's transaction no longer writes the location (its latest incarnation did not). */
export const ABSENT: u64 = 1 << 62;
const INCARNATION_MASK: u64 = 0x1fffffff;

@inline export function stateValue(state: u64): usize { return <usize>(state & 0xffffffff); }
@inline export function stateIncarnation(state: u64): u32 { return <u32>((state >> 32) & INCARNATION_MASK); }
@inline export function makeState(value: usize, incarnation: u32, flags: u64): u64 {
  return <u64>value | (<u64>incarnation << 32) | flags;
}

// The table, per instance (every worker sets the same values from the block's parameters).
let buckets: usize = 0;
let mask: u32 = 0;
let deferred: usize = 0;

/**
 * Allocates an empty table of `capacity` buckets (a power of two) for a block of `n` transactions,
 * and their deferred locations; returns its address.
 */
export function mvCreate(capacity: u32, n: u32): usize {
  const tableBytes = <usize>capacity << 2;
  const b = sharedAlloc(tableBytes + <usize>n * DEFERRED_SIZE);
  memory.fill(b, 0, tableBytes + <usize>n * DEFERRED_SIZE);
  mvAttach(b, capacity);
  for (let k: usize = 0; k < <usize>n; k++) {
    store<u32>(deferred + k * DEFERRED_SIZE + L_KIND, LOC_FEE);
    store<u32>(deferred + k * DEFERRED_SIZE + 8 + L_KIND, LOC_CREDIT);
  }
  return b;
}

/** Points this instance at a block's table (and forgets allocations of earlier blocks). */
export function mvAttach(table: usize, capacity: u32): void {
  dropLocalChunk();
  buckets = table;
  mask = capacity - 1;
  deferred = table + (<usize>capacity << 2);
}

/** The location of transaction `txIdx`'s fee to the coinbase (kind LOC_FEE) or credit to its recipient (LOC_CREDIT). */
export function mvDeferred(kind: u32, txIdx: u32): usize {
  return deferred + <usize>txIdx * DEFERRED_SIZE + (kind == LOC_FEE ? 0 : 8);
}

function locationHash(kind: u32, address: usize, slot: usize): u32 {
  const h = hashAddress(address) ^ (kind * 0x9e3779b9);
  return kind == LOC_SLOT ? h ^ (hashWord(slot) * 0x85ebca6b) : h;
}

function locationMatches(loc: usize, kind: u32, address: usize, slot: usize): bool {
  return load<u32>(loc + L_KIND) == kind && addressEquals(loc + L_ADDRESS, address) &&
    (kind != LOC_SLOT || wordEquals(loc + L_SLOT, slot));
}

/**
 * The location record for (kind, address, slot), inserted if new: LOC_ACCOUNT, or LOC_SLOT (`slot`
 * is ignored for an account). Thread-safe.
 */
export function mvLocation(kind: u32, address: usize, slot: usize): usize {
  let i = locationHash(kind, address, slot) & mask;
  let fresh: usize = 0;
  for (let probes: u32 = 0; probes <= mask; probes++) {
    const bucket = buckets + (<usize>i << 2);
    let loc = <usize>atomic.load<u32>(bucket);
    if (loc == 0) {
      if (fresh == 0) {
        fresh = sharedAlloc(L_SIZE);
        memory.fill(fresh, 0, L_SIZE);
        store<u32>(fresh + L_KIND, kind);
        memory.copy(fresh + L_ADDRESS, address, 24);
        if (kind == LOC_SLOT) memory.copy(fresh + L_SLOT, slot, 32);
      }
      loc = <usize>atomic.cmpxchg<u32>(bucket, 0, <u32>fresh);
      if (loc == 0) return fresh;
    }
    if (locationMatches(loc, kind, address, slot)) return loc;
    i = (i + 1) & mask;
  }
  fatal(FATAL_MV_FULL);
  return 0;
}

/** The entry of `txIdx` at a location, linked in if it has none yet (only txIdx's executor calls this). */
export function mvEntry(loc: usize, txIdx: u32): usize {
  let entry: usize = 0;
  while (true) {
    let link = loc + L_HEAD;
    let cur = <usize>atomic.load<u32>(link);
    while (cur != 0 && load<u32>(cur + E_TX) > txIdx) {
      link = cur + E_NEXT;
      cur = <usize>atomic.load<u32>(link);
    }
    if (cur != 0 && load<u32>(cur + E_TX) == txIdx) return cur;
    if (entry == 0) {
      entry = sharedAlloc(E_SIZE);
      store<u32>(entry + E_TX, txIdx);
      atomic.store<u64>(entry + E_STATE, makeState(0, 0, ABSENT));
    }
    store<u32>(entry + E_NEXT, <u32>cur);
    if (atomic.cmpxchg<u32>(link, <u32>cur, <u32>entry) == <u32>cur) return entry;
  }
}

/** Result of a read: where the value came from. */
export const READ_BASE: u32 = 0; // no lower transaction wrote it: the pre-state holds the value
export const READ_VALUE: u32 = 1; // `readValue` from entry `readTx` at `readIncarnation`
export const READ_DEPENDENCY: u32 = 2; // `readTx` is being re-executed: wait for it

export let readTx: u32 = 0;
export let readIncarnation: u32 = 0;
export let readValue: usize = 0;

/** Reads a location as transaction `txIdx` sees it (the highest lower write), ignoring writes below `from`. */
export function mvRead(loc: usize, txIdx: u32, from: u32): u32 {
  let cur = <usize>atomic.load<u32>(loc + L_HEAD);
  while (cur != 0) {
    const tx = load<u32>(cur + E_TX);
    if (tx < from) break;
    if (tx < txIdx) {
      const state = atomic.load<u64>(cur + E_STATE);
      if ((state & ESTIMATE) != 0) {
        readTx = tx;
        return READ_DEPENDENCY;
      }
      if ((state & ABSENT) == 0) {
        readTx = tx;
        readIncarnation = stateIncarnation(state);
        readValue = stateValue(state);
        return READ_VALUE;
      }
    }
    cur = <usize>atomic.load<u32>(cur + E_NEXT);
  }
  return READ_BASE;
}

/** The location table, for the block's final commit (iterate `mvCapacity` buckets). */
export function mvBuckets(): usize { return buckets; }
export function mvCapacity(): u32 { return mask + 1; }

/**
 * The final write to a location by the transactions from `from` up to `below` (excluded): the highest
 * of their entries that is not absent (0 if none).
 */
export function mvFinal(loc: usize, from: u32, below: u32): usize {
  let cur = <usize>atomic.load<u32>(loc + L_HEAD);
  while (cur != 0 && load<u32>(cur + E_TX) >= below) cur = <usize>atomic.load<u32>(cur + E_NEXT);
  while (cur != 0 && load<u32>(cur + E_TX) >= from) {
    const state = atomic.load<u64>(cur + E_STATE);
    if ((state & ABSENT) == 0) return cur;
    cur = <usize>atomic.load<u32>(cur + E_NEXT);
  }
  return 0;
}
