import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RLP } from '@ethereumjs/rlp';
import {
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  concatBytes,
  equalBytes,
  hexToBigInt,
  hexToBytes,
  keccak256,
} from '../src/bytes.js';
import { encodeUint, rlpDecode, rlpEncode, rlpEncodeUint, type RlpInput } from '../src/rlp.js';
import { prng } from './helpers/random.js';

// ethereum/tests RLPTests/rlptest.json. Inputs: a string is its bytes (Latin-1 here), "#…" a
// decimal bigint, a number an integer. longList2 is built below; listofbinaries is not a valid
// encoding (its declared length stops before 156 trailing zero bytes, see ethereum/tests#562)
// and sits with the invalid vectors.
type FixtureIn = string | number | FixtureIn[];
const VALID: Record<string, { in: FixtureIn; out: string }> = {
  emptystring: { in: '', out: '0x80' },
  bytestring00: { in: '\u0000', out: '0x00' },
  bytestring01: { in: '\u0001', out: '0x01' },
  bytestring7F: { in: '\u007f', out: '0x7f' },
  shortstring: { in: 'dog', out: '0x83646f67' },
  shortstring2: {
    in: 'Lorem ipsum dolor sit amet, consectetur adipisicing eli',
    out: '0xb74c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c69',
  },
  longstring: {
    in: 'Lorem ipsum dolor sit amet, consectetur adipisicing elit',
    out: '0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974',
  },
  longstring2: {
    in: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. Curabitur mauris magna, suscipit sed vehicula non, iaculis faucibus tortor. Proin suscipit ultricies malesuada. Duis tortor elit, dictum quis tristique eu, ultrices at risus. Morbi a est imperdiet mi ullamcorper aliquet suscipit nec lorem. Aenean quis leo mollis, vulputate elit varius, consequat enim. Nulla ultrices turpis justo, et posuere urna consectetur nec. Proin non convallis metus. Donec tempor ipsum in mauris congue sollicitudin. Vestibulum ante ipsum primis in faucibus orci luctus et ultrices posuere cubilia Curae; Suspendisse convallis sem vel massa faucibus, eget lacinia lacus tempor. Nulla quis ultricies purus. Proin auctor rhoncus nibh condimentum mollis. Aliquam consequat enim at metus luctus, a eleifend purus egestas. Curabitur at nibh metus. Nam bibendum, neque at auctor tristique, lorem libero aliquet arcu, non interdum tellus lectus sit amet eros. Cras rhoncus, metus ac ornare cursus, dolor justo ultrices metus, at ullamcorper volutpat',
    out: '0xb904004c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e73656374657475722061646970697363696e6720656c69742e20437572616269747572206d6175726973206d61676e612c20737573636970697420736564207665686963756c61206e6f6e2c20696163756c697320666175636962757320746f72746f722e2050726f696e20737573636970697420756c74726963696573206d616c6573756164612e204475697320746f72746f7220656c69742c2064696374756d2071756973207472697374697175652065752c20756c7472696365732061742072697375732e204d6f72626920612065737420696d70657264696574206d6920756c6c616d636f7270657220616c6971756574207375736369706974206e6563206c6f72656d2e2041656e65616e2071756973206c656f206d6f6c6c69732c2076756c70757461746520656c6974207661726975732c20636f6e73657175617420656e696d2e204e756c6c6120756c74726963657320747572706973206a7573746f2c20657420706f73756572652075726e6120636f6e7365637465747572206e65632e2050726f696e206e6f6e20636f6e76616c6c6973206d657475732e20446f6e65632074656d706f7220697073756d20696e206d617572697320636f6e67756520736f6c6c696369747564696e2e20566573746962756c756d20616e746520697073756d207072696d697320696e206661756369627573206f726369206c756374757320657420756c74726963657320706f737565726520637562696c69612043757261653b2053757370656e646973736520636f6e76616c6c69732073656d2076656c206d617373612066617563696275732c2065676574206c6163696e6961206c616375732074656d706f722e204e756c6c61207175697320756c747269636965732070757275732e2050726f696e20617563746f722072686f6e637573206e69626820636f6e64696d656e74756d206d6f6c6c69732e20416c697175616d20636f6e73657175617420656e696d206174206d65747573206c75637475732c206120656c656966656e6420707572757320656765737461732e20437572616269747572206174206e696268206d657475732e204e616d20626962656e64756d2c206e6571756520617420617563746f72207472697374697175652c206c6f72656d206c696265726f20616c697175657420617263752c206e6f6e20696e74657264756d2074656c6c7573206c65637475732073697420616d65742065726f732e20437261732072686f6e6375732c206d65747573206163206f726e617265206375727375732c20646f6c6f72206a7573746f20756c747269636573206d657475732c20617420756c6c616d636f7270657220766f6c7574706174',
  },
  zero: { in: 0, out: '0x80' },
  smallint: { in: 1, out: '0x01' },
  smallint2: { in: 16, out: '0x10' },
  smallint3: { in: 79, out: '0x4f' },
  smallint4: { in: 127, out: '0x7f' },
  mediumint1: { in: 128, out: '0x8180' },
  mediumint2: { in: 1000, out: '0x8203e8' },
  mediumint3: { in: 100000, out: '0x830186a0' },
  mediumint4: { in: '#83729609699884896815286331701780722', out: '0x8f102030405060708090a0b0c0d0e0f2' },
  mediumint5: {
    in: '#105315505618206987246253880190783558935785933862974822347068935681',
    out: '0x9c0100020003000400050006000700080009000a000b000c000d000e01',
  },
  emptylist: { in: [], out: '0xc0' },
  stringlist: { in: ['dog', 'god', 'cat'], out: '0xcc83646f6783676f6483636174' },
  multilist: { in: ['zw', [4], 1], out: '0xc6827a77c10401' },
  shortListMax1: {
    in: ['asdf', 'qwer', 'zxcv', 'asdf', 'qwer', 'zxcv', 'asdf', 'qwer', 'zxcv', 'asdf', 'qwer'],
    out: '0xf784617364668471776572847a78637684617364668471776572847a78637684617364668471776572847a78637684617364668471776572',
  },
  longList1: {
    in: [['asdf', 'qwer', 'zxcv'], ['asdf', 'qwer', 'zxcv'], ['asdf', 'qwer', 'zxcv'], ['asdf', 'qwer', 'zxcv']],
    out: '0xf840cf84617364668471776572847a786376cf84617364668471776572847a786376cf84617364668471776572847a786376cf84617364668471776572847a786376',
  },
  listsoflists: { in: [[[], []], []], out: '0xc4c2c0c0c0' },
  listsoflists2: { in: [[], [[]], [[], [[]]]], out: '0xc7c0c1c0c3c0c1c0' },
  dictTest1: {
    in: [['key1', 'val1'], ['key2', 'val2'], ['key3', 'val3'], ['key4', 'val4']],
    out: '0xecca846b6579318476616c31ca846b6579328476616c32ca846b6579338476616c33ca846b6579348476616c34',
  },
  bigint: {
    in: '#115792089237316195423570985008687907853269984665640564039457584007913129639936',
    out: '0xa1010000000000000000000000000000000000000000000000000000000000000000',
  },
  longList2: {
    in: Array.from({ length: 32 }, () => ['asdf', 'qwer', 'zxcv']),
    out: `0xf90200${'cf84617364668471776572847a786376'.repeat(32)}`,
  },
};

// ethereum/tests RLPTests/invalidRLPTest.json, plus listofbinaries' "out" and cases of our own.
const INVALID: Record<string, [hex: string, error: RegExp]> = {
  int32Overflow: ['0xbf0f000000000000021111', /exceeds the input/],
  int32Overflow2: ['0xff0f000000000000021111', /exceeds the input/],
  wrongSizeList: ['0xf80180', /long form/],
  wrongSizeList2: ['0xf80100', /long form/],
  incorrectLengthInArray: [
    '0xb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df0',
    /leading zero/,
  ],
  randomRLP: [
    '0xf861f83eb9002100dc2b275d0f74e8a53e6f4ec61b27f24278820be3f82ea2110e582081b0565df027b90015002d5ef8325ae4d034df55d4b58d0dfba64d61ddd17be00000b9001a00dae30907045a2f66fa36f2bb8aa9029cbb0b8a7b3b5c435ab331',
    /leading zero/,
  ],
  bytesShouldBeSingleByte00: ['0x8100', /single byte 0x00/],
  bytesShouldBeSingleByte01: ['0x8101', /single byte 0x01/],
  bytesShouldBeSingleByte7F: ['0x817F', /single byte 0x7f/],
  leadingZerosInLongLengthArray1: [
    'b90040000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f',
    /leading zero/,
  ],
  leadingZerosInLongLengthArray2: ['b800', /leading zero/],
  leadingZerosInLongLengthList1: [
    'fb00000040000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f',
    /leading zero/,
  ],
  leadingZerosInLongLengthList2: ['f800', /leading zero/],
  nonOptimalLongLengthArray1: ['b81000112233445566778899aabbccddeeff', /long form used for a length of 16/],
  nonOptimalLongLengthArray2: ['b801ff', /long form used for a length of 1 /],
  nonOptimalLongLengthList1: ['f810000102030405060708090a0b0c0d0e0f', /long form/],
  nonOptimalLongLengthList2: ['f803112233', /long form/],
  listofbinaries: [
    '0xf8a7b841299ca6acfd35e3d72d8ba3d1e2b60b5561d5af5218eb5bc182045769eb4226910a301acae3b369fffc4a4899d6b02531e89fd4fe36a2cf0d93607ba470b50f7800b840fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877a07e968bba13b6c50e2c4cd7f241cc0d64d1ac25c7f5952df231ac6a2bda8ee5d604' +
      '00'.repeat(156),
    /156 trailing bytes/,
  ],
  emptyInput: ['0x', /empty input/],
  truncatedString: ['0x83646f', /needs 1 more/],
  truncatedList: ['0xc2c0', /needs 1 more/],
  truncatedLengthOfLength: ['0xb9', /runs past the end/],
  itemOverrunsItsList: ['0xc2826162', /needs 1 more/],
  trailingByte: ['0x8000', /1 trailing bytes/],
  trailingAfterList: ['0xc0c0', /1 trailing bytes/],
  singleByteInsideList: ['0xc28105', /single byte 0x05/],
  longFormFor55: [`0xb837${'61'.repeat(55)}`, /long form used for a length of 55/],
};

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function fixtureToRlp(v: FixtureIn): RlpInput {
  if (Array.isArray(v)) return v.map(fixtureToRlp);
  if (typeof v === 'number') return encodeUint(v);
  if (v.startsWith('#')) return encodeUint(BigInt(v.slice(1)));
  return latin1(v);
}

// Decoded items as hex trees, for readable deep comparison.
type HexTree = string | HexTree[];
const toHexTree = (item: RlpInput): HexTree => (item instanceof Uint8Array ? bytesToHex(item) : item.map(toHexTree));

describe('rlpEncode / rlpDecode: ethereum/tests rlptest.json', () => {
  for (const [name, { in: input, out }] of Object.entries(VALID)) {
    it(name, () => {
      const item = fixtureToRlp(input);
      assert.equal(bytesToHex(rlpEncode(item)), out.toLowerCase());
      assert.deepEqual(toHexTree(rlpDecode(hexToBytes(out))), toHexTree(item));
    });
  }
});

describe('rlpEncode: Yellow Paper appendix B examples', () => {
  const cases: [string, RlpInput, string][] = [
    ['"dog"', latin1('dog'), '0x83646f67'],
    ['["cat", "dog"]', [latin1('cat'), latin1('dog')], '0xc88363617483646f67'],
    ['empty string', new Uint8Array(0), '0x80'],
    ['empty list', [], '0xc0'],
    ['integer 0', encodeUint(0), '0x80'],
    ['integer 15', encodeUint(15), '0x0f'],
    ['integer 1024', encodeUint(1024), '0x820400'],
    ['set-theoretic three', [[], [[]], [[], [[]]]], '0xc7c0c1c0c3c0c1c0'],
    [
      '56-byte string',
      latin1('Lorem ipsum dolor sit amet, consectetur adipisicing elit'),
      '0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974',
    ],
    ['55-byte string keeps the short form', new Uint8Array(55).fill(0x61), `0xb7${'61'.repeat(55)}`],
    ['byte 0x80 needs a header', Uint8Array.of(0x80), '0x8180'],
    // Each 0x81 needs a header (0x8181): 28 of them make a 56-byte payload, the first long list.
    ['56-byte list payload', Array.from({ length: 28 }, () => Uint8Array.of(0x81)), `0xf838${'8181'.repeat(28)}`],
  ];
  for (const [name, item, hex] of cases) {
    it(name, () => {
      assert.equal(bytesToHex(rlpEncode(item)), hex);
    });
  }
});

describe('rlpDecode rejects non-canonical and malformed input', () => {
  for (const [name, [hex, error]] of Object.entries(INVALID)) {
    it(name, () => {
      assert.throws(() => rlpDecode(hexToBytes(hex)), error);
    });
  }

  it('rejects what is not a Uint8Array', () => {
    assert.throws(() => rlpDecode('0x80' as unknown as Uint8Array), TypeError);
  });
});

describe('encodeUint / rlpEncodeUint', () => {
  const cases: [bigint | number, string][] = [
    [0, '0x'],
    [0n, '0x'],
    [1, '0x01'],
    [0x7f, '0x7f'],
    [0x80, '0x80'],
    [0xff, '0xff'],
    [0x100, '0x0100'],
    [0x1_0000_0000, '0x0100000000'],
    [Number.MAX_SAFE_INTEGER, '0x1fffffffffffff'],
    [2n ** 64n, '0x010000000000000000'],
    [2n ** 256n - 1n, `0x${'ff'.repeat(32)}`],
  ];
  for (const [value, hex] of cases) {
    it(`${typeof value} ${value}`, () => {
      assert.equal(bytesToHex(encodeUint(value)), hex);
      assert.deepEqual(rlpEncodeUint(value), rlpEncode(hexToBytes(hex)));
    });
  }

  it('rejects negative and non-integer numbers', () => {
    assert.throws(() => encodeUint(-1), /not an unsigned safe integer/);
    assert.throws(() => encodeUint(1.5), /not an unsigned safe integer/);
    assert.throws(() => encodeUint(2 ** 53), /not an unsigned safe integer/);
    assert.throws(() => encodeUint(-1n), /negative/);
  });
});

describe('rlpEncode agrees with @ethereumjs/rlp on random nested items', () => {
  const rand = prng(0x5eed);
  const int = (n: number): number => Math.floor(rand() * n);
  const bytes = (): Uint8Array => {
    // Mostly short strings and single bytes around the 0x80 boundary, sometimes past 55 and 255.
    const r = rand();
    const len = r < 0.3 ? 1 : r < 0.8 ? int(56) : r < 0.97 ? 56 + int(200) : 256 + int(70000);
    return Uint8Array.from({ length: len }, () => (len === 1 ? 0x7e + int(4) : int(256)));
  };
  const item = (depth: number): RlpInput =>
    depth > 3 || rand() < 0.6 ? bytes() : Array.from({ length: int(depth === 0 ? 12 : 6) }, () => item(depth + 1));

  it('500 items: same bytes, and decoding gives the item back', () => {
    for (let i = 0; i < 500; i++) {
      const x = item(0);
      const encoded = rlpEncode(x);
      assert.ok(equalBytes(encoded, RLP.encode(x)), `item ${i}`);
      assert.deepEqual(toHexTree(rlpDecode(encoded)), toHexTree(x), `item ${i}`);
    }
  });

  it('rejects what is not bytes or an array', () => {
    assert.throws(() => rlpEncode([new Uint8Array(1), 'x' as unknown as Uint8Array]), /expected Uint8Array or array, got string/);
  });
});

// The byte helpers live in src/bytes.ts; RLP is their main client, so their tests sit here.
describe('bytes helpers', () => {
  it('hexToBytes accepts 0x, 0X, no prefix and mixed case', () => {
    assert.deepEqual(hexToBytes('0xdeadBEEF'), Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
    assert.deepEqual(hexToBytes('0XdeadBEEF'), Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
    assert.deepEqual(hexToBytes('00ff'), Uint8Array.of(0, 255));
    assert.deepEqual(hexToBytes('0x'), new Uint8Array(0));
    assert.deepEqual(hexToBytes(''), new Uint8Array(0));
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    const hex = [...every].map((v) => v.toString(16).padStart(2, '0')).join('');
    assert.deepEqual(hexToBytes(hex), every);
    assert.deepEqual(hexToBytes(hex.toUpperCase()), every);
  });

  it('hexToBytes names the value and the problem', () => {
    assert.throws(() => hexToBytes('0xzz', 'tx.data'), /^Error: tx\.data: non-hex character at position 2: "0xzz"$/);
    assert.throws(() => hexToBytes('0x0g'), /hex value: non-hex character at position 3/);
    assert.throws(() => hexToBytes('0x123', 'code'), /code: odd number of hex digits: "0x123"/);
    assert.throws(() => hexToBytes('0x€€'), /non-hex character/);
    // Characters past ASCII whose low seven bits spell a hex digit ('Æ' is 0xc6, 'F' 0x46) are not hex either.
    assert.throws(() => hexToBytes('0xÆ0'), /non-hex character at position 2/);
    assert.throws(() => hexToBytes('0x0Æ'), /non-hex character at position 3/);
    assert.throws(() => hexToBytes(12 as unknown as string, 'n'), /n: expected a hex string, got number/);
  });

  it('bytesToHex is 0x-prefixed lowercase and inverts hexToBytes', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const hex = bytesToHex(all);
    assert.equal(hex, `0x${[...all].map((b) => b.toString(16).padStart(2, '0')).join('')}`);
    assert.deepEqual(hexToBytes(hex), all);
    assert.equal(bytesToHex(new Uint8Array(0)), '0x');
  });

  it('hexToBigInt', () => {
    assert.equal(hexToBigInt('0x'), 0n);
    assert.equal(hexToBigInt('0x0'), 0n);
    assert.equal(hexToBigInt('0x00ff'), 255n);
    assert.equal(hexToBigInt('ff'), 255n);
    assert.equal(hexToBigInt(`0x${'f'.repeat(64)}`), 2n ** 256n - 1n);
    assert.throws(() => hexToBigInt('0x1_0', 'balance'), /balance: non-hex character at position 3/);
    assert.throws(() => hexToBigInt('-0x1'), /hex quantity: non-hex character at position 0/);
  });

  it('bigIntToBytes: minimal, padded, and too large', () => {
    assert.deepEqual(bigIntToBytes(0n), new Uint8Array(0));
    assert.deepEqual(bigIntToBytes(1n), Uint8Array.of(1));
    assert.deepEqual(bigIntToBytes(0x0102n, 4), Uint8Array.of(0, 0, 1, 2));
    assert.deepEqual(bigIntToBytes(0n, 2), Uint8Array.of(0, 0));
    assert.equal(bytesToHex(bigIntToBytes(0xffffffffffffn)), '0xffffffffffff');
    assert.equal(bytesToHex(bigIntToBytes(0x1000000000000n)), '0x01000000000000');
    assert.equal(bytesToHex(bigIntToBytes(2n ** 255n, 32)), `0x80${'00'.repeat(31)}`);
    assert.throws(() => bigIntToBytes(256n, 1), /does not fit in 1 bytes/);
    assert.throws(() => bigIntToBytes(2n ** 256n, 32), /does not fit in 32 bytes/);
    assert.throws(() => bigIntToBytes(-1n), /negative/);
  });

  it('bytesToBigInt inverts bigIntToBytes', () => {
    assert.equal(bytesToBigInt(new Uint8Array(0)), 0n);
    assert.equal(bytesToBigInt(Uint8Array.of(0, 0, 1)), 1n);
    const rand = prng(7);
    for (let i = 0; i < 200; i++) {
      const bits = BigInt(Math.floor(rand() * 257));
      const v = BigInt(Math.floor(rand() * 2 ** 32)) ** 9n % (1n << bits);
      assert.equal(bytesToBigInt(bigIntToBytes(v)), v);
      assert.equal(bytesToBigInt(bigIntToBytes(v, 32)), v);
    }
  });

  it('concatBytes and equalBytes', () => {
    assert.deepEqual(concatBytes(), new Uint8Array(0));
    assert.deepEqual(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)), Uint8Array.of(1, 2, 3));
    assert.ok(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2)));
    assert.ok(!equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3)));
    assert.ok(!equalBytes(Uint8Array.of(1), Uint8Array.of(1, 0)));
  });

  it('keccak256 of "" and "abc"', () => {
    assert.equal(bytesToHex(keccak256(new Uint8Array(0))), '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    assert.equal(bytesToHex(keccak256(latin1('abc'))), '0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
  });
});
