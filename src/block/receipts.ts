// The receipts root: the ordered trie of the receipts' consensus encodings, which the core writes
// (assembly/tx/receipt.ts), as does the logs bloom.

import { bytesToHex } from '../bytes.js';
import { orderedTrieRoot } from '../trie/index.js';

export function receiptsRoot(encoded: readonly Uint8Array[]): string {
  return bytesToHex(orderedTrieRoot(encoded));
}
