// A block's results copied out of shared memory into one buffer before the memory is reused, and read
// back as CoreResults when asked for: one allocation for the block instead of arrays and objects for
// every log of every transaction (most callers read a few receipts, or none).
//
// Layout per result, from offsets[i]: u32 validity, u32 status, u64 gas used, u64 blob gas used, the
// created address (20 bytes), u32 log count, then per log: the address (20 bytes), u32 topic count, the
// topics (32 bytes each), u32 data length and the data; then, when there are logs, the bloom (256
// bytes); u32 output length and the output. Integers little-endian; addresses and topics in the core's
// word order (least significant byte first), as in the result records.

import type { CoreLog, CoreResult } from './core.js';
import { Log, Result } from './layout.js';

/** A result's record and everything it points to, read from the core's memory. */
export interface ResultMemory {
  u8: Uint8Array;
  dv: DataView;
}

export class ResultSnapshot {
  private readonly dv: DataView;

  constructor(private readonly bytes: Uint8Array, private readonly offsets: Uint32Array, private readonly noLogsBloom: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Copies the result records at `records` (addresses in `memory`). */
  static take(memory: ResultMemory, records: readonly number[], noLogsBloom: Uint8Array): ResultSnapshot {
    const { u8, dv } = memory;
    const offsets = new Uint32Array(records.length);
    let out = new Uint8Array(Math.max(64, records.length * 128));
    let at = 0;
    const room = (size: number): void => {
      if (at + size <= out.length) return;
      const grown = new Uint8Array(Math.max(2 * out.length, at + size));
      grown.set(out.subarray(0, at));
      out = grown;
    };
    const u32 = (v: number): void => {
      room(4);
      out[at] = v; out[at + 1] = v >>> 8; out[at + 2] = v >>> 16; out[at + 3] = v >>> 24;
      at += 4;
    };
    const copy = (from: number, len: number): void => {
      room(len);
      if (len <= 64) for (let k = 0; k < len; k++) out[at + k] = u8[from + k];
      else out.set(u8.subarray(from, from + len), at);
      at += len;
    };
    records.forEach((r, i) => {
      offsets[i] = at;
      copy(r + Result.VALIDITY, 4);
      copy(r + Result.STATUS, 4);
      copy(r + Result.GAS_USED, 8);
      copy(r + Result.BLOB_GAS_USED, 8);
      copy(r + Result.CREATED, 20);
      const countAt = at;
      u32(0);
      let logs = 0;
      for (let rec = dv.getUint32(r + Result.LOGS, true); rec !== 0; rec = dv.getUint32(rec + Log.NEXT, true)) {
        logs++;
        copy(rec + Log.ADDRESS, 20);
        const topics = dv.getUint32(rec + Log.TOPIC_COUNT, true);
        u32(topics);
        copy(rec + Log.TOPICS, 32 * topics);
        const len = dv.getUint32(rec + Log.DATA_LEN, true);
        u32(len);
        copy(dv.getUint32(rec + Log.DATA, true), len);
      }
      out[countAt] = logs; out[countAt + 1] = logs >>> 8; out[countAt + 2] = logs >>> 16; out[countAt + 3] = logs >>> 24;
      if (logs > 0) copy(r + Result.BLOOM, 256);
      const outputLen = dv.getUint32(r + Result.OUTPUT_LEN, true);
      u32(outputLen);
      copy(dv.getUint32(r + Result.OUTPUT, true), outputLen);
    });
    return new ResultSnapshot(out.subarray(0, at), offsets, noLogsBloom);
  }

  get length(): number {
    return this.offsets.length;
  }

  /** Result `i`, as Core.resultAt read it from memory. */
  at(i: number): CoreResult {
    const dv = this.dv, bytes = this.bytes;
    let at = this.offsets[i];
    const validity = dv.getUint32(at, true);
    const status = dv.getUint32(at + 4, true);
    const gasUsed = dv.getBigUint64(at + 8, true);
    const blobGasUsed = dv.getBigUint64(at + 16, true);
    const created = this.word(at + 24, 20);
    const count = dv.getUint32(at + 44, true);
    at += 48;
    const logs: CoreLog[] = [];
    for (let l = 0; l < count; l++) {
      const address = this.word(at, 20);
      const topicCount = dv.getUint32(at + 20, true);
      at += 24;
      const topics: Uint8Array[] = [];
      for (let t = 0; t < topicCount; t++, at += 32) topics.push(this.word(at, 32));
      const len = dv.getUint32(at, true);
      logs.push({ address, topics, data: bytes.slice(at + 4, at + 4 + len) });
      at += 4 + len;
    }
    let bloom = this.noLogsBloom;
    if (count > 0) {
      bloom = bytes.slice(at, at + 256);
      at += 256;
    }
    const outputLen = dv.getUint32(at, true);
    return { validity, status, gasUsed, blobGasUsed, logs, output: bytes.slice(at + 4, at + 4 + outputLen), created, bloom };
  }

  /** The `n` low bytes of a word in core order, most significant first. */
  private word(at: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let k = 0; k < n; k++) out[k] = this.bytes[at + n - 1 - k];
    return out;
  }
}
