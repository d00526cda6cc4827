// The consensus encoding of a receipt (Yellow Paper 4.3.1, EIP-2718 envelopes): the type byte from
// type 1 on, then rlp([status, cumulative gas used, logs bloom, logs]), each log
// rlp([address, [topics...], data]). Written from a result record (tx/transaction.ts), no objects,
// straight into the receipts trie's leaves (trie/ordered.ts).

import * as u256 from "../u256";
import { scratch, sharedAlloc } from "../layout";
import { R_BLOB_GAS_USED, R_BLOOM, R_GAS_USED, R_LOGS, R_STATUS, R_VALIDITY } from "./transaction";
import { T_GAS_LIMIT, T_TYPE } from "../evm/context";
import { LEAF_ROOM, ORDERED_BOTTOMS_WORK, orderedBottoms, orderedLeafHash } from "../trie/ordered";
import { SUCCESS } from "../evm/status";
import { LOG_ADDRESS, LOG_DATA, LOG_DATA_LEN, LOG_NEXT, LOG_TOPICS, LOG_TOPIC_COUNT } from "../evm/instructions/logging";

@inline function headerSize(len: usize): usize {
  return len < 56 ? 1 : 1 + <usize>(8 - (clz<u64>(<u64>len) >> 3));
}

/** Writes an RLP string or list header for a payload of `len` bytes; returns the position after it. */
function writeHeader(p: usize, len: usize, list: bool): usize {
  const base: u8 = list ? 0xc0 : 0x80;
  if (len < 56) {
    store<u8>(p, base + <u8>len);
    return p + 1;
  }
  const bytes = <usize>(8 - (clz<u64>(<u64>len) >> 3));
  store<u8>(p, base + 55 + <u8>bytes);
  for (let i: usize = 0; i < bytes; i++) store<u8>(p + 1 + i, <u8>(len >> ((bytes - 1 - i) << 3)));
  return p + 1 + bytes;
}

/** Bytes of an RLP string of `len` bytes whose first byte is `first` (a lone byte below 0x80 is itself). */
@inline function stringSize(len: usize, first: u8): usize {
  return len == 1 && first < 0x80 ? 1 : headerSize(len) + len;
}

function logSize(rec: usize): usize {
  const topics = <usize>load<u32>(rec + LOG_TOPIC_COUNT);
  const dataLen = <usize>load<u32>(rec + LOG_DATA_LEN);
  const data = <usize>load<u32>(rec + LOG_DATA);
  const payload: usize = 21 + headerSize(topics * 33) + topics * 33 + stringSize(dataLen, dataLen > 0 ? load<u8>(data) : 0);
  return headerSize(payload) + payload;
}

/** Bytes of the consensus encoding of the receipt of result record `output`. */
function receiptSize(output: usize, type: u32, cumulativeGas: u64): usize {
  let logsPayload: usize = 0;
  for (let rec = <usize>load<u32>(output + R_LOGS); rec != 0; rec = <usize>load<u32>(rec + LOG_NEXT)) logsPayload += logSize(rec);
  const payload: usize = 1 + gasSize(cumulativeGas) + 3 + 256 + headerSize(logsPayload) + logsPayload;
  return (type == 0 ? 0 : 1) + headerSize(payload) + payload;
}

@inline function gasBytes(gas: u64): usize {
  return gas == 0 ? 0 : <usize>(8 - (clz<u64>(gas) >> 3));
}

@inline function gasSize(gas: u64): usize {
  return gas < 0x80 && gas != 0 ? 1 : 1 + gasBytes(gas);
}

/** Writes the receipt of result record `output` at `p` (receiptSize bytes). */
function writeReceipt(p: usize, output: usize, type: u32, cumulativeGas: u64): void {
  let logsPayload: usize = 0;
  for (let rec = <usize>load<u32>(output + R_LOGS); rec != 0; rec = <usize>load<u32>(rec + LOG_NEXT)) logsPayload += logSize(rec);
  const payload: usize = 1 + gasSize(cumulativeGas) + 3 + 256 + headerSize(logsPayload) + logsPayload;
  if (type != 0) store<u8>(p++, <u8>type);
  p = writeHeader(p, payload, true);
  store<u8>(p++, load<u32>(output + R_STATUS) == SUCCESS ? 0x01 : 0x80);
  if (cumulativeGas != 0 && cumulativeGas < 0x80) store<u8>(p++, <u8>cumulativeGas);
  else {
    const bytes = gasBytes(cumulativeGas);
    store<u8>(p++, 0x80 + <u8>bytes);
    for (let i: usize = 0; i < bytes; i++) store<u8>(p++, <u8>(cumulativeGas >> ((bytes - 1 - i) << 3)));
  }
  store<u8>(p++, 0xb9);
  store<u8>(p++, 0x01);
  store<u8>(p++, 0x00);
  memory.copy(p, output + R_BLOOM, 256);
  p += 256;
  p = writeHeader(p, logsPayload, true);
  const be = scratch + 192;
  for (let rec = <usize>load<u32>(output + R_LOGS); rec != 0; rec = <usize>load<u32>(rec + LOG_NEXT)) {
    const topics = <usize>load<u32>(rec + LOG_TOPIC_COUNT);
    const dataLen = <usize>load<u32>(rec + LOG_DATA_LEN);
    const data = <usize>load<u32>(rec + LOG_DATA);
    p = writeHeader(p, 21 + headerSize(topics * 33) + topics * 33 + stringSize(dataLen, dataLen > 0 ? load<u8>(data) : 0), true);
    store<u8>(p++, 0x94);
    u256.toBigEndian(be, rec + LOG_ADDRESS);
    memory.copy(p, be + 12, 20);
    p += 20;
    p = writeHeader(p, topics * 33, true);
    for (let t: usize = 0; t < topics; t++) {
      store<u8>(p++, 0xa0);
      u256.toBigEndian(p, rec + LOG_TOPICS + (t << 5));
      p += 32;
    }
    if (dataLen == 1 && load<u8>(data) < 0x80) {
      store<u8>(p++, load<u8>(data));
    } else {
      p = writeHeader(p, dataLen, false);
      memory.copy(p, data, dataLen);
      p += dataLen;
    }
  }
}

/**
 * The receipts trie's leaf hashes of transactions [from, to) of a block of n (32 bytes each at
 * `hashes` + 32 × index, with the bottom branches they complete after them: orderedLeavesBytes), for
 * trie/ordered.ts `orderedRoot`. `outputs` + `stride` × i holds the u32
 * address of transaction i's result record and `txs` + 4 × i that of its struct (for its type);
 * `gasBefore` is the gas the transactions before `from` used. Returns the gas used up to `to`.
 * Any thread may hash any range: the encodings are allocated from its own chunk.
 */
export function receiptLeaves(outputs: usize, stride: usize, txs: usize, n: u32, from: u32, to: u32, gasBefore: u64, hashes: usize): u64 {
  let cumulative = gasBefore;
  for (let i = from; i < to; i++) {
    const output = <usize>load<u32>(outputs + stride * i);
    // An invalid transaction (or one that met missing state) stops the block: its leaf is never used.
    if (load<u32>(output + R_VALIDITY) != 0) {
      memory.fill(hashes + (<usize>i << 5), 0, 32);
      continue;
    }
    cumulative += load<u64>(output + R_GAS_USED);
    const type = load<u32>(<usize>load<u32>(txs + (<usize>i << 2)) + T_TYPE);
    const size = receiptSize(output, type, cumulative);
    const value = sharedAlloc(LEAF_ROOM + size) + LEAF_ROOM;
    writeReceipt(value, output, type, cumulative);
    orderedLeafHash(i, n, value, size, hashes + (<usize>i << 5));
  }
  orderedBottoms(from, to, n, hashes, sharedAlloc(ORDERED_BOTTOMS_WORK));
  return cumulative;
}

/**
 * The first of n transactions (see receiptLeaves for `outputs`, `stride` and `txs`) that is invalid,
 * or whose gas limit is more than the transactions before it left of the block's `gasLimit`; n when
 * none is. (The host then names what is wrong with it.)
 */
export function firstOutOfOrder(outputs: usize, stride: usize, txs: usize, n: u32, gasLimit: u64): u32 {
  let used: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const output = <usize>load<u32>(outputs + stride * i);
    if (load<u32>(output + R_VALIDITY) != 0) return i;
    if (load<u64>(<usize>load<u32>(txs + (<usize>i << 2)) + T_GAS_LIMIT) > gasLimit - used) return i;
    used += load<u64>(output + R_GAS_USED);
  }
  return n;
}

/** The gas transactions [from, to) used (see receiptLeaves for `outputs` and `stride`). */
export function gasUsedBetween(outputs: usize, stride: usize, from: u32, to: u32): u64 {
  let gas: u64 = 0;
  for (let i = from; i < to; i++) gas += load<u64>(<usize>load<u32>(outputs + stride * i) + R_GAS_USED);
  return gas;
}

/**
 * A block's totals from its n result records (see receiptLeaves for `outputs` and `stride`): the
 * logs bloom ORed into the 256 bytes at `bloom`, the gas used and blob gas used as two u64 at `totals`.
 */
export function blockTotals(outputs: usize, stride: usize, n: u32, bloom: usize, totals: usize): void {
  let gas: u64 = 0, blobGas: u64 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const output = <usize>load<u32>(outputs + stride * i);
    gas += load<u64>(output + R_GAS_USED);
    blobGas += load<u64>(output + R_BLOB_GAS_USED);
    orBloom(bloom, output);
  }
  store<u64>(totals, gas);
  store<u64>(totals, blobGas, 8);
}

/** ORs a result record's bloom into a block bloom (256 bytes). */
function orBloom(blockBloom: usize, output: usize): void {
  for (let i: usize = 0; i < 256; i += 8) {
    store<u64>(blockBloom + i, load<u64>(blockBloom + i) | load<u64>(output + R_BLOOM + i));
  }
}
