// Writing hex and integers into a buffer in place (src/bytes.ts hexInto, bigIntInto) gives the bytes
// the allocating helpers give, and refuses what does not fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressKey, bigIntInto, bigIntToBytes, bytesToHex, hexInto, hexToBytes } from '../src/bytes.js';

test('bigIntInto writes big-endian, left-padded, like bigIntToBytes', () => {
  const values = [0n, 1n, 0xffn, 0x100n, 0xffffffffffffn, 0x1000000000000n, 0xabcn, (1n << 255n) + 7n, (1n << 256n) - 1n, 10n ** 24n];
  for (const value of values) {
    const out = new Uint8Array(36).fill(0xee);
    assert.equal(bigIntInto(out, 2, value, 32), 34);
    assert.equal(bytesToHex(out.subarray(2, 34)), bytesToHex(bigIntToBytes(value, 32)), `${value}`);
    assert.deepEqual([out[0], out[1], out[34], out[35]], [0xee, 0xee, 0xee, 0xee], 'nothing outside its bytes');
  }
  assert.throws(() => bigIntInto(new Uint8Array(8), 0, 1n << 64n, 8), /does not fit in 8 bytes/);
  assert.throws(() => bigIntInto(new Uint8Array(4), 0, 1n << 32n, 4), /does not fit in 4 bytes/);
  assert.throws(() => bigIntInto(new Uint8Array(4), 0, -1n, 4), /negative/);
});

test('hexInto writes exactly the bytes of a fixed-length hex string', () => {
  const out = new Uint8Array(22);
  const address = '0x00a329c0648769a73afac7f9381e08fb43dbea72';
  assert.equal(hexInto(out, 1, address, 20), 21);
  assert.equal(bytesToHex(out.subarray(1, 21)), bytesToHex(hexToBytes(address)));
  assert.equal(hexInto(out, 0, 'ABCD', 2), 2, 'without 0x, upper case');
  assert.deepEqual([out[0], out[1]], [0xab, 0xcd]);
  assert.throws(() => hexInto(out, 0, '0xabc', 2), /expected 2 bytes/);
  assert.throws(() => hexInto(out, 0, '0xzz', 1), /non-hex character at position 2/);
});

test('addressKey: equal addresses give equal keys, addresses differing in any byte different ones', () => {
  const base = hexToBytes('0x00112233445566778899aabbccddeeff01234567');
  const keys = new Set<string>([addressKey(base)]);
  assert.equal(addressKey(base.slice()), addressKey(base));
  for (let i = 0; i < 20; i++) {
    for (const value of [0x00, 0x01, 0x80, 0xff]) {
      if (base[i] === value) continue;
      const other = base.slice();
      other[i] = value;
      keys.add(addressKey(other));
    }
  }
  // Every changed byte (and the unchanged address) a key of its own: 1 + 20 × 3 or 4 variants.
  const variants = 1 + [...base].reduce((a, b) => a + ([0x00, 0x01, 0x80, 0xff].includes(b) ? 3 : 4), 0);
  assert.equal(keys.size, variants);
  assert.equal(addressKey(base).length, 10);
});
