// Deferred credits of plain value transfers in parallel mode. Transfers to one address (an exchange's
// deposit address) would each read and write the recipient's balance, a chain of conflicts; instead a
// plain transfer to an account without code writes its credit as a location of its own (LOC_CREDIT,
// keyed by the transaction, as the coinbase's fees are), and a transaction that reads the recipient
// adds the credits of the candidates since the recipient's header was last written (journal.ts); the
// block's commit adds what is left (commit.ts).
//
// The host lists the recipients with two or more candidate transactions and flags those transactions
// (TX_CREDIT); the table maps a recipient to its candidates in increasing order. The calling thread
// builds it per block; every thread attaches it (module globals are per instance).
//
// Entry layout (40 bytes): the address as a word (32), the address of its candidates' u32 indices (4),
// their count (4). Table layout: capacity (u32), entry count (u32), the entries' address (u32), then
// `capacity` u32 buckets of entry addresses (open addressing).

import { sharedAlloc } from "../layout";
import { addressEquals, hashAddress } from "./hash";

export const CE_LIST: usize = 32;
export const CE_COUNT: usize = 36;
export const CE_SIZE: usize = 40;

let table: usize = 0;

/** Builds the table of `count` entries at `entries` (shared memory) and attaches it; its address. */
export function creditsBuild(entries: usize, count: u32): usize {
  let capacity: u32 = 16;
  while (capacity < count * 2) capacity <<= 1;
  const t = sharedAlloc(12 + (<usize>capacity << 2));
  memory.fill(t + 12, 0, <usize>capacity << 2);
  store<u32>(t, capacity);
  store<u32>(t, count, 4);
  store<u32>(t, <u32>entries, 8);
  const mask = capacity - 1;
  for (let e: u32 = 0; e < count; e++) {
    const entry = entries + <usize>e * CE_SIZE;
    let i = hashAddress(entry) & mask;
    while (load<u32>(t + 12 + (<usize>i << 2)) != 0) i = (i + 1) & mask;
    store<u32>(t + 12 + (<usize>i << 2), <u32>entry);
  }
  table = t;
  return t;
}

/** Attaches a block's table (0: no deferred credits in this block). */
export function creditsAttach(t: usize): void {
  table = t;
}

/** The entry of the recipient at `address` (a word), or 0 when its credits are not deferred. */
export function creditsOf(address: usize): usize {
  if (table == 0) return 0;
  const mask = load<u32>(table) - 1;
  let i = hashAddress(address) & mask;
  while (true) {
    const entry = <usize>load<u32>(table + 12 + (<usize>i << 2));
    if (entry == 0) return 0;
    if (addressEquals(entry, address)) return entry;
    i = (i + 1) & mask;
  }
}

/** Entries of the attached table, for the commit: their count, and the address of the first. */
export function creditEntryCount(): u32 { return table == 0 ? 0 : load<u32>(table, 4); }
export function creditEntries(): usize { return table == 0 ? 0 : <usize>load<u32>(table, 8); }
