// LOG0..LOG4. Logs form a list in the transaction heap; a failing frame truncates it to where the
// frame began. Log record (LOG_*): +0 u32 next, +4 u32 topic count, +8 u32 data pointer, +12 u32 data
// length, +16 address word, +48 topic words.

import * as u256 from "../../u256";
import { heapAlloc } from "../../layout";
import { chargeMemory, memArg, memBase, F_ADDRESS, F_STATIC, raise } from "../frame";
import { STATIC_VIOLATION } from "../status";

export const LOG_NEXT: usize = 0;
export const LOG_TOPIC_COUNT: usize = 4;
export const LOG_DATA: usize = 8;
export const LOG_DATA_LEN: usize = 12;
export const LOG_ADDRESS: usize = 16;
export const LOG_TOPICS: usize = 48;

export let logHead: usize = 0;
export let logTail: usize = 0;
export let logCount: u32 = 0;

export function resetLogs(): void {
  logHead = 0;
  logTail = 0;
  logCount = 0;
}

/** Drops the logs after the first `count` (whose last record is `tail`). */
export function truncateLogs(count: u32, tail: usize): void {
  logCount = count;
  logTail = tail;
  if (tail == 0) logHead = 0;
  else store<u32>(tail + LOG_NEXT, 0);
}

export function log(sp: usize, gas: i64, f: usize, topics: u32): i64 {
  if (load<u32>(f + F_STATIC) != 0) return raise(STATIC_VIOLATION);
  const offset = memArg(sp - 32), size = memArg(sp - 64);
  gas -= <i64>size * 8;
  if (gas < 0) return gas;
  gas = chargeMemory(offset, size, gas);
  if (gas < 0) return gas;
  const rec = heapAlloc(LOG_TOPICS + (<usize>topics << 5) + <usize>size);
  store<u32>(rec + LOG_NEXT, 0);
  store<u32>(rec + LOG_TOPIC_COUNT, topics);
  const data = rec + LOG_TOPICS + (<usize>topics << 5);
  store<u32>(rec + LOG_DATA, <u32>data);
  store<u32>(rec + LOG_DATA_LEN, <u32>size);
  u256.copy(rec + LOG_ADDRESS, f + F_ADDRESS);
  for (let i: u32 = 0; i < topics; i++) u256.copy(rec + LOG_TOPICS + (<usize>i << 5), sp - 96 - (<usize>i << 5));
  if (size > 0) memory.copy(data, memBase + <usize>offset, <usize>size);
  if (logTail == 0) logHead = rec;
  else store<u32>(logTail + LOG_NEXT, <u32>rec);
  logTail = rec;
  logCount++;
  return gas;
}
