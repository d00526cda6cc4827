// CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE, CREATE2, SELFDESTRUCT: the gas rules and checks
// before a message starts (EIP-150 all-but-one-64th, call stipend, EIP-2929 access, EIP-161 new
// accounts, EIP-3860 initcode). Starting and ending frames is evm/message.ts.

import * as u256 from "../../u256";
import { keccak256 } from "../../crypto/keccak";
import { scratch } from "../../layout";
import {
  F_ACCOUNT, F_ADDRESS, F_CALLER, F_DEPTH, F_GAS, F_RETURNDATA_LEN, F_RET_OFFSET, F_RET_SIZE, F_SP, F_STATIC,
  F_VALUE, chargeMemory, memArg, memBase, addRefund, raise,
} from "../frame";
import { CALL, CALLCODE, CREATE2, DELEGATECALL, STATICCALL } from "../opcodes";
import {
  Eip, has, COLD_ACCOUNT_ACCESS_COST, WARM_STORAGE_READ_COST, MAX_INITCODE_SIZE, SELFDESTRUCT_REFUND,
} from "../rules";
import { REVERT, STATIC_VIOLATION } from "../status";
import {
  DESTRUCTED, CREATED, LA_BALANCE, LA_NONCE, addBalance, codeOf, exists, flags, hasStorage, isAlive, loadAccount,
  setBalance, setFlag, setNonce, subBalance, warmAccount,
} from "../../state/journal";
import { codeLength } from "../../state/code";
import { ENTERED, FINISHED, beginCall, beginCreate, completeInParent, frame, resultStatus } from "../message";
import { toAddress } from "./environment";

const CALL_VALUE_GAS: i64 = 9000;
const CALL_STIPEND: i64 = 2300;
const NEW_ACCOUNT_GAS: i64 = 25000;
const INITCODE_WORD_GAS: i64 = 2; // EIP-3860
const KECCAK_WORD_GAS: i64 = 6;
const MAX_DEPTH: u32 = 1024;

/** Whether the last call or create started a frame (the interpreter must switch to `frame`). */
export let entered: bool = false;

/** Ends a call that never started (depth, balance): 0 on the stack, the child's gas returned. */
function refuse(f: usize, gas: i64): void {
  store<i64>(f + F_GAS, gas);
  const sp = <usize>load<u32>(f + F_SP);
  u256.setU64(sp, 0);
  store<u32>(f + F_SP, <u32>(sp + 32));
  store<u32>(f + F_RETURNDATA_LEN, 0);
}

/**
 * CALL, CALLCODE, DELEGATECALL, STATICCALL. The interpreter has saved pc; this pops the operands,
 * charges, and either finishes the call (result pushed, frame's sp and gas updated) or enters a child
 * frame (`entered`). Returns the gas left, negative on an exceptional halt.
 */
export function call(f: usize, op: u8, sp: usize, gas: i64): i64 {
  entered = false;
  const withValue = op == CALL || op == CALLCODE;
  const args = withValue ? sp - 128 : sp - 96;
  const inOffset = memArg(args), inSize = memArg(args - 32);
  const outOffset = memArg(args - 64), outSize = memArg(args - 96);
  const resultSlot = args - 96;
  gas = chargeMemory(inOffset, inSize, gas);
  if (gas < 0) return gas;
  gas = chargeMemory(outOffset, outSize, gas);
  if (gas < 0) return gas;

  const to = sp - 64;
  toAddress(to);
  const toAccount = loadAccount(to);
  const value = withValue ? sp - 96 : op == DELEGATECALL ? f + F_VALUE : 0;
  const hasValue = withValue && !u256.isZero(value);
  let extra: i64 = 0;
  if (has(Eip.EIP2929) && warmAccount(toAccount)) extra += COLD_ACCOUNT_ACCESS_COST - WARM_STORAGE_READ_COST;
  if (hasValue) extra += CALL_VALUE_GAS;
  if (op == CALL) {
    // EIP-161: only a value transfer to a dead account pays for creating it.
    if (has(Eip.EIP158) ? hasValue && !isAlive(toAccount) : !exists(toAccount)) extra += NEW_ACCOUNT_GAS;
  }
  gas -= extra;
  if (gas < 0) return gas;
  if (op == CALL && hasValue && load<u32>(f + F_STATIC) != 0) return raise(STATIC_VIOLATION);

  // EIP-150: a call may take at most all but one 64th of the gas left; before it, exactly what it asks.
  const requested = u256.fitsU64(sp - 32) && load<u64>(sp - 32) <= <u64>i64.MAX_VALUE ? <i64>load<u64>(sp - 32) : i64.MAX_VALUE;
  let childGas: i64;
  if (has(Eip.EIP150)) {
    const cap = gas - gas / 64;
    childGas = requested < cap ? requested : cap;
  } else {
    if (requested > gas) return -1;
    childGas = requested;
  }
  gas -= childGas;
  if (hasValue) childGas += CALL_STIPEND;

  store<u32>(f + F_SP, <u32>resultSlot);
  const self = <usize>load<u32>(f + F_ACCOUNT);
  const depth = load<u32>(f + F_DEPTH);
  if (depth + 1 > MAX_DEPTH || (hasValue && u256.lt(self + LA_BALANCE, value))) {
    refuse(f, gas + childGas);
    return gas + childGas;
  }
  store<i64>(f + F_GAS, gas);
  store<u32>(f + F_RETURNDATA_LEN, 0);

  const zero = scratch + 32;
  u256.setU64(zero, 0);
  let started: u32;
  const input = memBase + <usize>inOffset;
  if (op == CALL) {
    started = beginCall(f, op, f + F_ADDRESS, self, to, toAccount, to, toAccount, value, true, input, <usize>inSize,
      childGas, load<u32>(f + F_STATIC) != 0, depth + 1);
  } else if (op == CALLCODE) {
    started = beginCall(f, op, f + F_ADDRESS, self, f + F_ADDRESS, self, to, toAccount, value, true, input,
      <usize>inSize, childGas, load<u32>(f + F_STATIC) != 0, depth + 1);
  } else if (op == DELEGATECALL) {
    started = beginCall(f, op, f + F_CALLER, 0, f + F_ADDRESS, self, to, toAccount, value, false, input,
      <usize>inSize, childGas, load<u32>(f + F_STATIC) != 0, depth + 1);
  } else {
    started = beginCall(f, op, f + F_ADDRESS, self, to, toAccount, to, toAccount, zero, false, input, <usize>inSize,
      childGas, true, depth + 1);
  }
  if (started == ENTERED) {
    store<u32>(frame + F_RET_OFFSET, <u32>outOffset);
    store<u32>(frame + F_RET_SIZE, <u32>outSize);
    entered = true;
    return gas;
  }
  completeInParent(f, op, <usize>outOffset, <usize>outSize, 0);
  return load<i64>(f + F_GAS);
}

/** Writes the CREATE address keccak256(rlp([sender, nonce]))[12:] as a word at `out`. */
export function createAddress(out: usize, sender: usize, nonce: u64): void {
  const buf = scratch + 64;
  // rlp: list header, 0x94 + 20 address bytes, then the nonce as an rlp integer.
  u256.toBigEndian(scratch, sender);
  store<u8>(buf + 1, 0x94);
  memory.copy(buf + 2, scratch + 12, 20);
  let len: usize = 22;
  if (nonce == 0) {
    store<u8>(buf + len++, 0x80);
  } else if (nonce < 0x80) {
    store<u8>(buf + len++, <u8>nonce);
  } else {
    const bytes = <usize>(8 - (clz<u64>(nonce) >> 3));
    store<u8>(buf + len++, <u8>(0x80 + bytes));
    for (let i = bytes; i > 0; i--) store<u8>(buf + len++, <u8>(nonce >> (<u64>(i - 1) << 3)));
  }
  store<u8>(buf, <u8>(0xc0 + len - 1));
  keccak256(scratch, buf, len);
  u256.fromBigEndian(out, scratch + 12, 20);
}

/** Writes the CREATE2 address keccak256(0xff ++ sender ++ salt ++ keccak256(initcode))[12:] at `out`. */
function create2Address(out: usize, sender: usize, salt: usize, initcode: usize, len: usize): void {
  const buf = scratch + 64;
  store<u8>(buf, 0xff);
  u256.toBigEndian(scratch, sender);
  memory.copy(buf + 1, scratch + 12, 20);
  u256.toBigEndian(buf + 21, salt);
  keccak256(buf + 53, initcode, len);
  keccak256(scratch, buf, 85);
  u256.fromBigEndian(out, scratch + 12, 20);
}

/** CREATE and CREATE2; same contract as `call`. */
export function create(f: usize, op: u8, sp: usize, gas: i64): i64 {
  entered = false;
  const value = sp - 32;
  const offset = memArg(sp - 64), size = memArg(sp - 96);
  const resultSlot = op == CREATE2 ? sp - 128 : sp - 96;
  // EIP-3860: initcode over the limit is an exceptional halt, and each word costs 2 gas.
  if (size > MAX_INITCODE_SIZE) return -1;
  const words = <i64>((size + 31) >> 5);
  if (has(Eip.EIP3860)) gas -= words * INITCODE_WORD_GAS;
  if (op == CREATE2) gas -= words * KECCAK_WORD_GAS;
  if (gas < 0) return gas;
  gas = chargeMemory(offset, size, gas);
  if (gas < 0) return gas;
  if (load<u32>(f + F_STATIC) != 0) return raise(STATIC_VIOLATION);

  const self = <usize>load<u32>(f + F_ACCOUNT);
  const initcode = memBase + <usize>offset;
  const target = resultSlot; // the address word lives where the result will be pushed
  const nonce = load<u64>(self + LA_NONCE);
  if (op == CREATE2) {
    u256.copy(scratch + 160, sp - 128); // the salt shares its slot with the address
    create2Address(target, f + F_ADDRESS, scratch + 160, initcode, <usize>size);
  } else {
    createAddress(target, f + F_ADDRESS, nonce);
  }
  const targetAccount = loadAccount(target);
  if (has(Eip.EIP2929)) warmAccount(targetAccount);

  const childGas = has(Eip.EIP150) ? gas - gas / 64 : gas;
  gas -= childGas;
  store<u32>(f + F_SP, <u32>resultSlot);
  store<u32>(f + F_RETURNDATA_LEN, 0);
  const depth = load<u32>(f + F_DEPTH);
  if (u256.lt(self + LA_BALANCE, value) || nonce == u64.MAX_VALUE || depth + 1 > MAX_DEPTH) {
    refuse(f, gas + childGas);
    return gas + childGas;
  }
  setNonce(self, nonce + 1);
  if (load<u64>(targetAccount + LA_NONCE) != 0 || codeLength(codeOf(targetAccount)) != 0 || hasStorage(targetAccount)) {
    // Address collision: the creation fails and its gas is gone.
    refuse(f, gas);
    return gas;
  }
  store<i64>(f + F_GAS, gas);
  beginCreate(f, op, f + F_ADDRESS, self, target, targetAccount, value, initcode, <usize>size, childGas, depth + 1);
  store<u32>(frame + F_RET_OFFSET, 0);
  store<u32>(frame + F_RET_SIZE, 0);
  entered = true;
  return gas;
}

/** SELFDESTRUCT: moves the balance to the beneficiary and (EIP-6780: only if created in this transaction) deletes. */
export function selfdestruct(sp: usize, gas: i64, f: usize): i64 {
  const beneficiary = sp - 32;
  toAddress(beneficiary);
  const heir = loadAccount(beneficiary);
  const self = <usize>load<u32>(f + F_ACCOUNT);
  let cost: i64 = 0;
  if (has(Eip.EIP2929) && warmAccount(heir)) cost += COLD_ACCOUNT_ACCESS_COST;
  if (has(Eip.EIP150)) {
    const dead = has(Eip.EIP158) ? !isAlive(heir) && !u256.isZero(self + LA_BALANCE) : !exists(heir);
    if (dead) cost += NEW_ACCOUNT_GAS;
  }
  gas -= cost;
  if (gas < 0) return gas;
  if (load<u32>(f + F_STATIC) != 0) return raise(STATIC_VIOLATION);

  const destroys = !has(Eip.EIP6780) || (flags(self) & CREATED) != 0;
  if (SELFDESTRUCT_REFUND != 0 && (flags(self) & DESTRUCTED) == 0) addRefund(SELFDESTRUCT_REFUND);
  const amount = scratch + 32;
  u256.copy(amount, self + LA_BALANCE);
  if (destroys) {
    // The heir is credited first, then the account zeroed: naming itself as heir burns the balance.
    addBalance(heir, amount);
    u256.setU64(amount, 0);
    setBalance(self, amount);
    setFlag(self, DESTRUCTED);
  } else {
    subBalance(self, amount);
    addBalance(heir, amount);
  }
  return gas;
}
