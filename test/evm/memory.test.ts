// MLOAD, MSTORE, MSTORE8, MSIZE, MCOPY (assembly/evm/instructions/memory.ts) and memory expansion
// (assembly/evm/frame.ts chargeMemory). Expansion to a words costs C_mem(a) = 3a + floor(a² / 512)
// minus what the memory already paid (Yellow Paper H.1, eq. 326); an access of size 0 never expands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CONTRACT, Fork, MAX, OP, RET_GAS, RET_GAS_EXPANDED, S, asm, call, memoryGas, push, ret, run, toHex,
} from '../helpers/evm.js';

test('MSTORE then MLOAD round-trips a word', async () => {
  const v = (0xdeadbeefn << 200n) | 0x1234n;
  const out = await run(asm(push(v), push(0), OP.MSTORE, push(0), OP.MLOAD, ret()));
  assert.equal(out.value, v);
  // PUSH32 3, PUSH 3, MSTORE 3 + 3 (one word), PUSH 3, MLOAD 3, ret with memory already one word.
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 6 + 3 + 3 + RET_GAS_EXPANDED));
});

test('MSTORE writes big-endian: MLOAD at offset 1 shifts by a byte', async () => {
  const bytes = Array.from({ length: 32 }, (_, i) => i + 1);
  const v = BigInt('0x' + bytes.map((b) => b.toString(16).padStart(2, '0')).join(''));
  const out = await run(asm(push(v), push(0), OP.MSTORE, push(1), OP.MLOAD, ret()));
  assert.equal(out.value, (v << 8n) & MAX);
  // MLOAD at 1 reads bytes 1..32: memory grows from one word to two (6 - 3 = 3).
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 6 + 3 + 3 + 3 + RET_GAS_EXPANDED));
});

test('MSTORE8 writes only the low byte', async () => {
  const out = await run(asm(push(0x1234), push(0), OP.MSTORE8, push(0), OP.MLOAD, ret()));
  assert.equal(out.value, 0x34n << 248n);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 6 + 3 + 3 + RET_GAS_EXPANDED));
});

test('MSTORE8 at offset 31 is the last byte of the first word', async () => {
  const out = await run(asm(push(0xab), push(31), OP.MSTORE8, push(0), OP.MLOAD, ret()));
  assert.equal(out.value, 0xabn);
});

test('MLOAD of untouched memory reads zeros and expands', async () => {
  const out = await run(asm(push(64), OP.MLOAD, OP.MSIZE, ret()));
  assert.equal(out.value, 96n);
  // PUSH 3, MLOAD 3 + C_mem(3) = 9, MSIZE 2, ret within memory.
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3 + 9 + 2 + RET_GAS_EXPANDED));
});

const msizeRows: [string, Uint8Array, bigint][] = [
  ['MSIZE of fresh memory is 0', asm(OP.MSIZE), 0n],
  ['MSIZE after MSTORE8 at 0 is 32', asm(push(1), push(0), OP.MSTORE8, OP.MSIZE), 32n],
  ['MSIZE after MSTORE8 at 32 is 64', asm(push(1), push(32), OP.MSTORE8, OP.MSIZE), 64n],
  ['MSIZE after MLOAD at 33 is 96 (33 + 32 = 65 bytes round up to 3 words)', asm(push(33), OP.MLOAD, OP.POP, OP.MSIZE), 96n],
  ['MSIZE does not shrink', asm(push(100), OP.MLOAD, OP.POP, push(0), OP.MLOAD, OP.POP, OP.MSIZE), 160n],
  ['MSIZE after a zero-length MCOPY at a huge offset is 0', asm(push(0), push(0), push(1n << 200n), OP.MCOPY, OP.MSIZE), 0n],
  ['MSIZE after a zero-length CALLDATACOPY at a huge offset is 0', asm(push(0), push(0), push(MAX), OP.CALLDATACOPY, OP.MSIZE), 0n],
  ['MSIZE after a zero-length KECCAK256 at 1000 is 0', asm(push(0), push(1000), OP.KECCAK256, OP.POP, OP.MSIZE), 0n],
];
for (const [name, code, want] of msizeRows) {
  test(name, async () => {
    // Return the size with MSTORE at its own value's offset would change it: store it in storage instead.
    const out = await run(asm(code, push(0), OP.SSTORE));
    assert.equal(out.status, S.SUCCESS);
    assert.equal(out.storage.get(0n) ?? 0n, want);
  });
}

// Expansion boundaries: MSTORE8 at offset o needs floor(o / 32) + 1 words.
// Gas is PUSH 3 + PUSH 3 + MSTORE8 3 + C_mem(words).
const expansion: [number, number, number][] = [
  // offset, words, C_mem(words) written out
  [0, 1, 3 * 1 + 0],
  [31, 1, 3 * 1 + 0],
  [32, 2, 3 * 2 + 0],
  [703, 22, 3 * 22 + 0], // 22² = 484 < 512: still linear
  [704, 23, 3 * 23 + 1], // 23² = 529: the quadratic term starts
  [32767, 1024, 3 * 1024 + 2048], // 1024² / 512 = 2048
  [32768, 1025, 3 * 1025 + 2052], // 1025² = 1050625, / 512 = 2052.0...
];
for (const [offset, words, cost] of expansion) {
  test(`MSTORE8 at ${offset} expands to ${words} words for ${cost} gas`, async () => {
    assert.equal(memoryGas(words), cost);
    const out = await run(asm(push(1), push(offset), OP.MSTORE8));
    assert.equal(out.gasUsed, BigInt(21000 + 9 + cost));
    // With one gas less the expansion runs out of gas.
    const short = await run(asm(push(1), push(offset), OP.MSTORE8), { gasLimit: BigInt(21000 + 9 + cost - 1) });
    assert.equal(short.status, S.OUT_OF_GAS);
    const exact = await run(asm(push(1), push(offset), OP.MSTORE8), { gasLimit: BigInt(21000 + 9 + cost) });
    assert.equal(exact.status, S.SUCCESS);
  });
}

test('a second expansion pays only the difference', async () => {
  // 23 words cost 70; growing to 1024 words costs 5120 - 70 more.
  const out = await run(asm(push(1), push(704), OP.MSTORE8, push(1), push(32767), OP.MSTORE8));
  assert.equal(out.gasUsed, BigInt(21000 + 9 + 70 + 9 + (5120 - 70)));
});

test('an access inside memory costs nothing extra', async () => {
  const out = await run(asm(push(1), push(100), OP.MSTORE8, push(1), push(5), OP.MSTORE8));
  assert.equal(out.gasUsed, BigInt(21000 + 9 + memoryGas(4) + 9));
});

// Offsets no gas can pay for halt with out of gas and consume everything.
const huge: [string, Uint8Array][] = [
  ['MLOAD at 2^64', asm(push(1n << 64n), OP.MLOAD)],
  ['MLOAD at 2^32 - 32', asm(push(0xffffffe0n), OP.MLOAD)],
  ['MSTORE at 2^255', asm(push(1), push(1n << 255n), OP.MSTORE)],
  ['MSTORE8 at MAX', asm(push(1), push(MAX), OP.MSTORE8)],
  ['MSTORE at 2^32', asm(push(1), push(1n << 32n), OP.MSTORE)],
  ['RETURN of 2^64 bytes', asm(push(1n << 64n), push(0), OP.RETURN)],
  ['MCOPY of 2^40 bytes', asm(push(1n << 40n), push(0), push(0), OP.MCOPY)],
  ['MCOPY from 2^128', asm(push(1), push(1n << 128n), push(0), OP.MCOPY)],
  ['MCOPY to 2^128', asm(push(1), push(0), push(1n << 128n), OP.MCOPY)],
  ['CALLDATACOPY to MAX', asm(push(1), push(0), push(MAX), OP.CALLDATACOPY)],
];
for (const [name, code] of huge) {
  test(`${name} runs out of gas`, async () => {
    const out = await run(code, { gasLimit: 10_000_000n });
    assert.equal(out.status, S.OUT_OF_GAS);
    assert.equal(out.gasUsed, 10_000_000n);
  });
}

test('RETURN of zero bytes at offset 2^255 succeeds without expansion', async () => {
  const out = await run(asm(push(0), push(1n << 255n), OP.RETURN));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.output.length, 0);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3));
});

test('REVERT of zero bytes at offset MAX succeeds as a revert without expansion', async () => {
  const out = await run(asm(push(0), push(MAX), OP.REVERT));
  assert.equal(out.status, S.REVERT);
  assert.equal(out.gasUsed, BigInt(21000 + 3 + 3));
});

test('MCOPY of zero bytes between huge offsets costs only its base gas', async () => {
  const out = await run(asm(push(0), push(MAX), push(1n << 64n), OP.MCOPY));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.gasUsed, BigInt(21000 + 9 + 3));
});

/** Code that writes `bytes` (a multiple of 32 long) to memory at 0 with PUSH32/MSTORE pairs. */
function fill(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 32) {
    parts.push(asm(push(BigInt(toHex(bytes.subarray(i, i + 32))), 32), push(i), OP.MSTORE));
  }
  return asm(...parts);
}
/** fill()'s gas: 9 a word and the expansion to all of them. */
const fillGas = (len: number) => 9 * (len / 32) + memoryGas(len / 32);

/** MCOPY semantics by definition: as if the source were first copied to a buffer. */
function mcopyModel(pre: Uint8Array, dst: number, src: number, len: number): Uint8Array {
  const size = Math.max(pre.length, Math.ceil(Math.max(dst + len, src + len) / 32) * 32);
  const mem = new Uint8Array(size);
  mem.set(pre);
  mem.set(mem.slice(src, src + len), dst);
  return mem;
}

const pattern = Uint8Array.from({ length: 96 }, (_, i) => i);
const overlaps: [number, number, number][] = [
  [1, 0, 64], // forward overlap by all but one byte: a naive forward copy would smear byte 0
  [0, 33, 63], // backward overlap
  [5, 5, 80], // onto itself
  [32, 0, 64], // forward by one word
  [0, 32, 64], // backward by one word
  [17, 3, 31], // unaligned, within two words
];
for (const [dst, src, len] of overlaps) {
  test(`MCOPY dst ${dst} src ${src} len ${len} copies as if through a buffer`, async () => {
    const want = mcopyModel(pattern, dst, src, len);
    const out = await run(asm(fill(pattern), push(len), push(src), push(dst), OP.MCOPY, push(96), push(0), OP.RETURN));
    assert.equal(toHex(out.output), toHex(want));
    // fill, then PUSH x3 + MCOPY 3 + 3 per word copied (no expansion: all inside 96 bytes), then RETURN's pushes.
    assert.equal(out.gasUsed, BigInt(21000 + fillGas(96) + 9 + 3 + 3 * Math.ceil(len / 32) + 6));
  });
}

test('MCOPY expands memory to the larger end of source and destination', async () => {
  const pre = Uint8Array.from({ length: 32 }, (_, i) => 0xf0 + (i & 0x0f));
  // dst 64: the destination end (96) decides. Source inside memory.
  const out = await run(asm(fill(pre), push(32), push(0), push(64), OP.MCOPY, OP.MSIZE, ret()));
  assert.equal(out.value, 96n);
  // MCOPY: 3 + 3 (one word) + C_mem(3) - C_mem(1) = 9 - 3.
  assert.equal(out.gasUsed, BigInt(21000 + fillGas(32) + 9 + 3 + 3 + (memoryGas(3) - memoryGas(1)) + 2 + RET_GAS_EXPANDED));
  // src 64: the source end decides and the copied bytes are zeros.
  const fromOutside = await run(asm(fill(pre), push(32), push(64), push(0), OP.MCOPY, push(96), push(0), OP.RETURN));
  assert.equal(toHex(fromOutside.output), toHex(new Uint8Array(96)));
});

test('MCOPY is undefined before Cancun', async () => {
  const out = await run(asm(push(1), push(0), push(0), OP.MCOPY), { fork: Fork.Shanghai, gasLimit: 30_000n });
  assert.equal(out.status, S.INVALID_OPCODE);
  assert.equal(out.gasUsed, 30_000n);
});

test('memory starts empty in every call frame', async () => {
  // The caller (no calldata) grows its memory to 0x120 bytes, then calls itself with one byte of
  // calldata; the callee returns its MSIZE, which must be 0.
  const callerPart = asm(push(1), push(0x100, 2), OP.MSTORE, call(OP.CALL, CONTRACT, { argsSize: 1, retSize: 32 }),
    push(0), OP.MLOAD, ret());
  const head = (dest: number) => asm(OP.CALLDATASIZE, push(dest), OP.JUMPI);
  const dest = head(0).length + callerPart.length;
  const out = await run(asm(head(dest), callerPart, OP.JUMPDEST, OP.MSIZE, ret()));
  assert.equal(out.status, S.SUCCESS);
  assert.equal(out.value, 0n);
});

test('ret() costs RET_GAS on empty memory and RET_GAS_EXPANDED after', async () => {
  const fresh = await run(asm(push(7), ret()));
  assert.equal(fresh.gasUsed, BigInt(21000 + 3 + RET_GAS));
  const expanded = await run(asm(push(1), push(0), OP.MSTORE, push(2), ret()));
  assert.equal(expanded.gasUsed, BigInt(21000 + 3 + 3 + 6 + 3 + RET_GAS_EXPANDED));
});
