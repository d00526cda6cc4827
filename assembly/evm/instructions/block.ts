// BLOCKHASH .. BLOBBASEFEE: the block being executed.

import * as u256 from "../../u256";
import { fatal, scratch, FATAL_MISSING_BLOCK_HASH, SCRATCH_MISSING } from "../../layout";
import { absentIsUnknown } from "../../state/store";
import { block, tx, B_BLOCK_HASHES_KNOWN, B_BASE_FEE, B_BLOB_BASE_FEE, B_BLOCK_HASHES, B_CHAIN_ID, B_COINBASE, B_GAS_LIMIT, B_NUMBER,
  B_PREVRANDAO, B_TIMESTAMP, T_BLOB_COUNT, T_BLOB_HASHES } from "../context";
import { F_ACCOUNT } from "../frame";
import { LA_BALANCE } from "../../state/journal";

/**
 * BLOCKHASH: the hash of one of the 256 blocks before this one, else 0. A hash the caller did not
 * give reads as 0, or traps as missing state where the store says absent means unknown.
 */
export function blockhash(sp: usize): void {
  const w = sp - 32;
  const current = load<u64>(block + B_NUMBER);
  const hashes = <usize>load<u32>(block + B_BLOCK_HASHES);
  if (u256.fitsU64(w)) {
    const n = load<u64>(w);
    if (n < current && current - n <= 256) {
      const i = <usize>(current - 1 - n);
      const known = <usize>load<u32>(block + B_BLOCK_HASHES_KNOWN);
      if ((load<u8>(known + (i >> 3)) & <u8>(<u32>1 << <u32>(i & 7))) == 0 && absentIsUnknown()) {
        u256.setU64(scratch + SCRATCH_MISSING, n);
        fatal(FATAL_MISSING_BLOCK_HASH);
      }
      u256.copy(w, hashes + (i << 5));
      return;
    }
  }
  u256.setU64(w, 0);
}

@inline export function coinbase(sp: usize): void { u256.copy(sp, block + B_COINBASE); }
@inline export function timestamp(sp: usize): void { u256.setU64(sp, load<u64>(block + B_TIMESTAMP)); }
@inline export function number(sp: usize): void { u256.setU64(sp, load<u64>(block + B_NUMBER)); }
@inline export function prevrandao(sp: usize): void { u256.copy(sp, block + B_PREVRANDAO); }
@inline export function gaslimit(sp: usize): void { u256.setU64(sp, load<u64>(block + B_GAS_LIMIT)); }
@inline export function chainid(sp: usize): void { u256.copy(sp, block + B_CHAIN_ID); }
@inline export function basefee(sp: usize): void { u256.copy(sp, block + B_BASE_FEE); }
@inline export function blobbasefee(sp: usize): void { u256.copy(sp, block + B_BLOB_BASE_FEE); }
@inline export function selfbalance(sp: usize, f: usize): void {
  u256.copy(sp, <usize>load<u32>(f + F_ACCOUNT) + LA_BALANCE);
}

/** BLOBHASH (EIP-4844): the transaction's i-th versioned hash, else 0. */
export function blobhash(sp: usize): void {
  const w = sp - 32;
  const count = <u64>load<u32>(tx + T_BLOB_COUNT);
  if (u256.fitsU64(w) && load<u64>(w) < count) {
    u256.copy(w, <usize>load<u32>(tx + T_BLOB_HASHES) + (<usize>load<u64>(w) << 5));
  } else {
    u256.setU64(w, 0);
  }
}
