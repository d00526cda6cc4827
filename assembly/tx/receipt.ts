// The consensus encoding of a receipt (Yellow Paper 4.3.1, EIP-2718 envelopes): the type byte from
// type 1 on, then rlp([status, cumulative gas used, logs bloom, logs]), each log
// rlp([address, [topics...], data]). Written from a result record (tx/transaction.ts), no objects.

import * as u256 from "../u256";
import { scratch, sharedAlloc } from "../layout";
import { R_BLOOM, R_LOGS, R_STATUS } from "./transaction";
import { SUCCESS } from "../evm/status";

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
  const topics = <usize>load<u32>(rec, 4);
  const dataLen = <usize>load<u32>(rec, 12);
  const data = <usize>load<u32>(rec, 8);
  const payload: usize = 21 + headerSize(topics * 33) + topics * 33 + stringSize(dataLen, dataLen > 0 ? load<u8>(data) : 0);
  return headerSize(payload) + payload;
}

let encodedLength: usize = 0;

/** The length of the last encoding `encodeReceipt` returned. */
export function lastReceiptLength(): usize { return encodedLength; }

/** Encodes the receipt of the result record `output`; returns its address in shared memory. */
export function encodeReceipt(output: usize, type: u32, cumulativeGas: u64): usize {
  let logsPayload: usize = 0;
  for (let rec = <usize>load<u32>(output + R_LOGS); rec != 0; rec = <usize>load<u32>(rec)) logsPayload += logSize(rec);
  const gasBytes: usize = cumulativeGas == 0 ? 0 : <usize>(8 - (clz<u64>(cumulativeGas) >> 3));
  const gasSize: usize = gasBytes == 1 && cumulativeGas < 0x80 ? 1 : 1 + gasBytes;
  const payload: usize = 1 + gasSize + 3 + 256 + headerSize(logsPayload) + logsPayload;
  const total: usize = (type == 0 ? 0 : 1) + headerSize(payload) + payload;
  const out = sharedAlloc(total);
  let p = out;
  if (type != 0) store<u8>(p++, <u8>type);
  p = writeHeader(p, payload, true);
  store<u8>(p++, load<u32>(output + R_STATUS) == SUCCESS ? 0x01 : 0x80);
  if (gasSize == 1) store<u8>(p++, <u8>cumulativeGas);
  else {
    store<u8>(p++, 0x80 + <u8>gasBytes);
    for (let i: usize = 0; i < gasBytes; i++) store<u8>(p++, <u8>(cumulativeGas >> ((gasBytes - 1 - i) << 3)));
  }
  store<u8>(p++, 0xb9);
  store<u8>(p++, 0x01);
  store<u8>(p++, 0x00);
  memory.copy(p, output + R_BLOOM, 256);
  p += 256;
  p = writeHeader(p, logsPayload, true);
  const be = scratch + 192;
  for (let rec = <usize>load<u32>(output + R_LOGS); rec != 0; rec = <usize>load<u32>(rec)) {
    const topics = <usize>load<u32>(rec, 4);
    const dataLen = <usize>load<u32>(rec, 12);
    const data = <usize>load<u32>(rec, 8);
    p = writeHeader(p, 21 + headerSize(topics * 33) + topics * 33 + stringSize(dataLen, dataLen > 0 ? load<u8>(data) : 0), true);
    store<u8>(p++, 0x94);
    u256.toBigEndian(be, rec + 16);
    memory.copy(p, be + 12, 20);
    p += 20;
    p = writeHeader(p, topics * 33, true);
    for (let t: usize = 0; t < topics; t++) {
      store<u8>(p++, 0xa0);
      u256.toBigEndian(p, rec + 48 + (t << 5));
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
  encodedLength = total;
  return out;
}

/** ORs a result record's bloom into a block bloom (256 bytes). */
export function orBloom(blockBloom: usize, output: usize): void {
  for (let i: usize = 0; i < 256; i += 8) {
    store<u64>(blockBloom + i, load<u64>(blockBloom + i) | load<u64>(output + R_BLOOM + i));
  }
}
