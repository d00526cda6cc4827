import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMPT } from '@ethereumjs/mpt';
import { bytesToHex, hexToBytes, keccak256 } from '../../src/bytes.js';
import { encodeUint, rlpEncode } from '../../src/rlp.js';
import { EMPTY_TRIE_ROOT, orderedTrieRoot, secureTrieRoot, trieRoot, type TrieEntry } from '../../src/trie/index.js';
import { prng } from '../helpers/random.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
// Fixture keys and values: "0x…" is hex, anything else UTF-8.
const fixtureBytes = (s: string): Uint8Array => (s.startsWith('0x') ? hexToBytes(s) : utf8(s));

/** The oracle: @ethereumjs/mpt, built by inserting one pair at a time. */
async function mptRoot(entries: Iterable<TrieEntry>, useKeyHashing = false): Promise<string> {
  const trie = await createMPT({ useKeyHashing });
  for (const [key, value] of entries) await trie.put(key, value);
  return bytesToHex(trie.root());
}

type KeyShape = 'fixed32' | 'varying' | 'sharedPrefix' | 'tinyAlphabet';

/** `count` unique random entries; small values are frequent so that many nodes are embedded. */
function randomEntries(count: number, shape: KeyShape, seed: number): TrieEntry[] {
  const rand = prng(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const prefix = Uint8Array.from({ length: 30 }, () => int(256));
  const seen = new Set<string>();
  const out: TrieEntry[] = [];
  while (out.length < count) {
    let key: Uint8Array;
    if (shape === 'fixed32') {
      key = Uint8Array.from({ length: 32 }, () => int(256));
    } else if (shape === 'varying') {
      key = Uint8Array.from({ length: 1 + int(40) }, () => int(256));
    } else if (shape === 'sharedPrefix') {
      // A long common prefix, then 0..3 random bytes: long extensions, keys that prefix others.
      const tail = Uint8Array.from({ length: int(4) }, () => int(256));
      key = new Uint8Array(prefix.length - int(3) + tail.length);
      key.set(prefix.subarray(0, key.length - tail.length));
      key.set(tail, key.length - tail.length);
    } else {
      // Bytes from {0x00, 0x01, 0x10, 0x11} of length 1..6: dense branches, keys prefixing keys.
      key = Uint8Array.from({ length: 1 + int(6) }, () => [0x00, 0x01, 0x10, 0x11][int(4)]);
    }
    const id = bytesToHex(key);
    if (seen.has(id)) continue;
    seen.add(id);
    const r = rand();
    const length = r < 0.5 ? 1 + int(4) : r < 0.8 ? 1 + int(31) : 1 + int(100);
    out.push([key, Uint8Array.from({ length }, () => int(256))]);
  }
  return out;
}

function shuffled<T>(items: T[], seed: number): T[] {
  const rand = prng(seed);
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('empty trie', () => {
  it('EMPTY_TRIE_ROOT is keccak256(rlp(""))', () => {
    assert.equal(bytesToHex(EMPTY_TRIE_ROOT), '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421');
    assert.deepEqual(EMPTY_TRIE_ROOT, keccak256(rlpEncode(new Uint8Array(0))));
  });

  it('every root function gives it for no entries, as a fresh copy', async () => {
    for (const root of [trieRoot([]), secureTrieRoot([]), orderedTrieRoot([])]) {
      assert.deepEqual(root, EMPTY_TRIE_ROOT);
      assert.notEqual(root, EMPTY_TRIE_ROOT);
    }
    assert.equal(await mptRoot([]), bytesToHex(EMPTY_TRIE_ROOT));
  });
});

/** The keys of ethereum/tests' trietest.json `branchingTests`: each inserted, then each deleted. */
const BRANCHING_KEYS = [
  '0x04110d816c380812a427968ece99b1c963dfbce6',
  '0x095e7baea6a6c7c4c2dfeb977efac326af552d87',
  '0x0a517d755cebbf66312b30fff713666a9cb917e0',
  '0x24dd378f51adc67a50e339e8031fe9bd4aafab36',
  '0x293f982d000532a7861ab122bdc4bbfd26bf9030',
  '0x2cf5732f017b0cf1b1f13a1478e10239716bf6b5',
  '0x31c640b92c21a1f1465c91070b4b3b4d6854195f',
  '0x37f998764813b136ddf5a754f34063fd03065e36',
  '0x37fa399a749c121f8a15ce77e3d9f9bec8020d7a',
  '0x4f36659fa632310b6ec438dea4085b522a2dd077',
  '0x62c01474f089b07dae603491675dc5b5748f7049',
  '0x729af7294be595a0efd7d891c9e51f89c07950c7',
  '0x83e3e5a16d3b696a0314b30b2534804dd5e11197',
  '0x8703df2417e0d7c59d063caa9583cb10a4d20532',
  '0x8dffcd74e5b5923512916c6a64b502689cfa65e1',
  '0x95a4d7cccb5204733874fa87285a176fe1e9e240',
  '0x99b2fcba8120bedd048fe79f5262a6690ed38c39',
  '0xa4202b8b8afd5354e3e40a219bdc17f6001bf2cf',
  '0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b',
  '0xa9647f4a0a14042d91dc33c0328030a7157c93ae',
  '0xaa6cffe5185732689c18f37a7f86170cb7304c2a',
  '0xaae4a2e3c51c04606dcb3723456e58f3ed214f45',
  '0xc37a43e940dfb5baf581a0b82b351d48305fc885',
  '0xd2571607e241ecf590ed94b12d87c94babe36db6',
  '0xf735071cbee190d76b704ce68384fc21e389fbe7',
];

// ethereum/tests TrieTests/trietest.json: operations in order, null deletes; the root of the final map.
const TRIETEST: Record<string, { in: [string, string | null][]; root: string }> = {
  emptyValues: {
    in: [
      ['do', 'verb'],
      ['ether', 'wookiedoo'],
      ['horse', 'stallion'],
      ['shaman', 'horse'],
      ['doge', 'coin'],
      ['ether', null],
      ['dog', 'puppy'],
      ['shaman', null],
    ],
    root: '0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84',
  },
  branchingTests: {
    in: [
      ...BRANCHING_KEYS.map((k): [string, string | null] => [k, 'something']),
      ...BRANCHING_KEYS.map((k): [string, string | null] => [k, null]),
    ],
    root: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
  },
  jeff: {
    in: [
      ['0x0000000000000000000000000000000000000000000000000000000000000045', '0x22b224a1420a802ab51d326e29fa98e34c4f24ea'],
      ['0x0000000000000000000000000000000000000000000000000000000000000046', '0x67706c2076330000000000000000000000000000000000000000000000000000'],
      ['0x0000000000000000000000000000000000000000000000000000001234567890', '0x697c7b8c961b56f675d570498424ac8de1a918f6'],
      ['0x000000000000000000000000697c7b8c961b56f675d570498424ac8de1a918f6', '0x1234567890'],
      ['0x0000000000000000000000007ef9e639e2733cb34e4dfc576d4b23f72db776b2', '0x4655474156000000000000000000000000000000000000000000000000000000'],
      ['0x000000000000000000000000ec4f34c97e43fbb2816cfd95e388353c7181dab1', '0x4e616d6552656700000000000000000000000000000000000000000000000000'],
      ['0x4655474156000000000000000000000000000000000000000000000000000000', '0x7ef9e639e2733cb34e4dfc576d4b23f72db776b2'],
      ['0x4e616d6552656700000000000000000000000000000000000000000000000000', '0xec4f34c97e43fbb2816cfd95e388353c7181dab1'],
      ['0x0000000000000000000000000000000000000000000000000000001234567890', null],
      ['0x000000000000000000000000697c7b8c961b56f675d570498424ac8de1a918f6', '0x6f6f6f6820736f2067726561742c207265616c6c6c793f000000000000000000'],
      ['0x6f6f6f6820736f2067726561742c207265616c6c6c793f000000000000000000', '0x697c7b8c961b56f675d570498424ac8de1a918f6'],
    ],
    root: '0x9f6221ebb8efe7cff60a716ecb886e67dd042014be444669f0159d8e68b42100',
  },
  'insert-middle-leaf': {
    in: [
      ['key1aa', '0123456789012345678901234567890123456789xxx'],
      ['key1', '0123456789012345678901234567890123456789Very_Long'],
      ['key2bb', 'aval3'],
      ['key2', 'short'],
      ['key3cc', 'aval3'],
      ['key3', '1234567890123456789012345678901'],
    ],
    root: '0xcb65032e2f76c48b82b5c24b3db8f670ce73982869d38cd39a624f23d62a9e89',
  },
};

describe('trieRoot: ethereum/tests trietest.json', () => {
  for (const [name, { in: ops, root }] of Object.entries(TRIETEST)) {
    it(name, () => {
      const state = new Map<string, TrieEntry>();
      for (const [k, v] of ops) {
        if (v === null) state.delete(k);
        else state.set(k, [fixtureBytes(k), fixtureBytes(v)]);
      }
      assert.equal(bytesToHex(trieRoot(state.values())), root);
    });
  }
});

describe('secureTrieRoot: ethereum/tests hex_encoded_securetrie_test.json', () => {
  it('test1', () => {
    const entries: [string, string][] = [
      ['0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b', '0xf848018405f446a7a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
      ['0x095e7baea6a6c7c4c2dfeb977efac326af552d87', '0xf8440101a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a004bccc5d94f4d1f99aab44369a910179931772f2a5c001c3229f57831c102769'],
      ['0xd2571607e241ecf590ed94b12d87c94babe36db6', '0xf8440180a0ba4b47865c55a341a4a78759bb913cd15c3ee8eaf30a62fa8d1c8863113d84e8a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
      ['0x62c01474f089b07dae603491675dc5b5748f7049', '0xf8448080a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
      ['0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba', '0xf8478083019a59a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
    ];
    const root = secureTrieRoot(entries.map(([k, v]) => [hexToBytes(k), hexToBytes(v)]));
    assert.equal(bytesToHex(root), '0x730a444e08ab4b8dee147c9b232fc52d34a223d600031c1e9d25bfc985cbd797');
  });
});

describe('trieRoot: hand-picked shapes against @ethereumjs/mpt', () => {
  const h = (s: string): Uint8Array => hexToBytes(s);
  const cases: Record<string, TrieEntry[]> = {
    'one entry, one-byte value (root RLP under 32 bytes is still hashed)': [[h('0x01'), h('0x02')]],
    'one entry, empty key': [[new Uint8Array(0), h('0x2a')]],
    'empty key beside others (branch value at the root)': [
      [new Uint8Array(0), h('0x01')],
      [h('0x00'), h('0x02')],
      [h('0xff'), h('0x03')],
    ],
    'two keys differing in the last nibble (embedded leaves in a branch)': [
      [h('0x1234'), h('0x01')],
      [h('0x1235'), h('0x02')],
    ],
    'embedded branch under an extension under a branch': [
      [h('0x0000'), h('0x01')],
      [h('0x0001'), h('0x02')],
      [h('0x1000'), h('0x03')],
    ],
    'key that prefixes another (branch value after an extension)': [
      [h('0xabcd'), h('0x05')],
      [h('0xabcdef'), h('0x06')],
    ],
    'values of 55, 56 and 100 bytes': [
      [h('0x01'), new Uint8Array(55).fill(1)],
      [h('0x02'), new Uint8Array(56).fill(2)],
      [h('0x03'), new Uint8Array(100).fill(3)],
    ],
    'node RLP of exactly 31 and 32 bytes': [
      // Leaves below the branch at nibble 3 have an empty path (0x20): the leaf RLP is
      // 0xc0+n, 0x20, 0x80+len, value, so values of 28 and 29 bytes give nodes of 31 and 32 bytes.
      [h('0x1001'), new Uint8Array(28).fill(7)],
      [h('0x1002'), new Uint8Array(29).fill(8)],
      [h('0x2000'), h('0x09')],
    ],
    'all 16 branch children and a value': [
      [new Uint8Array(0), h('0x77')],
      ...Array.from({ length: 16 }, (_, i): TrieEntry => [Uint8Array.of(i << 4), Uint8Array.of(i + 1)]),
    ],
    'long keys (HP path over 55 bytes)': [
      [new Uint8Array(100).fill(0xaa), h('0x01')],
      [new Uint8Array(100).fill(0xbb), h('0x02')],
    ],
  };
  for (const [name, entries] of Object.entries(cases)) {
    it(name, async () => {
      assert.equal(bytesToHex(trieRoot(entries)), await mptRoot(entries));
    });
  }
});

describe('trieRoot and secureTrieRoot: seeded random sets against @ethereumjs/mpt', () => {
  const shapes: KeyShape[] = ['fixed32', 'varying', 'sharedPrefix', 'tinyAlphabet'];
  for (const shape of shapes) {
    for (const count of [1, 2, 3, 16, 17, 1000]) {
      // tinyAlphabet has 5460 distinct keys, sharedPrefix far more; all fit 1000.
      it(`${shape}, ${count} entries`, async () => {
        const entries = randomEntries(count, shape, count * 31 + shape.length);
        const expected = await mptRoot(entries);
        assert.equal(bytesToHex(trieRoot(entries)), expected);
        assert.equal(bytesToHex(trieRoot(shuffled(entries, count))), expected, 'order must not matter');
        assert.equal(bytesToHex(secureTrieRoot(entries)), await mptRoot(entries, true));
      });
    }
  }

  it('changing one value byte changes the root', () => {
    const entries = randomEntries(100, 'varying', 99);
    const before = bytesToHex(trieRoot(entries));
    const value = entries[57][1].slice();
    value[value.length - 1] ^= 1;
    entries[57] = [entries[57][0], value];
    assert.notEqual(bytesToHex(trieRoot(entries)), before);
  });

  it('does not modify or reorder its input', () => {
    const entries = randomEntries(50, 'varying', 5);
    const copy = entries.map(([k, v]): TrieEntry => [k.slice(), v.slice()]);
    trieRoot(entries);
    secureTrieRoot(entries);
    assert.deepEqual(entries, copy);
  });
});

describe('orderedTrieRoot against @ethereumjs/mpt with keys rlp(index)', () => {
  // 127/128/129 cross the single-byte key boundary; 256/257 add a second key byte.
  for (const count of [1, 2, 3, 16, 17, 127, 128, 129, 257, 1000]) {
    it(`${count} values`, async () => {
      const rand = prng(count);
      const values = Array.from({ length: count }, () =>
        Uint8Array.from({ length: 1 + Math.floor(rand() * (rand() < 0.5 ? 4 : 300)) }, () => Math.floor(rand() * 256)),
      );
      const expected = await mptRoot(values.map((v, i): TrieEntry => [rlpEncode(encodeUint(i)), v]));
      assert.equal(bytesToHex(orderedTrieRoot(values)), expected);
    });
  }
});

describe('input errors', () => {
  it('duplicate keys', () => {
    assert.throws(() => trieRoot([[utf8('a'), utf8('1')], [utf8('b'), utf8('2')], [utf8('a'), utf8('3')]]), /duplicate key 0x61/);
    assert.throws(() => secureTrieRoot([[utf8('a'), utf8('1')], [utf8('a'), utf8('3')]]), /duplicate key 0x61/);
  });

  it('empty values', () => {
    assert.throws(() => trieRoot([[utf8('a'), new Uint8Array(0)]]), /empty value for key 0x61/);
    assert.throws(() => orderedTrieRoot([utf8('x'), new Uint8Array(0)]), /empty value for index key 0x01/);
  });

  it('entries that are not byte arrays', () => {
    assert.throws(() => trieRoot([['a' as unknown as Uint8Array, utf8('1')]]), /trieRoot: an entry must be/);
    assert.throws(() => orderedTrieRoot(['a' as unknown as Uint8Array]), /value 0 is not a Uint8Array/);
  });
});
