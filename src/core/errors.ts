// Named transaction validity errors: the core returns a code (assembly/tx/transaction.ts), these
// give it a kind a caller can switch on and a message a person can read.

/** Why a transaction cannot be included, one kind per rule. */
export type InvalidTxKind =
  | 'TYPE_NOT_SUPPORTED' | 'NONCE_TOO_LOW' | 'NONCE_TOO_HIGH' | 'NONCE_MAX' | 'INTRINSIC_GAS_TOO_LOW'
  | 'GAS_LIMIT_EXCEEDS_BLOCK' | 'FEE_CAP_BELOW_BASE_FEE' | 'PRIORITY_FEE_ABOVE_FEE_CAP' | 'INSUFFICIENT_FUNDS'
  | 'SENDER_NOT_EOA' | 'INITCODE_TOO_LARGE' | 'BLOB_CREATE' | 'NO_BLOBS' | 'TOO_MANY_BLOBS'
  | 'BLOB_HASH_VERSION' | 'BLOB_FEE_CAP_TOO_LOW';

/** Core validity codes in order (code 0 is valid). */
export const INVALID_TX_KINDS: readonly InvalidTxKind[] = [
  'TYPE_NOT_SUPPORTED', 'NONCE_TOO_LOW', 'NONCE_TOO_HIGH', 'NONCE_MAX', 'INTRINSIC_GAS_TOO_LOW',
  'GAS_LIMIT_EXCEEDS_BLOCK', 'FEE_CAP_BELOW_BASE_FEE', 'PRIORITY_FEE_ABOVE_FEE_CAP', 'INSUFFICIENT_FUNDS',
  'SENDER_NOT_EOA', 'INITCODE_TOO_LARGE', 'BLOB_CREATE', 'NO_BLOBS', 'TOO_MANY_BLOBS', 'BLOB_HASH_VERSION',
  'BLOB_FEE_CAP_TOO_LOW',
];

const MESSAGES: Record<InvalidTxKind, string> = {
  TYPE_NOT_SUPPORTED: 'transaction type is not enabled at this fork',
  NONCE_TOO_LOW: 'nonce is lower than the sender account nonce',
  NONCE_TOO_HIGH: 'nonce is higher than the sender account nonce',
  NONCE_MAX: 'nonce is 2^64-1 (EIP-2681)',
  INTRINSIC_GAS_TOO_LOW: 'gas limit is below the intrinsic gas',
  GAS_LIMIT_EXCEEDS_BLOCK: 'gas limit exceeds the gas left in the block',
  FEE_CAP_BELOW_BASE_FEE: 'max fee per gas is below the block base fee',
  PRIORITY_FEE_ABOVE_FEE_CAP: 'max priority fee per gas is above max fee per gas',
  INSUFFICIENT_FUNDS: 'sender balance cannot pay gas limit × fee cap + value',
  SENDER_NOT_EOA: 'sender has code (EIP-3607)',
  INITCODE_TOO_LARGE: 'initcode exceeds 49152 bytes (EIP-3860)',
  BLOB_CREATE: 'blob transaction cannot create a contract',
  NO_BLOBS: 'blob transaction has no blob hashes',
  TOO_MANY_BLOBS: 'blob transaction has more blobs than a block allows',
  BLOB_HASH_VERSION: 'blob versioned hash does not start with 0x01',
  BLOB_FEE_CAP_TOO_LOW: 'max fee per blob gas is below the blob base fee',
};

/** An invalid transaction: `kind` names the rule, the message says which transaction and why. */
export class InvalidTransactionError extends Error {
  constructor(readonly kind: InvalidTxKind, where: string) {
    super(`${where}: invalid transaction: ${MESSAGES[kind]} (${kind})`);
    this.name = 'InvalidTransactionError';
  }
}

/** The kind for a core validity code. */
export function invalidTxKind(code: number): InvalidTxKind {
  const kind = INVALID_TX_KINDS[code - 1];
  if (kind === undefined) throw new Error(`core returned unknown validity code ${code}`);
  return kind;
}

/**
 * Execution needed state the caller did not provide, where the input said absent means unknown.
 * `slot` is undefined when a whole account was missing.
 */
export class MissingStateError extends Error {
  /**
   * `address` and `slot` name a missing account or slot; for a missing block hash (BLOCKHASH),
   * `blockNumber` is set and `address` is empty.
   */
  constructor(readonly address: string, readonly slot: string | undefined, where = '', readonly blockNumber?: bigint) {
    const what = blockNumber !== undefined ? `the hash of block ${blockNumber} is not in blockHashes`
      : `${slot === undefined ? `account ${address}` : `storage slot ${slot} of ${address}`} is not in the pre-state`;
    super(`${where ? where + ': ' : ''}missing state: ${what}`);
    this.name = 'MissingStateError';
  }

  /** The same error with the block and transaction it happened in. */
  at(where: string): MissingStateError {
    return new MissingStateError(this.address, this.slot, where, this.blockNumber);
  }
}

/**
 * More than one thread was asked for where memory cannot be shared between threads: a browser page
 * that is not cross-origin isolated has no SharedArrayBuffer.
 */
export class SharedMemoryUnavailableError extends Error {
  constructor(readonly threads: number) {
    super(`threads: ${threads} needs memory shared between threads, which this context lacks: a page must be cross-origin ` +
      'isolated (served with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp). ' +
      'Pass threads: 1, or allowSingleThread: true to run on one thread whenever this happens.');
    this.name = 'SharedMemoryUnavailableError';
  }
}
