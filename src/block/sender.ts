// Sender recovery from a transaction's signature, for transactions given without `from`.

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { concatBytes, keccak256 } from '../bytes.js';
import { encodeUint, rlpEncode, type RlpInput } from '../rlp.js';
import type { TxInput } from '../core/inputs.js';

/** The signature fields of a transaction. */
export interface TxSignature {
  v: bigint;
  r: bigint;
  s: bigint;
  chainId: bigint;
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function accessListRlp(tx: TxInput): RlpInput {
  return tx.accessList.map((e) => [e.address, [...e.storageKeys]]);
}

/** The hash a transaction's sender signed (legacy with or without EIP-155, and types 1–3). */
export function signingHash(tx: TxInput, sig: TxSignature): Uint8Array {
  const to = tx.to ?? new Uint8Array(0);
  const u = encodeUint;
  switch (tx.type) {
    case 0: {
      const fields: RlpInput[] = [u(tx.nonce), u(tx.gasPrice), u(tx.gasLimit), to, u(tx.value), tx.data];
      if (sig.v !== 27n && sig.v !== 28n) fields.push(u(sig.chainId), u(0), u(0));
      return keccak256(rlpEncode(fields));
    }
    case 1:
      return keccak256(concatBytes(Uint8Array.of(1), rlpEncode([
        u(sig.chainId), u(tx.nonce), u(tx.gasPrice), u(tx.gasLimit), to, u(tx.value), tx.data, accessListRlp(tx)])));
    case 2:
      return keccak256(concatBytes(Uint8Array.of(2), rlpEncode([
        u(sig.chainId), u(tx.nonce), u(tx.maxPriorityFeePerGas), u(tx.gasPrice), u(tx.gasLimit), to, u(tx.value),
        tx.data, accessListRlp(tx)])));
    case 3:
      return keccak256(concatBytes(Uint8Array.of(3), rlpEncode([
        u(sig.chainId), u(tx.nonce), u(tx.maxPriorityFeePerGas), u(tx.gasPrice), u(tx.gasLimit), to, u(tx.value),
        tx.data, accessListRlp(tx), u(tx.maxFeePerBlobGas), [...tx.blobVersionedHashes]])));
    default:
      throw new Error(`transaction type ${tx.type} is not supported`);
  }
}

/** Recovers the sender address; throws with the reason when the signature is invalid. */
export function recoverSender(tx: TxInput, sig: TxSignature): Uint8Array {
  if (sig.r <= 0n || sig.r >= SECP256K1_N || sig.s <= 0n || sig.s > SECP256K1_N / 2n) {
    throw new Error('invalid signature: r or s out of range');
  }
  let recovery: bigint;
  if (tx.type !== 0) recovery = sig.v;
  else if (sig.v === 27n || sig.v === 28n) recovery = sig.v - 27n;
  else recovery = sig.v - 35n - 2n * sig.chainId;
  if (recovery !== 0n && recovery !== 1n) throw new Error(`invalid signature: v = ${sig.v} for chain ${sig.chainId}`);
  const signature = new secp256k1.Signature(sig.r, sig.s).addRecoveryBit(Number(recovery));
  const publicKey = signature.recoverPublicKey(signingHash(tx, sig)).toBytes(false);
  return keccak256(publicKey.subarray(1)).subarray(12);
}
