// Message calls and creations: starting a frame (or finishing at once for precompiles and empty
// code), and ending one: code deposit for creations, revert of the journal on failure, and handing
// the result back to the caller's frame.

import * as u256 from "../u256";
import {
  framesBase, FRAME_SIZE, header, H_EMPTY_CODE, heapAlloc, memoryBase, stackBase, stackEnd, fatal, FATAL_STACK_FULL,
} from "../layout";
import {
  F_ACCOUNT, F_ADDRESS, F_CALLER, F_CHECKPOINT, F_CODE, F_DEPTH, F_GAS, F_INPUT, F_INPUT_LEN, F_KIND,
  F_LOG_COUNT, F_LOG_TAIL, F_MEMORY, F_MEMORY_SIZE, F_PC, F_REFUND, F_RETURNDATA, F_RETURNDATA_LEN,
  F_RET_OFFSET, F_RET_SIZE, F_SP, F_STACK, F_STATIC, F_VALUE, memBase, memSize, refundCounter, setRefund,
} from "./frame";
import { CREATE, CREATE2 } from "./opcodes";
import { Eip, has, MAX_CODE_SIZE } from "./rules";
import {
  CODE_SIZE_EXCEEDED, INVALID_CODE_PREFIX, OUT_OF_GAS, PRECOMPILE_FAILURE, REVERT, SUCCESS, isExceptional,
} from "./status";
import { CODE_BYTES, codeEntrySize, finishCodeEntry } from "../state/code";
import { CREATED, addBalance, checkpoint, codeOf, revertTo, setCode, setFlag, setNonce, subBalance, touch } from "../state/journal";
import { logCount, logTail, truncateLogs } from "./instructions/logging";
import { precompileAt, precompileOutput, precompileOutputLen, runPrecompile } from "./precompiles";

const CODE_DEPOSIT_GAS: i64 = 200;
const STACK_BYTES: usize = 1024 * 32;

/** The result of the last message that ended: its status, gas left and output (in the heap). */
export let resultStatus: u32 = SUCCESS;
export let resultGas: i64 = 0;
export let resultOutput: usize = 0;
export let resultOutputLen: usize = 0;

/** The frame being executed (0 when none). */
export let frame: usize = 0;

/** What starting a message did. */
export const FINISHED: u32 = 0; // ended at once; the result globals hold its outcome
export const ENTERED: u32 = 1; // a frame was pushed and is now `frame`

export function setResult(status: u32, gas: i64, output: usize, outputLen: usize): void {
  resultStatus = status;
  resultGas = gas;
  resultOutput = output;
  resultOutputLen = outputLen;
}

/** Pushes a frame above `parent` (0 for the transaction's first frame). */
function pushFrame(parent: usize, kind: u32, code: usize, gas: i64, depth: u32): usize {
  const f = parent == 0 ? framesBase : parent + FRAME_SIZE;
  const stack = parent == 0 ? stackBase : <usize>load<u32>(parent + F_SP);
  if (stack + STACK_BYTES > stackEnd) fatal(FATAL_STACK_FULL);
  if (parent != 0) store<u32>(parent + F_MEMORY_SIZE, <u32>memSize);
  const mem = parent == 0 ? memoryBase : memBase + memSize;
  store<u32>(f + F_CODE, <u32>code);
  store<u32>(f + F_PC, <u32>(code + CODE_BYTES));
  store<u32>(f + F_STACK, <u32>stack);
  store<u32>(f + F_SP, <u32>stack);
  store<i64>(f + F_GAS, gas);
  store<u32>(f + F_MEMORY, <u32>mem);
  store<u32>(f + F_MEMORY_SIZE, 0);
  store<u32>(f + F_RETURNDATA_LEN, 0);
  store<u32>(f + F_KIND, kind);
  store<u32>(f + F_DEPTH, depth);
  frame = f;
  memBase = mem;
  memSize = 0;
  return f;
}

/** Records where the frame's changes begin, so a failure can undo exactly them. */
/** Fills a new frame: where to roll back to (state checkpoint, logs, refund) and the message it runs. */
@inline function initFrame(
  f: usize, cp: usize, logs: u32, tail: usize, refund: i64,
  target: usize, caller: usize, value: usize, account: usize, input: usize, inputLen: usize, isStatic: bool,
): void {
  store<u32>(f + F_CHECKPOINT, <u32>cp);
  store<u32>(f + F_LOG_COUNT, logs);
  store<u32>(f + F_LOG_TAIL, <u32>tail);
  store<i64>(f + F_REFUND, refund);
  u256.copy(f + F_ADDRESS, target);
  u256.copy(f + F_CALLER, caller);
  u256.copy(f + F_VALUE, value);
  store<u32>(f + F_ACCOUNT, <u32>account);
  store<u32>(f + F_INPUT, <u32>input);
  store<u32>(f + F_INPUT_LEN, <u32>inputLen);
  store<u32>(f + F_STATIC, isStatic ? 1 : 0);
}

/**
 * Starts a message call. `target` is the account whose storage and balance the code acts on,
 * `codeAccount` the one whose code runs (they differ for CALLCODE and DELEGATECALL).
 */
export function beginCall(
  parent: usize, kind: u32, caller: usize, callerAccount: usize, target: usize, targetAccount: usize,
  codeAddress: usize, codeAccount: usize, value: usize, transfer: bool, input: usize, inputLen: usize,
  gas: i64, isStatic: bool, depth: u32,
): u32 {
  const cp = checkpoint();
  touch(targetAccount);
  if (transfer && !u256.isZero(value)) {
    subBalance(callerAccount, value);
    addBalance(targetAccount, value);
  }
  const id = precompileAt(codeAddress);
  if (id != 0) {
    const left = runPrecompile(id, input, inputLen, gas);
    if (left < 0) {
      revertTo(cp);
      setResult(PRECOMPILE_FAILURE, 0, 0, 0);
    } else {
      setResult(SUCCESS, left, precompileOutput, precompileOutputLen);
    }
    return FINISHED;
  }
  const code = codeOf(codeAccount);
  if (code == 0) {
    setResult(SUCCESS, gas, 0, 0);
    return FINISHED;
  }
  const logs = logCount, tail = logTail, refund = refundCounter;
  const f = pushFrame(parent, kind, code, gas, depth);
  initFrame(f, cp, logs, tail, refund, target, caller, value, targetAccount, input, inputLen, isStatic);
  return ENTERED;
}

/** Starts a contract creation at `target` (the caller has bumped its nonce and checked collisions). */
export function beginCreate(
  parent: usize, kind: u32, caller: usize, callerAccount: usize, target: usize, targetAccount: usize,
  value: usize, initcode: usize, initcodeLen: usize, gas: i64, depth: u32,
): u32 {
  const cp = checkpoint();
  const logs = logCount, tail = logTail, refund = refundCounter;
  setFlag(targetAccount, CREATED);
  if (has(Eip.EIP158)) setNonce(targetAccount, 1);
  touch(targetAccount);
  if (!u256.isZero(value)) {
    subBalance(callerAccount, value);
    addBalance(targetAccount, value);
  }
  let code = <usize>load<u32>(header() + H_EMPTY_CODE);
  if (initcodeLen > 0) {
    code = heapAlloc(codeEntrySize(initcodeLen));
    memory.copy(code + CODE_BYTES, initcode, initcodeLen);
    finishCodeEntry(code, initcodeLen, false);
  }
  const f = pushFrame(parent, kind, code, gas, depth);
  initFrame(f, cp, logs, tail, refund, target, caller, value, targetAccount, 0, 0, false);
  return ENTERED;
}

/**
 * Ends the current frame with `status`, `gas` left and its output in memory; sets the result globals,
 * pops the frame and returns the parent frame (0 when the transaction's first frame ended).
 */
export function endFrame(status: u32, gas: i64, output: usize, outputLen: usize): usize {
  const f = frame;
  const kind = load<u32>(f + F_KIND);
  const isCreate = kind == <u32>CREATE || kind == <u32>CREATE2;
  if (isCreate && status == SUCCESS) {
    // Code deposit: EIP-3541 prefix, EIP-170 size, 200 gas a byte (before Homestead, too little gas
    // leaves the contract without code instead of failing).
    if (has(Eip.EIP3541) && outputLen > 0 && load<u8>(output) == 0xef) status = INVALID_CODE_PREFIX;
    else if (<u64>outputLen > MAX_CODE_SIZE) status = CODE_SIZE_EXCEEDED;
    else {
      const deposit = CODE_DEPOSIT_GAS * <i64>outputLen;
      if (gas < deposit) {
        if (has(Eip.HOMESTEAD)) status = OUT_OF_GAS;
      } else {
        gas -= deposit;
        if (outputLen > 0) {
          const entry = heapAlloc(codeEntrySize(outputLen));
          memory.copy(entry + CODE_BYTES, output, outputLen);
          finishCodeEntry(entry, outputLen, true);
          setCode(<usize>load<u32>(f + F_ACCOUNT), entry);
        }
      }
    }
  }
  if (status != SUCCESS) {
    revertTo(<usize>load<u32>(f + F_CHECKPOINT));
    setRefund(load<i64>(f + F_REFUND));
    truncateLogs(load<u32>(f + F_LOG_COUNT), <usize>load<u32>(f + F_LOG_TAIL));
  }
  if (isExceptional(status)) {
    gas = 0;
    outputLen = 0;
  }
  // Creations return data only when they revert; calls always do.
  let kept: usize = 0, keptLen: usize = 0;
  if (outputLen > 0 && (!isCreate || status == REVERT)) {
    kept = heapAlloc(outputLen);
    memory.copy(kept, output, outputLen);
    keptLen = outputLen;
  }
  setResult(status, gas, kept, keptLen);
  if (f == framesBase) {
    frame = 0;
    return 0;
  }
  const parent = f - FRAME_SIZE;
  frame = parent;
  memBase = <usize>load<u32>(parent + F_MEMORY);
  memSize = <usize>load<u32>(parent + F_MEMORY_SIZE);
  return parent;
}

/** Hands the result globals to the frame that made the call or creation. */
export function completeInParent(parent: usize, kind: u32, retOffset: usize, retSize: usize, created: usize): void {
  const sp = <usize>load<u32>(parent + F_SP);
  store<i64>(parent + F_GAS, load<i64>(parent + F_GAS) + resultGas);
  store<u32>(parent + F_RETURNDATA, <u32>resultOutput);
  store<u32>(parent + F_RETURNDATA_LEN, <u32>resultOutputLen);
  if (kind == <u32>CREATE || kind == <u32>CREATE2) {
    if (resultStatus == SUCCESS) u256.copy(sp, created);
    else u256.setU64(sp, 0);
  } else {
    u256.setU64(sp, resultStatus == SUCCESS ? 1 : 0);
    const n = resultOutputLen < retSize ? resultOutputLen : retSize;
    if (n > 0) memory.copy(memBase + retOffset, resultOutput, n);
  }
  store<u32>(parent + F_SP, <u32>(sp + 32));
}
