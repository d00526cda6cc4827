// A block's results written into one buffer, for the host to copy out before the next block reuses
// the memory (src/core/snapshot.ts reads it back). Per result, from its offset: u32 validity, u32
// status, u64 gas used, u64 blob gas used, the created address (20 bytes), u32 log count, then per
// log: the address (20 bytes), u32 topic count, the topics (32 bytes each), u32 data length and the
// data; then, when there are logs, the bloom (256 bytes); u32 output length and the output. Integers
// little-endian; addresses and topics in the core's word order (least significant byte first).
//
// Snapshot record (the return value): +0 u32 offsets (n u32s)  +4 u32 the buffer  +8 u32 its length.

import { sharedAlloc } from "../layout";
import { R_BLOB_GAS_USED, R_BLOOM, R_CREATED, R_GAS_USED, R_LOGS, R_OUTPUT, R_OUTPUT_LEN, R_STATUS, R_VALIDITY } from "./transaction";
import { LOG_ADDRESS, LOG_DATA, LOG_DATA_LEN, LOG_NEXT, LOG_TOPICS, LOG_TOPIC_COUNT } from "../evm/instructions/logging";

/** Writes the results of n transactions (result record pointers at outputs + stride * i) into one buffer. */
export function snapshotResults(outputs: usize, stride: usize, n: u32): usize {
  let bytes: usize = 0;
  for (let i: u32 = 0; i < n; i++) bytes += resultBytes(<usize>load<u32>(outputs + stride * i));
  const snapshot = sharedAlloc(12);
  const offsets = sharedAlloc(<usize>n << 2);
  const buffer = sharedAlloc(bytes);
  let at = buffer;
  for (let i: u32 = 0; i < n; i++) {
    const r = <usize>load<u32>(outputs + stride * i);
    store<u32>(offsets + (<usize>i << 2), <u32>(at - buffer));
    store<u32>(at, load<u32>(r + R_VALIDITY));
    store<u32>(at + 4, load<u32>(r + R_STATUS));
    store<u64>(at + 8, load<u64>(r + R_GAS_USED));
    store<u64>(at + 16, load<u64>(r + R_BLOB_GAS_USED));
    memory.copy(at + 24, r + R_CREATED, 20);
    const countAt = at + 44;
    at += 48;
    let logs: u32 = 0;
    for (let log = <usize>load<u32>(r + R_LOGS); log != 0; log = <usize>load<u32>(log + LOG_NEXT)) {
      logs++;
      memory.copy(at, log + LOG_ADDRESS, 20);
      const topics = <usize>load<u32>(log + LOG_TOPIC_COUNT);
      store<u32>(at + 20, <u32>topics);
      memory.copy(at + 24, log + LOG_TOPICS, topics << 5);
      at += 24 + (topics << 5);
      const len = <usize>load<u32>(log + LOG_DATA_LEN);
      store<u32>(at, <u32>len);
      memory.copy(at + 4, <usize>load<u32>(log + LOG_DATA), len);
      at += 4 + len;
    }
    store<u32>(countAt, logs);
    if (logs > 0) {
      memory.copy(at, r + R_BLOOM, 256);
      at += 256;
    }
    const outputLen = <usize>load<u32>(r + R_OUTPUT_LEN);
    store<u32>(at, <u32>outputLen);
    memory.copy(at + 4, <usize>load<u32>(r + R_OUTPUT), outputLen);
    at += 4 + outputLen;
  }
  store<u32>(snapshot, <u32>offsets);
  store<u32>(snapshot + 4, <u32>buffer);
  store<u32>(snapshot + 8, <u32>bytes);
  return snapshot;
}

/** The bytes one result takes in the buffer. */
function resultBytes(r: usize): usize {
  let bytes: usize = 48 + 4 + <usize>load<u32>(r + R_OUTPUT_LEN);
  let logs = false;
  for (let log = <usize>load<u32>(r + R_LOGS); log != 0; log = <usize>load<u32>(log + LOG_NEXT)) {
    logs = true;
    bytes += 24 + (<usize>load<u32>(log + LOG_TOPIC_COUNT) << 5) + 4 + <usize>load<u32>(log + LOG_DATA_LEN);
  }
  return logs ? bytes + 256 : bytes;
}
