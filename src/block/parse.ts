// JSON-RPC blocks and pre-states into the core's inputs, with errors that say where the input is wrong.

import { bytesToHex, hexToBigInt, hexToBytes, keccak256 } from '../bytes.js';
import type { TxInput } from '../core/inputs.js';
import { recoverSender } from './sender.js';
import type { PreState, RpcBlock, RpcTransaction } from './types.js';

/** Input that cannot be executed: the message names the block, transaction or account and the field. */
export class BlockInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockInputError';
  }
}

function field(obj: object, key: string, where: string): unknown {
  const v = (obj as Record<string, unknown>)[key];
  if (v === undefined || v === null) throw new BlockInputError(`${where}: field "${key}" is missing`);
  return v;
}

/** A hex quantity field; throws naming the field when absent or malformed. */
export function quantity(obj: object, key: string, where: string): bigint {
  return quantityValue(field(obj, key, where), key, where);
}

/** A hex quantity (`v`, field `key` of `where`; the message is made only for an error). */
function quantityValue(v: unknown, key: string, where: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v !== 'string') throw new BlockInputError(`${where}: field "${key}" must be a hex string, got ${JSON.stringify(v)}`);
  try {
    return hexToBigInt(v, () => `${where}: field "${key}"`);
  } catch (error) {
    throw new BlockInputError((error as Error).message);
  }
}

function optionalQuantity(obj: object, key: string, where: string): bigint | undefined {
  const v = (obj as Record<string, unknown>)[key];
  return v === undefined || v === null ? undefined : quantity(obj, key, where);
}

/** Hex bytes of an exact length (20 for addresses, 32 for hashes). */
export function hexBytes(v: unknown, length: number | undefined, what: string): Uint8Array {
  if (typeof v !== 'string') throw new BlockInputError(`${what} must be a hex string, got ${JSON.stringify(v)}`);
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(v, what);
  } catch (error) {
    throw new BlockInputError((error as Error).message);
  }
  if (length !== undefined && bytes.length !== length) {
    throw new BlockInputError(`${what} must be ${length} bytes, got ${bytes.length}: ${v}`);
  }
  return bytes;
}

/** A parsed transaction: the core's input plus what receipts need. */
export interface ParsedTx extends TxInput {
  hash?: string;
}

const TX_TYPES = new Set([0, 1, 2, 3]);

/** Parses one RPC transaction; `index` and `blockNumber` only name it in errors. */
export function parseTransaction(tx: RpcTransaction, index: number, blockNumber: bigint): ParsedTx {
  const where = `block ${blockNumber} transaction ${index}${tx.hash ? ` (${tx.hash})` : ''}`;
  const type = tx.type === undefined ? 0 : Number(quantity(tx, 'type', where));
  if (!TX_TYPES.has(type)) throw new BlockInputError(`${where}: transaction type ${type} is not supported (0–3)`);
  const feeMarket = type >= 2;
  const parsed: ParsedTx = {
    type,
    hash: tx.hash,
    from: new Uint8Array(20),
    to: tx.to === undefined || tx.to === null ? undefined : hexBytes(tx.to, 20, `${where}: field "to"`),
    value: quantity(tx, 'value', where),
    gasLimit: quantity(tx, 'gas', where),
    nonce: quantity(tx, 'nonce', where),
    gasPrice: feeMarket ? quantity(tx, 'maxFeePerGas', where) : quantity(tx, 'gasPrice', where),
    maxPriorityFeePerGas: feeMarket ? quantity(tx, 'maxPriorityFeePerGas', where) : 0n,
    maxFeePerBlobGas: type === 3 ? quantity(tx, 'maxFeePerBlobGas', where) : 0n,
    data: hexBytes(field(tx, 'input', where), undefined, `${where}: field "input"`),
    accessList: type === 0 ? [] : ((tx.accessList ?? []) as { address: string; storageKeys: string[] }[]).map((e, i) => ({
      address: hexBytes(e.address, 20, `${where}: accessList[${i}].address`),
      storageKeys: (e.storageKeys ?? []).map((k, j) => hexBytes(k, 32, `${where}: accessList[${i}].storageKeys[${j}]`)),
    })),
    blobVersionedHashes: type === 3
      ? (field(tx, 'blobVersionedHashes', where) as string[]).map((h, i) => hexBytes(h, 32, `${where}: blobVersionedHashes[${i}]`))
      : [],
  };
  if (type === 3 && parsed.to === undefined) throw new BlockInputError(`${where}: a blob transaction must have "to"`);
  if (tx.from !== undefined && tx.from !== null) {
    parsed.from = hexBytes(tx.from, 20, `${where}: field "from"`);
  } else {
    const v = optionalQuantity(tx, 'yParity', where) ?? quantity(tx, 'v', where);
    try {
      parsed.from = recoverSender(parsed, {
        v, r: quantity(tx, 'r', where), s: quantity(tx, 's', where), chainId: optionalQuantity(tx, 'chainId', where) ?? 1n,
      });
    } catch (error) {
      if (error instanceof BlockInputError) throw error;
      throw new BlockInputError(`${where}: no "from" and the sender cannot be recovered: ${(error as Error).message}`);
    }
  }
  return parsed;
}

/** An account of the pre-state, decoded. */
export interface ParsedAccount {
  address: Uint8Array;
  exists: boolean;
  balance: bigint;
  nonce: bigint;
  code: Uint8Array;
  codeHash: Uint8Array;
  storage: Map<bigint, bigint>;
}

const EMPTY_CODE_HASH_HEX = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

/** Decodes a pre-state in either accepted shape (see PreStateAccount). */
export function parsePreState(pre: PreState, codes: Record<string, string> | undefined): Map<string, ParsedAccount> {
  if (typeof pre !== 'object' || pre === null || Array.isArray(pre)) {
    throw new BlockInputError('preState must be an object of accounts by address');
  }
  const accounts = new Map<string, ParsedAccount>();
  // Code hashes by the code's hex: accounts often share code (and EOAs all have none).
  const hashes = new Map<string, Uint8Array>();
  for (const [key, a] of Object.entries(pre)) {
    const address = hexBytes(key, 20, `preState: address ${key}`);
    const hex = key.length === 42 ? key.toLowerCase() : bytesToHex(address);
    const where = `preState account ${hex}`;
    if (a === null) {
      accounts.set(hex, { address, exists: false, balance: 0n, nonce: 0n, code: new Uint8Array(0), codeHash: hexToBytes(EMPTY_CODE_HASH_HEX), storage: new Map() });
      continue;
    }
    if (typeof a !== 'object') throw new BlockInputError(`${where}: must be an object`);
    let codeHex = '0x';
    const hashHex = a.code_hash ?? a.codeHash;
    if (a.code !== undefined) {
      codeHex = a.code;
    } else if (hashHex !== undefined && hashHex.toLowerCase() !== EMPTY_CODE_HASH_HEX) {
      const found = codes?.[hashHex] ?? codes?.[hashHex.toLowerCase()];
      if (found === undefined) throw new BlockInputError(`${where}: code ${hashHex} is not in the codes map`);
      codeHex = found;
    }
    const code = hexBytes(codeHex, undefined, a.code !== undefined ? `${where}: field "code"` : `codes[${hashHex}]`);
    let codeHash = hashes.get(codeHex);
    if (!codeHash) hashes.set(codeHex, (codeHash = keccak256(code)));
    if (hashHex !== undefined && bytesToHex(codeHash) !== hashHex.toLowerCase()) {
      throw new BlockInputError(`${where}: code does not hash to its code_hash ${hashHex}`);
    }
    const storage = new Map<bigint, bigint>();
    for (const [slot, value] of Object.entries(a.storage ?? {})) {
      const k = quantityValue(slot, 'slot', `${where} storage`);
      const v = quantityValue(value, 'value', `${where} storage slot ${slot}`);
      if (k >= 1n << 256n || v >= 1n << 256n) throw new BlockInputError(`${where}: storage slot ${slot} does not fit 256 bits`);
      storage.set(k, v);
    }
    const nonce = a.nonce === undefined ? 0n : typeof a.nonce === 'number' ? BigInt(a.nonce) : quantity(a, 'nonce', where);
    const balance = a.balance === undefined ? 0n : quantity(a, 'balance', where);
    if (balance >= 1n << 256n) throw new BlockInputError(`${where}: balance does not fit 256 bits`);
    if (nonce >= 1n << 64n) throw new BlockInputError(`${where}: nonce does not fit 64 bits`);
    accounts.set(hex, { address, exists: true, balance, nonce, code, codeHash, storage });
  }
  return accounts;
}

/** Parses block hashes given by number; returns the 256-entry table for `number`. */
export function blockHashTable(number: bigint, hashes: Record<string, string> | undefined): (Uint8Array | undefined)[] {
  const table: (Uint8Array | undefined)[] = [];
  if (!hashes) return table;
  for (let i = 0n; i < 256n && number - 1n - i >= 0n; i++) {
    const h = hashes[(number - 1n - i).toString()];
    table.push(h === undefined ? undefined : hexBytes(h, 32, `blockHashes[${number - 1n - i}]`));
  }
  return table;
}

/** Checks the block's shape before anything runs. */
export function checkBlock(block: RpcBlock): bigint {
  if (typeof block !== 'object' || block === null) throw new BlockInputError('block must be a JSON-RPC block object');
  const number = quantity(block, 'number', 'block');
  if (!Array.isArray(block.transactions)) throw new BlockInputError(`block ${number}: field "transactions" must be an array`);
  block.transactions.forEach((tx, i) => {
    if (typeof tx !== 'object' || tx === null) {
      throw new BlockInputError(`block ${number} transaction ${i}: expected a transaction object (fetch the block with full transactions)`);
    }
  });
  return number;
}
