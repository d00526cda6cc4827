// One transaction from start to end: validity checks (each failure a named code, with no state
// change), buying gas, warming (EIP-2929/2930/3651), the message, refunds (EIP-3529), fees (EIP-1559
// base fee burnt, priority fee to the coinbase, EIP-4844 blob gas), and the result record.

import * as u256 from "../u256";
import { heapAlloc, heapReset, scratch, sharedAlloc, SCRATCH_MISSING } from "../layout";
import {
  block, tx, gasPrice, B_BASE_FEE, B_BLOB_BASE_FEE, B_COINBASE, T_ACCESS_LIST, T_ACCESS_LIST_KEYS,
  T_ACCESS_LIST_LEN, T_BLOB_COUNT, T_BLOB_FEE_CAP, T_BLOB_HASHES, T_CALLER, T_DATA, T_DATA_LEN, T_FLAGS,
  T_GAS_AVAILABLE, T_GAS_LIMIT, T_GAS_PRICE, T_NONCE, T_PRIORITY_FEE, T_TO, T_TYPE, T_VALUE, TX_CREATE, TX_CREDIT, TX_SYSTEM,
  setGasPrice,
} from "../evm/context";
import { refundCounter, setRefund } from "../evm/frame";
import { CALL, CREATE } from "../evm/opcodes";
import {
  Eip, has, GAS_PER_BLOB, MAX_BLOBS_PER_BLOCK, MAX_INITCODE_SIZE, REFUND_QUOTIENT,
  TX_DATA_NONZERO_GAS,
} from "../evm/rules";
import { CREATE_COLLISION, SUCCESS, isExceptional } from "../evm/status";
import { ENTERED, beginCall, beginCreate, resultGas, resultOutput, resultOutputLen, resultStatus, setResult } from "../evm/message";
import { run } from "../evm/interpreter";
import { createAddress } from "../evm/instructions/system";
import { LOG_ADDRESS, LOG_DATA, LOG_DATA_LEN, LOG_NEXT, LOG_TOPICS, LOG_TOPIC_COUNT, logCount, logHead, resetLogs } from "../evm/instructions/logging";
import { codeLength } from "../state/code";
import { ITEM_ADDRESS, ITEM_TOPIC, addToBloom } from "./bloom";
import { publishTransaction } from "../state/commit";
import { beginReads, beginWrites, finishIncarnation, parallelTx, writeFee } from "../state/versioned";
import {
  LA_BALANCE, LA_NONCE, addBalance, codeOf, hasNoCodeForCredit, hasStorage, journalReset, loadAccount, loadSlot, setCoinbase,
  setNonce, subBalance, warmAccount, warmAddress, warmSlot,
} from "../state/journal";

// Validity codes (src/core/errors.ts names them).
export const TX_VALID: u32 = 0;
export const TX_TYPE_NOT_SUPPORTED: u32 = 1;
export const TX_NONCE_TOO_LOW: u32 = 2;
export const TX_NONCE_TOO_HIGH: u32 = 3;
export const TX_NONCE_MAX: u32 = 4; // EIP-2681
export const TX_INTRINSIC_GAS_TOO_LOW: u32 = 5;
export const TX_GAS_LIMIT_EXCEEDS_BLOCK: u32 = 6;
export const TX_FEE_CAP_BELOW_BASE_FEE: u32 = 7;
export const TX_PRIORITY_FEE_ABOVE_FEE_CAP: u32 = 8;
export const TX_INSUFFICIENT_FUNDS: u32 = 9;
export const TX_SENDER_NOT_EOA: u32 = 10; // EIP-3607
export const TX_INITCODE_TOO_LARGE: u32 = 11; // EIP-3860
export const TX_BLOB_CREATE: u32 = 12; // EIP-4844: type 3 must have a `to`
export const TX_NO_BLOBS: u32 = 13;
export const TX_TOO_MANY_BLOBS: u32 = 14;
export const TX_BLOB_HASH_VERSION: u32 = 15;
export const TX_BLOB_FEE_CAP_TOO_LOW: u32 = 16;

// The result record (src/core/layout.ts mirrors it).
export const R_VALIDITY: usize = 0; // u32 validity code
export const R_STATUS: usize = 4; // u32 status of the first frame (evm/status.ts)
export const R_GAS_USED: usize = 8; // u64 after refunds
export const R_BLOB_GAS_USED: usize = 16; // u64
export const R_LOGS: usize = 24; // u32 first log record (evm/instructions/logging.ts)
export const R_LOG_COUNT: usize = 28; // u32
export const R_OUTPUT: usize = 32; // u32
export const R_OUTPUT_LEN: usize = 36; // u32
export const R_CREATED: usize = 64; // word: the created address (creations)
export const R_BLOOM: usize = 128; // 256 bytes: the logs bloom (Yellow Paper 4.3.1)
export const R_FEE: usize = 384; // word: the coinbase's fee, when deferred (executeIndependent)
export const R_SIZE: usize = 416;

let result: usize = 0;

/** The result record of the last transaction (valid until the next one starts). */
export function transactionResult(): usize { return result; }

const TX_BASE_GAS: u64 = 21000;
const TX_CREATE_GAS: u64 = 32000; // EIP-2 (Homestead)
const TX_DATA_ZERO_GAS: u64 = 4;
const ACCESS_LIST_ADDRESS_GAS: u64 = 2400; // EIP-2930
const ACCESS_LIST_KEY_GAS: u64 = 1900; // EIP-2930
const INITCODE_WORD_GAS: u64 = 2; // EIP-3860
const BLOB_HASH_VERSION_KZG: u64 = 0x01;

/** The gas a transaction pays before execution. */
function intrinsicGas(isCreate: bool): u64 {
  const data = <usize>load<u32>(tx + T_DATA);
  const len = <usize>load<u32>(tx + T_DATA_LEN);
  let zeros: u64 = 0;
  for (let i: usize = 0; i < len; i++) if (load<u8>(data + i) == 0) zeros++;
  let gas = TX_BASE_GAS + zeros * TX_DATA_ZERO_GAS + (<u64>len - zeros) * TX_DATA_NONZERO_GAS;
  if (isCreate) {
    if (has(Eip.HOMESTEAD)) gas += TX_CREATE_GAS;
    if (has(Eip.EIP3860)) gas += ((<u64>len + 31) >> 5) * INITCODE_WORD_GAS;
  }
  gas += <u64>load<u32>(tx + T_ACCESS_LIST_LEN) * ACCESS_LIST_ADDRESS_GAS +
    <u64>load<u32>(tx + T_ACCESS_LIST_KEYS) * ACCESS_LIST_KEY_GAS;
  return gas;
}

/** r = a * b; returns true on overflow past 2^256. */
function mulOverflows(r: usize, a: usize, b: u64): bool {
  const bw = scratch + 192;
  u256.setU64(bw, b);
  u256.mul(r, a, bw);
  if (b == 0) return false;
  const check = scratch + 224;
  u256.div(check, r, bw);
  return !u256.eq(check, a);
}

/** r = a + b; returns true on overflow. */
function addOverflows(r: usize, a: usize, b: usize): bool {
  u256.add(r, a, b);
  return u256.lt(r, a);
}

/** Checks validity and sets the effective gas price; returns a validity code. */
function validate(sender: usize, isCreate: bool, intrinsic: u64, blobGas: u64): u32 {
  const type = load<u32>(tx + T_TYPE);
  if (type == 1 && !has(Eip.EIP2930) || type == 2 && !has(Eip.EIP1559) || type == 3 && !has(Eip.EIP4844) || type > 3) {
    return TX_TYPE_NOT_SUPPORTED;
  }
  const gasLimit = load<u64>(tx + T_GAS_LIMIT);
  if (intrinsic > gasLimit) return TX_INTRINSIC_GAS_TOO_LOW;
  if (load<u64>(tx + T_NONCE) == u64.MAX_VALUE) return TX_NONCE_MAX;
  if (isCreate && <u64>load<u32>(tx + T_DATA_LEN) > MAX_INITCODE_SIZE) return TX_INITCODE_TOO_LARGE;
  if (gasLimit > load<u64>(tx + T_GAS_AVAILABLE)) return TX_GAS_LIMIT_EXCEEDS_BLOCK;

  // Fees: EIP-1559 caps against the base fee, then the effective price.
  const feeCap = tx + T_GAS_PRICE;
  const baseFee = block + B_BASE_FEE;
  if (has(Eip.EIP1559)) {
    if (type >= 2) {
      const tip = tx + T_PRIORITY_FEE;
      if (u256.gt(tip, feeCap)) return TX_PRIORITY_FEE_ABOVE_FEE_CAP;
      if (u256.lt(feeCap, baseFee)) return TX_FEE_CAP_BELOW_BASE_FEE;
      const room = scratch + 160;
      u256.sub(room, feeCap, baseFee);
      u256.copy(gasPrice, u256.lt(tip, room) ? tip : room);
      u256.add(gasPrice, gasPrice, baseFee);
    } else {
      if (u256.lt(feeCap, baseFee)) return TX_FEE_CAP_BELOW_BASE_FEE;
      u256.copy(gasPrice, feeCap);
    }
  } else {
    u256.copy(gasPrice, feeCap);
  }

  // EIP-4844 blob rules.
  if (type == 3) {
    if (isCreate) return TX_BLOB_CREATE;
    const count = load<u32>(tx + T_BLOB_COUNT);
    if (count == 0) return TX_NO_BLOBS;
    if (count > MAX_BLOBS_PER_BLOCK) return TX_TOO_MANY_BLOBS;
    const hashes = <usize>load<u32>(tx + T_BLOB_HASHES);
    for (let i: u32 = 0; i < count; i++) {
      if (load<u64>(hashes + (<usize>i << 5), 24) >> 56 != BLOB_HASH_VERSION_KZG) return TX_BLOB_HASH_VERSION;
    }
    if (u256.lt(tx + T_BLOB_FEE_CAP, block + B_BLOB_BASE_FEE)) return TX_BLOB_FEE_CAP_TOO_LOW;
  }

  // The sender: nonce, no code (EIP-3607), funds for the worst case.
  const nonce = load<u64>(sender + LA_NONCE);
  if (load<u64>(tx + T_NONCE) < nonce) return TX_NONCE_TOO_LOW;
  if (load<u64>(tx + T_NONCE) > nonce) return TX_NONCE_TOO_HIGH;
  if (codeLength(codeOf(sender)) != 0) return TX_SENDER_NOT_EOA;
  const maxCost = scratch + 96;
  const part = scratch + 128;
  if (mulOverflows(maxCost, feeCap, gasLimit)) return TX_INSUFFICIENT_FUNDS;
  if (addOverflows(maxCost, maxCost, tx + T_VALUE)) return TX_INSUFFICIENT_FUNDS;
  if (type == 3) {
    if (mulOverflows(part, tx + T_BLOB_FEE_CAP, blobGas)) return TX_INSUFFICIENT_FUNDS;
    if (addOverflows(maxCost, maxCost, part)) return TX_INSUFFICIENT_FUNDS;
  }
  if (u256.lt(sender + LA_BALANCE, maxCost)) return TX_INSUFFICIENT_FUNDS;
  return TX_VALID;
}

/** Warms what EIP-2929/2930/3651 say is warm from the start. */
function warmUp(sender: usize, target: usize): void {
  // Precompiles need no entry: warmAccount treats them as always warm.
  warmAccount(sender);
  warmAccount(target);
  if (has(Eip.EIP3651)) warmAddress(block + B_COINBASE);
  let entry = <usize>load<u32>(tx + T_ACCESS_LIST);
  const n = load<u32>(tx + T_ACCESS_LIST_LEN);
  for (let i: u32 = 0; i < n; i++) {
    const keys = <usize>load<u64>(entry + 32);
    if (keys == 0) {
      warmAddress(entry);
    } else {
      const acct = loadAccount(entry);
      warmAccount(acct);
      for (let k: usize = 0; k < keys; k++) warmSlot(loadSlot(acct, entry + 64 + (k << 5)));
    }
    entry += 64 + (keys << 5);
  }
}

/**
 * Executes the transaction at `txPtr` against the store, leaving its changes in the journal's records
 * (commit them with commitTransaction) and its outcome in the result record. Returns the validity code.
 */
export function executeTransaction(txPtr: usize): u32 {
  heapReset();
  journalReset();
  resetLogs();
  setRefund(0);
  tx = txPtr;
  result = heapAlloc(R_SIZE);
  memory.fill(result, 0, R_SIZE);
  setGasPrice(heapAlloc(32));
  if (parallelTx >= 0) {
    beginReads();
    setCoinbase(block + B_COINBASE);
  }

  output = 0;
  if ((load<u32>(tx + T_FLAGS) & TX_SYSTEM) != 0) return executeSystemCall();
  const isCreate = (load<u32>(tx + T_FLAGS) & TX_CREATE) != 0;
  const senderAddress = tx + T_CALLER;
  const sender = loadAccount(senderAddress);
  const intrinsic = intrinsicGas(isCreate);
  const blobGas = <u64>load<u32>(tx + T_BLOB_COUNT) * GAS_PER_BLOB;
  const validity = validate(sender, isCreate, intrinsic, blobGas);
  store<u32>(result + R_VALIDITY, validity);
  if (validity != TX_VALID) {
    output = copyOutput();
    if (parallelTx >= 0) {
      // Speculation may make a transaction look invalid; its reads decide whether that stands.
      u256.setU64(scratch + 96, 0);
      wroteNewLocation = publishTransaction(scratch + 96, output);
    }
    return validity;
  }

  // Buy gas at the effective price (and blob gas at the blob base fee, burnt), bump the nonce.
  const gasLimit = load<u64>(tx + T_GAS_LIMIT);
  const cost = scratch + 96;
  const part = scratch + 128;
  mulOverflows(cost, gasPrice, gasLimit);
  if (blobGas != 0) {
    mulOverflows(part, block + B_BLOB_BASE_FEE, blobGas);
    u256.add(cost, cost, part);
  }
  subBalance(sender, cost);
  const nonce = load<u64>(sender + LA_NONCE);
  setNonce(sender, nonce + 1);
  store<u64>(result + R_BLOB_GAS_USED, blobGas);

  const gas = <i64>(gasLimit - intrinsic);
  const value = tx + T_VALUE;
  const data = <usize>load<u32>(tx + T_DATA);
  const dataLen = <usize>load<u32>(tx + T_DATA_LEN);
  let status: u32 = SUCCESS;
  let gasLeft: i64 = 0;
  let credit: usize = 0; // a deferred credit's amount (parallel mode)
  if (isCreate) {
    const created = result + R_CREATED;
    createAddress(created, senderAddress, nonce);
    const target = loadAccount(created);
    if (has(Eip.EIP2929)) warmUp(sender, target);
    if (load<u64>(target + LA_NONCE) != 0 || codeLength(codeOf(target)) != 0 || hasStorage(target)) {
      status = CREATE_COLLISION;
    } else {
      beginCreate(0, CREATE, senderAddress, sender, created, target, value, data, dataLen, gas, 0);
      run();
      status = resultStatus;
      gasLeft = resultGas;
    }
  } else if (parallelTx >= 0 && (load<u32>(tx + T_FLAGS) & TX_CREDIT) != 0 && hasNoCodeForCredit(tx + T_TO)) {
    // A plain transfer to an account without code: no code runs, and in parallel mode the credit is
    // a write of its own (state/credits.ts), so that transfers to one address do not conflict.
    subBalance(sender, value);
    credit = value;
    setResult(SUCCESS, gas, 0, 0);
    status = resultStatus;
    gasLeft = resultGas;
  } else {
    const to = tx + T_TO;
    const target = loadAccount(to);
    if (has(Eip.EIP2929)) warmUp(sender, target);
    if (beginCall(0, CALL, senderAddress, sender, to, target, to, target, value, true, data, dataLen, gas, false, 0) == ENTERED) {
      run();
    }
    status = resultStatus;
    gasLeft = resultGas;
  }
  if (isExceptional(status)) gasLeft = 0;

  // Refund (capped at a fraction of the gas used), return unused gas, pay the coinbase.
  let gasUsed = gasLimit - <u64>gasLeft;
  const refundCap = gasUsed / REFUND_QUOTIENT;
  const refund = status == SUCCESS && refundCounter > 0 ? (<u64>refundCounter < refundCap ? <u64>refundCounter : refundCap) : 0;
  gasUsed -= refund;
  mulOverflows(cost, gasPrice, gasLimit - gasUsed);
  addBalance(sender, cost);
  const tip = scratch + 160;
  if (has(Eip.EIP1559)) u256.sub(tip, gasPrice, block + B_BASE_FEE);
  else u256.copy(tip, gasPrice);
  mulOverflows(cost, tip, gasUsed);
  // In parallel mode the fee is a write of its own, so that transactions do not conflict on the
  // coinbase; run independently, it waits in the result record (commit.ts creditDeferredFees).
  if (feeDeferred) u256.copy(result + R_FEE, cost);
  else if (parallelTx < 0) addBalance(loadAccount(block + B_COINBASE), cost);

  store<u32>(result + R_STATUS, status);
  store<u64>(result + R_GAS_USED, gasUsed);
  store<u32>(result + R_LOGS, <u32>logHead);
  store<u32>(result + R_LOG_COUNT, logCount);
  store<u32>(result + R_OUTPUT, <u32>resultOutput);
  store<u32>(result + R_OUTPUT_LEN, <u32>resultOutputLen);
  logsBloom(result + R_BLOOM);
  output = copyOutput();
  if (parallelTx >= 0) wroteNewLocation = publishTransaction(cost, output, credit);
  return TX_VALID;
}

/**
 * Whether the fee goes into the result record instead of the coinbase's balance: set for the
 * transactions a thread runs independently (index.ts executeIndependent).
 */
export let feeDeferred = false;
export function setFeeDeferred(deferred: bool): void { feeDeferred = deferred; }

/** The result record and logs of the last valid transaction, copied to shared memory (valid until the state is reset). */
let output: usize = 0;
export function transactionOutput(): usize { return output; }

/** Whether the last parallel incarnation wrote a location its previous one did not (Block-STM). */
export let wroteNewLocation: bool = false;

/**
 * Copies the result record and its logs to shared memory (parallel mode: the heap is reused by the
 * worker's next transaction, but receipts are built after the block). Output data is not kept.
 */
function copyOutput(): usize {
  const out = sharedAlloc(R_SIZE);
  memory.copy(out, result, R_SIZE);
  store<u32>(out + R_OUTPUT, 0);
  store<u32>(out + R_OUTPUT_LEN, 0);
  let tail: usize = 0;
  for (let rec = <usize>load<u32>(result + R_LOGS); rec != 0; rec = <usize>load<u32>(rec + LOG_NEXT)) {
    // The record with its data, which follows the topics.
    const data = LOG_TOPICS + (<usize>load<u32>(rec + LOG_TOPIC_COUNT) << 5);
    const size = data + <usize>load<u32>(rec + LOG_DATA_LEN);
    const copy = sharedAlloc(size);
    memory.copy(copy, rec, size);
    store<u32>(copy + LOG_NEXT, 0);
    store<u32>(copy + LOG_DATA, <u32>(copy + data));
    if (tail == 0) store<u32>(out + R_LOGS, <u32>copy);
    else store<u32>(tail + LOG_NEXT, <u32>copy);
    tail = copy;
  }
  return out;
}

/**
 * A system call (EIP-4788): the transaction's `to` called by its caller with its gas limit, no value,
 * outside the fee market: nothing is checked, bought, refunded or paid, and nothing is pre-warmed.
 */
function executeSystemCall(): u32 {
  const caller = tx + T_CALLER;
  const to = tx + T_TO;
  const target = loadAccount(to);
  const zero = scratch + 32;
  u256.setU64(zero, 0);
  const gas = <i64>load<u64>(tx + T_GAS_LIMIT);
  if (beginCall(0, CALL, caller, 0, to, target, to, target, zero, false, <usize>load<u32>(tx + T_DATA),
    <usize>load<u32>(tx + T_DATA_LEN), gas, false, 0) == ENTERED) {
    run();
  }
  store<u32>(result + R_STATUS, resultStatus);
  store<u64>(result + R_GAS_USED, <u64>(gas - resultGas));
  store<u32>(result + R_LOGS, <u32>logHead);
  store<u32>(result + R_LOG_COUNT, logCount);
  return TX_VALID;
}

/** Validity code of a parallel incarnation that needed state the caller did not give (+ FATAL_MISSING_*). */
export const TX_MISSING_STATE: u32 = 100;

/**
 * Parallel mode, after a FATAL_MISSING_* trap: publishes the incarnation's reads and no writes, with an
 * output whose validity is TX_MISSING_STATE + reason and whose created-address field holds the
 * missing location (address word, then slot word or block number). Whether it stands, validation says.
 */
export function publishMissingState(reason: u32): void {
  const out = sharedAlloc(R_SIZE + 32);
  memory.fill(out, 0, R_SIZE + 32);
  store<u32>(out + R_VALIDITY, TX_MISSING_STATE + reason);
  memory.copy(out + R_CREATED, scratch + SCRATCH_MISSING, 64);
  beginWrites(1);
  u256.setU64(scratch + 96, 0);
  writeFee(scratch + 96);
  wroteNewLocation = finishIncarnation(out);
}

/** Sets in `bloom` (256 bytes) the bits of each log's address and topics. */
function logsBloom(bloom: usize): void {
  for (let rec = logHead; rec != 0; rec = <usize>load<u32>(rec + LOG_NEXT)) {
    addToBloom(bloom, rec + LOG_ADDRESS, ITEM_ADDRESS);
    const topics = load<u32>(rec + LOG_TOPIC_COUNT);
    for (let t: usize = 0; t < <usize>topics; t++) addToBloom(bloom, rec + LOG_TOPICS + (t << 5), ITEM_TOPIC);
  }
}
