// World-state and storage roots (Yellow Paper section 4.1): secure tries keyed by keccak(address)
// and keccak(slot as 32 bytes).

import { bigIntToBytes, hexToBytes } from '../bytes.js';
import { encodeUint, rlpEncode } from '../rlp.js';
import { secureRootOfOwned, type OwnedEntry } from './root.js';

/** Code hash of an account without code: keccak256(''). */
export const EMPTY_CODE_HASH: Uint8Array = hexToBytes('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');

/** What the state root needs of an account. Every account given is in the trie: drop empty ones first where EIP-161 says so. */
export interface AccountForRoot {
  address: Uint8Array;
  nonce: bigint;
  balance: bigint;
  codeHash: Uint8Array;
  /** Slot → value; zero values are skipped (a zero slot is absent from the trie). */
  storage: Iterable<[slot: bigint, value: bigint]>;
}

const MAX_U256 = (1n << 256n) - 1n;

/** Root of an account's storage trie: key keccak(slot as 32 bytes), value rlp(minimal bytes of value). */
export function storageRoot(storage: Iterable<[slot: bigint, value: bigint]>): Uint8Array {
  const entries: OwnedEntry[] = [];
  for (const [slot, value] of storage) {
    if (value === 0n) continue;
    if (value < 0n || value > MAX_U256) throw new Error(`storageRoot: value of slot ${slot} is not a 256-bit word: ${value}`);
    if (slot < 0n || slot > MAX_U256) throw new Error(`storageRoot: slot is not a 256-bit word: ${slot}`);
    entries.push([bigIntToBytes(slot, 32), rlpEncode(bigIntToBytes(value))]);
  }
  return secureRootOfOwned(entries, 'storage slot');
}

/** World-state root: leaf rlp([nonce, balance, storageRoot, codeHash]) under keccak(address). */
export function stateRoot(accounts: Iterable<AccountForRoot>): Uint8Array {
  const entries: OwnedEntry[] = [];
  for (const a of accounts) {
    if (a.address.length !== 20) throw new Error(`stateRoot: address must be 20 bytes, got ${a.address.length}`);
    if (a.codeHash.length !== 32) throw new Error(`stateRoot: code hash must be 32 bytes, got ${a.codeHash.length}`);
    if (a.nonce < 0n || a.nonce >= 1n << 64n) throw new Error(`stateRoot: nonce out of range: ${a.nonce}`);
    if (a.balance < 0n || a.balance > MAX_U256) throw new Error(`stateRoot: balance out of range: ${a.balance}`);
    const leaf = rlpEncode([encodeUint(a.nonce), encodeUint(a.balance), storageRoot(a.storage), a.codeHash]);
    entries.push([a.address, leaf]);
  }
  return secureRootOfOwned(entries, 'account');
}
