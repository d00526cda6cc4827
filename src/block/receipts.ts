// Receipts: the logs bloom, the consensus encoding (typed envelopes from EIP-2718) and the root.

import { bytesToHex, concatBytes, keccak256 } from '../bytes.js';
import { encodeUint, rlpEncode } from '../rlp.js';
import { orderedTrieRoot } from '../trie/index.js';
import type { CoreLog } from '../core/core.js';

/** Adds a log's address and topics to a 256-byte bloom (Yellow Paper 4.3.1). */
export function addToBloom(bloom: Uint8Array, log: CoreLog): void {
  for (const item of [log.address, ...log.topics]) {
    const h = keccak256(item);
    for (let i = 0; i < 6; i += 2) {
      const bit = ((h[i] << 8) | h[i + 1]) & 2047;
      bloom[255 - (bit >> 3)] |= 1 << (bit & 7);
    }
  }
}

export function bloomOf(logs: readonly CoreLog[]): Uint8Array {
  const bloom = new Uint8Array(256);
  for (const log of logs) addToBloom(bloom, log);
  return bloom;
}

/** The consensus encoding of a receipt: [status, cumulative gas, bloom, logs], type-prefixed from type 1. */
export function encodeReceipt(type: number, success: boolean, cumulativeGasUsed: bigint, bloom: Uint8Array, logs: readonly CoreLog[]): Uint8Array {
  const body = rlpEncode([
    success ? Uint8Array.of(1) : new Uint8Array(0),
    encodeUint(cumulativeGasUsed),
    bloom,
    logs.map((l) => [l.address, [...l.topics], l.data]),
  ]);
  return type === 0 ? body : concatBytes(Uint8Array.of(type), body);
}

export function receiptsRoot(encoded: readonly Uint8Array[]): string {
  return bytesToHex(orderedTrieRoot(encoded));
}
