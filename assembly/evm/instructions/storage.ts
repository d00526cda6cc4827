// SLOAD, SSTORE (legacy, EIP-1283, EIP-2200, EIP-2929, EIP-3529 rules), TLOAD, TSTORE (EIP-1153).

import * as u256 from "../../u256";
import { F_ACCOUNT, F_ADDRESS, F_STATIC, addRefund, raise } from "../frame";
import { Eip, has, SSTORE_CLEARS_REFUND, COLD_SLOAD_COST, WARM_STORAGE_READ_COST } from "../rules";
import { STATIC_VIOLATION } from "../status";
import { LS_CURRENT, LS_ORIGINAL, loadSlot, tload as readTransient, tstore as writeTransient, warmSlot, writeSlot } from "../../state/journal";

const SSTORE_SET_GAS: i64 = 20000;
const SSTORE_RESET_GAS: i64 = 5000;
const CALL_STIPEND: i64 = 2300;

export function sload(sp: usize, gas: i64, f: usize): i64 {
  const slot = loadSlot(<usize>load<u32>(f + F_ACCOUNT), sp - 32);
  if (has(Eip.EIP2929) && warmSlot(slot)) {
    gas -= COLD_SLOAD_COST - WARM_STORAGE_READ_COST;
    if (gas < 0) return gas;
  }
  memory.copy(sp - 32, slot + LS_CURRENT, 32);
  return gas;
}

export function sstore(sp: usize, gas: i64, f: usize): i64 {
  if (load<u32>(f + F_STATIC) != 0) return raise(STATIC_VIOLATION);
  // EIP-2200: SSTORE must not be possible with only the call stipend left.
  if (has(Eip.EIP2200) && gas <= CALL_STIPEND) return -1;
  const acct = <usize>load<u32>(f + F_ACCOUNT);
  const slot = loadSlot(acct, sp - 32);
  const value = sp - 64;
  const current = slot + LS_CURRENT;
  let cost: i64 = 0;
  if (has(Eip.EIP2929) && warmSlot(slot)) cost += COLD_SLOAD_COST;

  if (has(Eip.EIP2200) || has(Eip.EIP1283)) {
    // Net gas metering: charge by how the write changes the slot relative to the transaction's start.
    const original = slot + LS_ORIGINAL;
    const warmRead: i64 = has(Eip.EIP2929) ? WARM_STORAGE_READ_COST : has(Eip.EIP2200) ? 800 : 200;
    const resetGas: i64 = has(Eip.EIP2929) ? SSTORE_RESET_GAS - COLD_SLOAD_COST : SSTORE_RESET_GAS;
    const currentIsNew = u256.eq(current, value);
    const originalIsCurrent = u256.eq(original, current);
    if (originalIsCurrent && !currentIsNew) cost += u256.isZero(original) ? SSTORE_SET_GAS : resetGas;
    else cost += warmRead;
    gas -= cost;
    if (gas < 0) return gas;
    if (!currentIsNew) {
      const originalZero = u256.isZero(original);
      const currentZero = u256.isZero(current);
      if (!originalZero && !currentZero && u256.isZero(value)) addRefund(SSTORE_CLEARS_REFUND);
      if (!originalZero && currentZero) addRefund(-SSTORE_CLEARS_REFUND);
      if (u256.eq(original, value)) addRefund(originalZero ? SSTORE_SET_GAS - warmRead : resetGas - warmRead);
    }
  } else {
    const currentZero = u256.isZero(current);
    const valueZero = u256.isZero(value);
    cost += currentZero && !valueZero ? SSTORE_SET_GAS : SSTORE_RESET_GAS;
    gas -= cost;
    if (gas < 0) return gas;
    if (!currentZero && valueZero) addRefund(SSTORE_CLEARS_REFUND);
  }
  writeSlot(acct, slot, value);
  return gas;
}

@inline export function tload(sp: usize, f: usize): void {
  readTransient(f + F_ADDRESS, sp - 32, sp - 32);
}

export function tstore(sp: usize, gas: i64, f: usize): i64 {
  if (load<u32>(f + F_STATIC) != 0) return raise(STATIC_VIOLATION);
  writeTransient(f + F_ADDRESS, sp - 32, sp - 64);
  return gas;
}
