// Sequential commit: writes a finished transaction's changes from the journal's records into the
// store, deleting self-destructed accounts and (EIP-161) touched empty ones.

import { heapBase, heapEnd } from "../layout";
import { Eip, has } from "../evm/rules";
import { CODE_BYTES, codeLength } from "./code";
import {
  CREATED, DESTRUCTED, DIRTY, EXISTS, TOUCHED, LA_BALANCE, LA_CODE, LA_FLAGS, LA_NONCE, LA_SLOTS, LA_SLOT_CAP,
  LS_CURRENT, LS_FLAGS, LS_KEY, SLOT_DIRTY, accountTableBuckets, accountTableCapacity, isEmpty,
} from "./journal";
import {
  ACCOUNT_BALANCE, ACCOUNT_CODE, ACCOUNT_FLAGS, ACCOUNT_NONCE, STORE_EXISTS, STORE_STORAGE_COMPLETE, storeClearStorage,
  storeCodeCopy,
  storeGetOrInsertAccount, storeSetSlot,
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
