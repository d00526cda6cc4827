// The journal's view of state during parallel execution: reads go through the multi-version store
// (highest lower write, else the pre-state store) and are recorded in a read set; a finished
// incarnation publishes what it changed as its write set, and validation re-reads the read set.
// This is the executor's glue between the journal (state/journal.ts) and the MV store (mv/).
//
// Per-transaction records, in shared memory allocated per block (TX_SLOT_SIZE bytes each):
//   +0 u32 read set  +8 u32 write set  +16 u32 output record (the result and logs, in shared memory)
//   +20 u32 the transaction it waits for (after a dependency)
// Each set is one allocation, a u32 count then the entries, published by one atomic store of its
// address: a validator may read the record while the transaction's next incarnation replaces it, and
// must see one whole set (old or new), never a new address with an old count.
// Read-set entry (RS_SIZE): +0 u32 location  +4 u32 txIdx+1 of the version seen (0 = pre-state)
//   +8 u32 incarnation  +12 u32 the slot reads' lower bound (`from`) it was read with
// Write-set entry: u32 address of the MV entry.
// Account value (AV_SIZE): +0 balance word  +32 u64 nonce  +40 u32 code entry  +44 u32 flags
//   +48 u32 storageFrom: with AV_RESET, slot writes below this transaction and the pre-state are void

import * as u256 from "../u256";
import { fatal, sharedAlloc, heapAlloc, heapBase, heapEnd, FATAL_BUG, FATAL_DEPENDENCY } from "../layout";
import {
  ABSENT, ESTIMATE, E_STATE, LOC_ACCOUNT, LOC_CREDIT, LOC_FEE, LOC_SLOT, L_STORE, READ_BASE, READ_DEPENDENCY, READ_VALUE, makeState,
  mvDeferred, mvEntry, mvLocation, mvRead, readIncarnation, readTx, readValue, stateIncarnation, stateValue,
} from "../mv/versions";
import { CODE_BYTES, codeLength } from "./code";

export const TX_SLOT_SIZE: usize = 32;
const RS_SIZE: usize = 16;

export const AV_BALANCE: usize = 0;
export const AV_NONCE: usize = 32;
export const AV_CODE: usize = 40;
export const AV_FLAGS: usize = 44;
export const AV_STORAGE_FROM: usize = 48;
export const AV_SIZE: usize = 56;
export const AV_EXISTS: u32 = 1;
export const AV_RESET: u32 = 2;

// ---- mode ----

/** The transaction being executed in parallel mode, or -1 in sequential mode. */
export let parallelTx: i32 = -1;
export let parallelIncarnation: u32 = 0;
/** The block's per-transaction records. */
let txSlots: usize = 0;

/** Enters parallel mode for a block's records (TX_SLOT_SIZE × transactions), or leaves it with 0. */
export function setTxSlots(slots: usize): void {
  txSlots = slots;
}

@inline export function txSlot(txIdx: u32): usize { return txSlots + <usize>txIdx * TX_SLOT_SIZE; }

/** Makes the next transaction execute in parallel mode as (txIdx, incarnation); -1 for sequential. */
export function setParallel(txIdx: i32, incarnation: u32): void {
  parallelTx = txIdx;
  parallelIncarnation = incarnation;
}

/** Starts the read set (the transaction's heap has just been reset). */
export function beginReads(): void {
  readCount = 0;
  readCap = 64;
  reads = heapAlloc(readCap * RS_SIZE);
}

// ---- reads ----

let reads: usize = 0;
let readCount: usize = 0;
let readCap: usize = 0;

function recordRead(loc: usize, result: u32, from: u32): void {
  if (readCount == readCap) {
    const grown = heapAlloc(readCap * 2 * RS_SIZE);
    memory.copy(grown, reads, readCount * RS_SIZE);
    reads = grown;
    readCap *= 2;
  }
  const e = reads + readCount * RS_SIZE;
  store<u32>(e, <u32>loc);
  store<u32>(e, result == READ_VALUE ? readTx + 1 : 0, 4);
  store<u32>(e, result == READ_VALUE ? readIncarnation : 0, 8);
  store<u32>(e, from, 12);
  readCount++;
}

/** Traps so the host can make the transaction wait for `blocking` (it is being re-executed). */
function dependOn(blocking: u32): void {
  store<u32>(txSlot(<u32>parallelTx) + 20, blocking);
  fatal(FATAL_DEPENDENCY);
}

/**
 * Reads an account's header as the current transaction sees it. Returns the value (AV layout) it
 * came from, or 0 when no lower transaction wrote it (the caller reads the pre-state store).
 */
export function readAccountVersion(address: usize): usize {
  const loc = mvLocation(LOC_ACCOUNT, address, 0);
  lastLocation = loc;
  const r = mvRead(loc, <u32>parallelTx, 0);
  if (r == READ_DEPENDENCY) dependOn(readTx);
  recordRead(loc, r, 0);
  return r == READ_VALUE ? readValue : 0;
}

/**
 * The location `readAccountVersion` or `readSlotVersion` last read: kept with the account or slot,
 * it spares the location's lookup when the transaction writes it.
 */
export let lastLocation: usize = 0;

/**
 * Keeps with a location the store's record of its account or slot (`record`, 0: none), found by a read
 * of the pre-state, for the final commit (commit.ts commitVersions). Written once: every transaction
 * may read a busy contract's header, and a write each time would take the line from the other cores.
 */
export function keepStoreRecord(loc: usize, record: usize): void {
  if (record != 0 && load<u32>(loc + L_STORE) != <u32>record) store<u32>(loc + L_STORE, <u32>record);
}

/** The index of the transaction whose write `readAccountVersion` last returned. */
export function lastReadTx(): u32 { return readTx; }

/** The fee transaction `k` paid the coinbase, as the current transaction sees it (0 if not yet known). */
export function readFee(k: u32, out: usize): void { readDeferred(LOC_FEE, k, out); }

/** The credit transaction `k` deferred to its recipient (credits.ts), as the current transaction sees it (0: none). */
export function readCredit(k: u32, out: usize): void { readDeferred(LOC_CREDIT, k, out); }

/** A deferred amount of transaction `k` (a fee or a credit), recorded as a read. */
function readDeferred(kind: u32, k: u32, out: usize): void {
  const loc = mvDeferred(kind, k);
  const r = mvRead(loc, <u32>parallelTx, 0);
  if (r == READ_DEPENDENCY) dependOn(readTx);
  recordRead(loc, r, 0);
  if (r == READ_VALUE) u256.copy(out, readValue);
  else u256.setU64(out, 0);
}

/**
 * Reads a storage slot; returns its value's address, or 0 when it comes from the pre-state store
 * (the caller looks it up there unless `reset`, which makes it 0).
 */
export function readSlotVersion(address: usize, key: usize, from: u32, reset: bool): usize {
  const loc = mvLocation(LOC_SLOT, address, key);
  lastLocation = loc;
  const lower = reset ? from : 0;
  const r = mvRead(loc, <u32>parallelTx, lower);
  if (r == READ_DEPENDENCY) dependOn(readTx);
  recordRead(loc, r, lower);
  return r == READ_VALUE ? readValue : 0;
}

// ---- validation ----

/** Whether every read of transaction `txIdx`'s last incarnation still sees the same version. */
export function validateReads(txIdx: u32): bool {
  const set = <usize>atomic.load<u32>(txSlot(txIdx));
  if (set == 0) return false;
  const count = <usize>load<u32>(set);
  for (let i: usize = 0; i < count; i++) {
    const e = set + 8 + i * RS_SIZE;
    const r = mvRead(<usize>load<u32>(e), txIdx, load<u32>(e, 12));
    if (r == READ_DEPENDENCY) return false;
    const seen = load<u32>(e, 4);
    if (r == READ_BASE) {
      if (seen != 0) return false;
    } else if (seen != readTx + 1 || load<u32>(e, 8) != readIncarnation) {
      return false;
    }
  }
  return true;
}

/** Marks every write of transaction `txIdx` as an estimate (it is about to be re-executed). */
export function markEstimates(txIdx: u32): void {
  const set = <usize>atomic.load<u32>(txSlot(txIdx), 8);
  if (set == 0) return;
  const count = <usize>load<u32>(set);
  for (let i: usize = 0; i < count; i++) atomic.or<u64>(<usize>load<u32>(set + 8 + (i << 2)) + E_STATE, ESTIMATE);
}

// ---- writes ----

let writes: usize = 0;
let writeCount: usize = 0;
let writeCap: usize = 0;
let wroteNew: bool = false;

/**
 * Starts collecting the current incarnation's writes; `capacity` must bound their number, so that
 * publishing cannot run out of heap halfway (a retry would leave stray versions behind).
 */
export function beginWrites(capacity: usize): void {
  writeCap = capacity;
  writeCount = 0;
  writes = heapAlloc(writeCap << 2);
  wroteNew = false;
}

/** Publishes `value` as the current incarnation's write to a location. */
function write(loc: usize, value: usize): void {
  const entry = mvEntry(loc, <u32>parallelTx);
  const old = atomic.load<u64>(entry + E_STATE);
  // A location the previous incarnation did not write (absent, or a fresh entry) is a new one.
  if ((old & ABSENT) != 0) wroteNew = true;
  atomic.store<u64>(entry + E_STATE, makeState(value, parallelIncarnation, 0));
  if (writeCount == writeCap) fatal(FATAL_BUG);
  store<u32>(writes + (writeCount << 2), <u32>entry);
  writeCount++;
}

/** Publishes an account header (AV layout, already in shared memory); `loc` is its location if known (else 0). */
export function writeAccount(address: usize, value: usize, loc: usize): void {
  write(loc != 0 ? loc : mvLocation(LOC_ACCOUNT, address, 0), value);
}

/** Publishes a slot value (copied to shared memory); `loc` is its location if known (else 0). */
export function writeSlot(address: usize, key: usize, value: usize, loc: usize): void {
  const v = sharedAlloc(32);
  u256.copy(v, value);
  write(loc != 0 ? loc : mvLocation(LOC_SLOT, address, key), v);
}

/** Publishes the transaction's fee to the coinbase. */
export function writeFee(fee: usize): void { writeDeferred(LOC_FEE, fee); }

/** Publishes the transaction's credit to the recipient of its value (credits.ts). */
export function writeCredit(amount: usize): void { writeDeferred(LOC_CREDIT, amount); }

function writeDeferred(kind: u32, amount: usize): void {
  const v = sharedAlloc(32);
  u256.copy(v, amount);
  write(mvDeferred(kind, <u32>parallelTx), v);
}

/** Code entries made by this transaction live in the worker heap: copies one to shared memory. */
export function sharedCode(entry: usize): usize {
  if (entry == 0 || entry < heapBase || entry >= heapEnd) return entry;
  const size = CODE_BYTES + codeLength(entry) + 33 + ((codeLength(entry) + 8) >> 3);
  const copy = sharedAlloc(size);
  memory.copy(copy, entry, size);
  // The bitmap pointer inside the entry must follow the copy.
  store<u32>(copy + 36, <u32>(copy + (<usize>load<u32>(entry + 36) - entry)));
  return copy;
}

/**
 * Ends the incarnation: stores its read set, marks the previous incarnation's writes it did not repeat
 * as absent, stores its write set and output. Returns whether it wrote a location the previous did not.
 */
export function finishIncarnation(output: usize): bool {
  const slot = txSlot(<u32>parallelTx);
  const oldSet = <usize>atomic.load<u32>(slot, 8);
  const oldCount: usize = oldSet == 0 ? 0 : <usize>load<u32>(oldSet);
  for (let i: usize = 0; i < oldCount; i++) {
    const entry = <usize>load<u32>(oldSet + 8 + (i << 2));
    const state = atomic.load<u64>(entry + E_STATE);
    if (stateIncarnation(state) != parallelIncarnation || (state & ESTIMATE) != 0) {
      atomic.store<u64>(entry + E_STATE, makeState(stateValue(state), parallelIncarnation, ABSENT));
    }
  }
  const readSet = sharedAlloc(8 + readCount * RS_SIZE);
  store<u32>(readSet, <u32>readCount);
  memory.copy(readSet + 8, reads, readCount * RS_SIZE);
  const writeSet = sharedAlloc(8 + (writeCount << 2));
  store<u32>(writeSet, <u32>writeCount);
  memory.copy(writeSet + 8, writes, writeCount << 2);
  atomic.store<u32>(slot, <u32>readSet);
  atomic.store<u32>(slot, <u32>writeSet, 8);
  atomic.store<u32>(slot, <u32>output, 16);
  return wroteNew;
}
