// EIP-5656 MCOPY: copies length bytes from src to dst as if through an intermediate buffer; gas
// 3 + 3 per word + memory expansion to max(src, dst) + length. The first four cases are the EIP's
// test cases (each "gas 6": 3 + 3 for one word); the last three are zero-length copies at
// out-of-range offsets (3 gas, no expansion), as go-ethereum's tests of the EIP add.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fork, OP, S, asm, hex, memoryGas, push, run, toHex } from '../helpers/evm.js';

/** Code that writes `bytes` to memory at 0 with MSTORE8s (3 + 3 + 3 each, plus the expansion). */
function fill(bytes: Uint8Array): Uint8Array {
  return asm(...Array.from(bytes, (b, i) => asm(push(b), push(i), OP.MSTORE8)));
}

const CASES: [string, number, number, number, string, string, number][] = [
  // name, dst, src, length, memory before, memory after, MCOPY gas
  ['MCOPY 0 32 32', 0, 32, 32,
    '0000000000000000000000000000000000000000000000000000000000000000000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 6],
  ['MCOPY 0 0 32', 0, 0, 32,
    '0101010101010101010101010101010101010101010101010101010101010101',
    '0101010101010101010101010101010101010101010101010101010101010101', 6],
  ['MCOPY 0 1 8 (overlapping)', 0, 1, 8,
    '000102030405060708000000000000000000000000000000000000000000000000',
    '010203040506070808000000000000000000000000000000000000000000000000', 6],
  ['MCOPY 1 0 8 (overlapping)', 1, 0, 8,
    '000102030405060708000000000000000000000000000000000000000000000000',
    '000001020304050607000000000000000000000000000000000000000000000000', 6],
];

for (const [name, dst, src, length, before, after, mcopyGas] of CASES) {
  test(`EIP-5656 ${name}`, async () => {
    const pre = hex(before);
    const words = Math.ceil(pre.length / 32);
    const code = asm(fill(pre), push(length), push(src), push(dst), OP.MCOPY, push(pre.length), push(0), OP.RETURN);
    const out = await run(code);
    assert.equal(out.status, S.SUCCESS);
    assert.equal(toHex(out.output), '0x' + after);
    // fill: 9 a byte + C_mem(words); MCOPY's pushes 9; its gas; RETURN's pushes 6 (no expansion).
    assert.equal(out.gasUsed, BigInt(21000 + 9 * pre.length + memoryGas(words) + 9 + mcopyGas + 6));
  });
}

const EMPTY: [string, bigint, bigint][] = [
  ['MCOPY 0xFFFFFFFFFFFF 0xFFFFFFFFFFFF 0', 0xffffffffffffn, 0xffffffffffffn],
  ['MCOPY 0xFFFFFFFFFFFF 0 0', 0xffffffffffffn, 0n],
  ['MCOPY 0 0xFFFFFFFFFFFF 0', 0n, 0xffffffffffffn],
];
for (const [name, dst, src] of EMPTY) {
  test(`${name} copies nothing and does not expand memory`, async () => {
    const code = asm(push(0x11), push(0), OP.MSTORE8, push(0), push(src), push(dst), OP.MCOPY, OP.MSIZE, push(0), OP.MLOAD,
      push(0), OP.MSTORE, push(32), OP.MSTORE, push(64), push(0), OP.RETURN);
    const out = await run(code);
    assert.equal(toHex(out.output.subarray(0, 1)), '0x11'); // memory unchanged
    assert.equal(toHex(out.output.subarray(32)), '0x' + (32).toString(16).padStart(64, '0')); // MSIZE still 32
    // MSTORE8 9 + 3, MCOPY 9 + 3, MSIZE 2, MLOAD 3 + 3, MSTORE 3 + 3, MSTORE 3 + 3 + 3 (second word), RETURN 6.
    assert.equal(out.gasUsed, BigInt(21000 + 9 + 3 + 9 + 3 + 2 + 6 + 6 + 9 + 6));
  });
}

test('MCOPY of a length past 2^32 is out of gas', async () => {
  const out = await run(asm(push(1n << 32n), push(0), push(0), OP.MCOPY), { gasLimit: 1_000_000n });
  assert.equal(out.status, S.OUT_OF_GAS);
  assert.equal(out.gasUsed, 1_000_000n);
});

test('MCOPY is not defined before Cancun', async () => {
  const out = await run(asm(push(0), push(0), push(0), OP.MCOPY), { fork: Fork.Shanghai, gasLimit: 50_000n });
  assert.equal(out.status, S.INVALID_OPCODE);
});
