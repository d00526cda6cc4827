// A block's results copied out of shared memory in one buffer (written by the core, assembly/tx/snapshot.ts,
// which gives the layout) before the memory is reused, and read back as CoreResults when asked for:
// one allocation for the block instead of arrays and objects for every log of every transaction (most
// callers read a few receipts, or none).

import type { CoreLog, CoreResult } from './core.js';

export class ResultSnapshot {
  private readonly dv: DataView;

  /** `bytes` and `offsets` as assembly/tx/snapshot.ts writes them (copied out of the core's memory). */
  constructor(private readonly bytes: Uint8Array, private readonly offsets: Uint32Array, private readonly noLogsBloom: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
