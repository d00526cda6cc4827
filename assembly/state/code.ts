// Contract code entries: the code padded with 33 zero bytes (so a PUSH32 at the end reads zeros and
// running off the end meets STOP), and the jump-destination bitmap, built once per code.
//
//   +0   keccak-256 of the code (32 bytes, big-endian as Ethereum hashes are)
//   +32  u32 length
//   +36  u32 pointer to the jump-destination bitmap (1 bit per code byte)
//   +64  code bytes, then CODE_PADDING zero bytes, then the bitmap

import { keccak256 } from "../crypto/keccak";
import { JUMPDEST, PUSH1, PUSH32 } from "../evm/opcodes";

export const CODE_HASH: usize = 0;
export const CODE_LEN: usize = 32;
export const CODE_BITMAP: usize = 36;
export const CODE_BYTES: usize = 64;
export const CODE_PADDING: usize = 33;

/** Bytes an entry for `len` bytes of code needs. */
@inline export function codeEntrySize(len: usize): usize {
  return CODE_BYTES + len + CODE_PADDING + ((len + 8) >> 3);
}

@inline export function codeLength(entry: usize): usize {
  return entry == 0 ? 0 : <usize>load<u32>(entry + CODE_LEN);
}

/**
 * Completes an entry whose `len` code bytes are already at entry + CODE_BYTES: pads, builds the bitmap
 * and, if `withHash`, hashes the code (initcode never needs its hash).
 */
export function finishCodeEntry(entry: usize, len: usize, withHash: bool): void {
  store<u32>(entry + CODE_LEN, <u32>len);
  const code = entry + CODE_BYTES;
  memory.fill(code + len, 0, CODE_PADDING);
  const bitmap = code + len + CODE_PADDING;
  store<u32>(entry + CODE_BITMAP, <u32>bitmap);
  memory.fill(bitmap, 0, (len + 8) >> 3);
  for (let i: usize = 0; i < len; i++) {
    const op = load<u8>(code + i);
    if (op == JUMPDEST) {
      store<u8>(bitmap + (i >> 3), load<u8>(bitmap + (i >> 3)) | <u8>(<u32>1 << <u32>(i & 7)));
    } else if (op >= PUSH1 && op <= PUSH32) {
      i += <usize>(op - PUSH1 + 1);
    }
  }
  if (withHash) keccak256(entry + CODE_HASH, code, len);
}

/** Whether `dest` is a JUMPDEST in code (not inside push data). */
@inline export function isJumpDest(entry: usize, dest: usize): bool {
  if (dest >= <usize>load<u32>(entry + CODE_LEN)) return false;
  const bitmap = <usize>load<u32>(entry + CODE_BITMAP);
  return (load<u8>(bitmap + (dest >> 3)) & <u8>(<u32>1 << <u32>(dest & 7))) != 0;
}
