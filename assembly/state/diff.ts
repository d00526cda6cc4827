// The state diff: every account whose state differs from the pre-state (the originals the store kept,
// store.ts storeKeepOriginals), in address order, with its changed slots in key order, written in the
// encoding the state diff hash is defined over (README, "State diff hash"):
//   per account: address (20 bytes), exists (1), balance (32), nonce (8), code hash (32), the number
//   of changed slots (4, big-endian), then each changed slot as key (32) and new value (32)
// A deleted account's slots are all zero; a slot the pre-state held that a dropped storage no longer
// holds is zero too. The host decodes the accounts from this encoding when they are asked for.
//
// Result record (stateDiff's return value, RESULT_SIZE bytes):
//   +0 u32 encoding  +4 u32 its length  +8 u32 accounts  +12 u32 code entries: per account in order,
//   its code entry when its code changed and it exists (empty code's for none), else 0
//   +16 keccak-256 of the encoding

import * as u256 from "../u256";
import { keccak256 } from "../crypto/keccak";
import { header, H_EMPTY_CODE, sharedAlloc } from "../layout";
import { CODE_HASH } from "./code";
import {
  ACCOUNT_BALANCE, ACCOUNT_CODE, ACCOUNT_FLAGS, ACCOUNT_NONCE, ACCOUNT_ORIGINAL_BALANCE, ACCOUNT_ORIGINAL_CODE, ACCOUNT_ORIGINAL_FLAGS,
  ACCOUNT_ORIGINAL_NONCE, ACCOUNT_ORIGINAL_SLOTS, ACCOUNT_ORIGINAL_SLOT_CAP, ACCOUNT_SLOTS, ACCOUNT_SLOT_CAP, ORIGINAL_EXISTS,
  ORIGINAL_SLOTS_MOVED, SLOT_KEY, SLOT_ORIGINAL, SLOT_VALUE, STORE_EXISTS, findSlotIn, storeAccountBuckets, storeAccountCapacity,
} from "./store";

const ACCOUNT_BYTES: usize = 20 + 1 + 32 + 8 + 32 + 4;
const SLOT_BYTES: usize = 64;
const RESULT_SIZE: usize = 48;

/** A zero word (read-only). */
const ZERO = memory.data(32);

/**
 * Writes the state diff and its hash (see the head of this file); returns the result record. Reads
 * the store only: call it when no thread writes there.
 */
export function stateDiff(): usize {
  // The changed accounts, each an entry of its record (whose address word is at +0) and its number of changed slots.
  const buckets = storeAccountBuckets();
  const capacity = storeAccountCapacity();
  const accounts = sharedAlloc(<usize>capacity << 3);
  let count: usize = 0, bytes: usize = 0;
  let mostSlots: u32 = 0;
  for (let i: u32 = 0; i < capacity; i++) {
    const account = <usize>load<u32>(buckets + (<usize>i << 2));
    if (account == 0) continue;
    const exists = (load<u32>(account + ACCOUNT_FLAGS) & STORE_EXISTS) != 0;
    const existed = (load<u32>(account + ACCOUNT_ORIGINAL_FLAGS) & ORIGINAL_EXISTS) != 0;
    if (!exists && !existed) continue;
    const slots = changedSlots(account, exists, 0);
    if (slots == 0 && exists == existed && !headerChanged(account, exists)) continue;
    store<u64>(accounts + (count << 3), <u64>account | (<u64>slots << 32));
    count++;
    bytes += ACCOUNT_BYTES + <usize>slots * SLOT_BYTES;
    if (slots > mostSlots) mostSlots = slots;
  }
  sortByKey(accounts, count, sharedAlloc(count << 3));

  const result = sharedAlloc(RESULT_SIZE);
  const out = sharedAlloc(bytes);
  const codes = sharedAlloc(count << 2);
  const entries = sharedAlloc(<usize>mostSlots << 3);
  const spare = sharedAlloc(<usize>mostSlots << 3);
  let at = out;
  for (let k: usize = 0; k < count; k++) {
    const account = <usize>(load<u64>(accounts + (k << 3)) & 0xffffffff);
    const exists = (load<u32>(account + ACCOUNT_FLAGS) & STORE_EXISTS) != 0;
    const code = exists ? <usize>load<u32>(account + ACCOUNT_CODE) : 0;
    u256.toBigEndian(at, account); // the address word: 12 zero bytes, then the address
    memory.copy(at, at + 12, 20);
    store<u8>(at + 20, exists ? 1 : 0);
    u256.toBigEndian(at + 21, exists ? account + ACCOUNT_BALANCE : ZERO);
    store<u64>(at + 53, bswap<u64>(exists ? load<u64>(account + ACCOUNT_NONCE) : 0));
    memory.copy(at + 61, codeHash(code), 32);
    const codeChanged = exists && !codeEquals(code, <usize>load<u32>(account + ACCOUNT_ORIGINAL_CODE));
    store<u32>(codes + (k << 2), codeChanged ? <u32>(code != 0 ? code : emptyCode()) : 0);
    const slots = changedSlots(account, exists, entries);
    store<u32>(at + 93, bswap<u32>(slots));
    at += ACCOUNT_BYTES;
    sortByKey(entries, slots, spare);
    for (let j: usize = 0; j < <usize>slots; j++) {
      const entry = load<u64>(entries + (j << 3));
      u256.toBigEndian(at, <usize>(entry & 0xffffffff) + SLOT_KEY);
      u256.toBigEndian(at + 32, <usize>(entry >> 32));
      at += SLOT_BYTES;
    }
  }
  store<u32>(result, <u32>out);
  store<u32>(result + 4, <u32>bytes);
  store<u32>(result + 8, <u32>count);
  store<u32>(result + 12, <u32>codes);
  keccak256(result + 16, out, bytes);
  return result;
}

/** Whether an account's balance, nonce or code differ from the pre-state's (a deleted account's being zero and no code). */
function headerChanged(account: usize, exists: bool): bool {
  const balance = exists ? account + ACCOUNT_BALANCE : ZERO;
  const nonce = exists ? load<u64>(account + ACCOUNT_NONCE) : 0;
  const code = exists ? <usize>load<u32>(account + ACCOUNT_CODE) : 0;
  return !u256.eq(balance, account + ACCOUNT_ORIGINAL_BALANCE) || nonce != load<u64>(account + ACCOUNT_ORIGINAL_NONCE) ||
    !codeEquals(code, <usize>load<u32>(account + ACCOUNT_ORIGINAL_CODE));
}

/** The big-endian hash of a code entry (0: no code, which hashes as empty code). */
function codeHash(entry: usize): usize {
  return (entry != 0 ? entry : emptyCode()) + CODE_HASH;
}

/** The code entry of empty code. */
function emptyCode(): usize {
  return <usize>load<u32>(header() + H_EMPTY_CODE);
}

function codeEquals(a: usize, b: usize): bool {
  return a == b || memory.compare(codeHash(a), codeHash(b), 32) == 0;
}

/**
 * Counts an account's slots whose value differs from the pre-state's and, when `out` is not 0, writes
 * one entry for each: its record (whose key word is at +0) and the address of its value now.
 */
function changedSlots(account: usize, exists: bool, out: usize): u32 {
  const slots = <usize>load<u32>(account + ACCOUNT_SLOTS);
  const capacity = load<u32>(account + ACCOUNT_SLOT_CAP);
  const moved = (load<u32>(account + ACCOUNT_ORIGINAL_FLAGS) & ORIGINAL_SLOTS_MOVED) != 0;
  const originals = <usize>load<u32>(account + ACCOUNT_ORIGINAL_SLOTS);
  const originalCap = load<u32>(account + ACCOUNT_ORIGINAL_SLOT_CAP);
  let count: u32 = 0;
  for (let j: u32 = 0; j < capacity; j++) {
    const slot = <usize>load<u32>(slots + (<usize>j << 2));
    if (slot == 0) continue;
    let original = slot + SLOT_ORIGINAL;
    if (moved) {
      const before = findSlotIn(originals, originalCap, slot + SLOT_KEY);
      original = before != 0 ? before + SLOT_ORIGINAL : ZERO;
    }
    const now = exists ? slot + SLOT_VALUE : ZERO;
    if (u256.eq(now, original)) continue;
    if (out != 0) store<u64>(out + (<usize>count << 3), <u64>slot | (<u64>now << 32));
    count++;
  }
  // Dropped storage: the pre-state's non-zero slots the account no longer holds are zero now.
  for (let j: u32 = 0; moved && j < originalCap; j++) {
    const before = <usize>load<u32>(originals + (<usize>j << 2));
    if (before == 0 || u256.isZero(before + SLOT_ORIGINAL) || findSlotIn(slots, capacity, before + SLOT_KEY) != 0) continue;
    if (out != 0) store<u64>(out + (<usize>count << 3), <u64>before | (<u64>ZERO << 32));
    count++;
  }
  return count;
}

/**
 * Sorts n u64 entries by the 256-bit word their low 32 bits point at (ascending; stable), using
 * `spare` (room for n entries): a bottom-up merge sort.
 */
function sortByKey(entries: usize, n: usize, spare: usize): void {
  let from = entries, to = spare;
  for (let width: usize = 1; width < n; width <<= 1) {
    for (let lo: usize = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n), hi = min(lo + (width << 1), n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        const a = load<u64>(from + (i << 3)), b = load<u64>(from + (j << 3));
        if (u256.lt(<usize>(b & 0xffffffff), <usize>(a & 0xffffffff))) {
          store<u64>(to + (k << 3), b);
          j++;
        } else {
          store<u64>(to + (k << 3), a);
          i++;
        }
        k++;
      }
      memory.copy(to + (k << 3), from + (i << 3), (mid - i) << 3);
      k += mid - i;
      memory.copy(to + (k << 3), from + (j << 3), (hi - j) << 3);
    }
    const t = from;
    from = to;
    to = t;
  }
  if (from != entries) memory.copy(entries, from, n << 3);
}
