// Receipts: the consensus encoding (typed envelopes from EIP-2718) and the root. The logs bloom
// comes from the core (assembly/tx/transaction.ts).

import { bytesToHex, concatBytes } from '../bytes.js';
import { encodeUint, rlpEncode } from '../rlp.js';
import { orderedTrieRoot } from '../trie/index.js';
import type { CoreLog } from '../core/core.js';

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
