import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMPT } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { MerkleStateManager } from '@ethereumjs/statemanager';
import { Address, createAccount } from '@ethereumjs/util';
import { bigIntToBytes, bytesToHex, hexToBigInt, hexToBytes, keccak256 } from '../../src/bytes.js';
import {
  EMPTY_CODE_HASH,
  EMPTY_TRIE_ROOT,
  logsHash,
  stateRoot,
  storageRoot,
  type AccountForRoot,
  type LogForHash,
} from '../../src/trie/index.js';
import { prng } from '../helpers/random.js';

type FixtureAccount = { balance: string; code: string; nonce: string; storage: Record<string, string> };

function fromFixture(alloc: Record<string, FixtureAccount>): AccountForRoot[] {
  return Object.entries(alloc).map(([address, a]) => ({
    address: hexToBytes(address, 'address'),
    nonce: hexToBigInt(a.nonce),
    balance: hexToBigInt(a.balance),
    codeHash: keccak256(hexToBytes(a.code, 'code')),
    storage: Object.entries(a.storage).map(([k, v]): [bigint, bigint] => [hexToBigInt(k), hexToBigInt(v)]),
  }));
}

describe('constants', () => {
  it('EMPTY_CODE_HASH is keccak256("")', () => {
    assert.deepEqual(EMPTY_CODE_HASH, keccak256(new Uint8Array(0)));
  });

  it('no accounts and no storage give the empty root', () => {
    assert.deepEqual(stateRoot([]), EMPTY_TRIE_ROOT);
    assert.deepEqual(storageRoot([]), EMPTY_TRIE_ROOT);
    assert.deepEqual(storageRoot([[1n, 0n], [2n, 0n]]), EMPTY_TRIE_ROOT, 'zero values are absent');
  });
});

// ethereum/tests BlockchainTests/ValidBlocks/bcStateTests/ZeroValue_TransactionCALL_ToOneStorageKey_OOGRevert.json
// (_Berlin): `pre` is the genesis state, `postState` the state after block 1.
describe('stateRoot: ethereum/tests blockchain fixture', () => {
  const holder: FixtureAccount = { balance: '0xe8d4a51000', code: '0x', nonce: '0x00', storage: {} };
  const target: FixtureAccount = { balance: '0x00', code: '0x', nonce: '0x00', storage: { '0x00': '0x01' } };

  it('genesis stateRoot from pre', () => {
    const pre = {
      '0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b': holder,
      '0xb94f5374fce5edbc8e2a8697c15331677e6ebf0b': target,
    };
    assert.equal(bytesToHex(stateRoot(fromFixture(pre))), '0x25a66260e106e4aabf890c1bc398ad84d91a5da434f7fe39c2664c2cb1b39e99');
  });

  it('block 1 stateRoot from postState', () => {
    const post = {
      '0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba': { balance: '0x1bc16d674ec80000', code: '0x', nonce: '0x00', storage: {} },
      '0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b': holder,
      '0xb94f5374fce5edbc8e2a8697c15331677e6ebf0b': target,
    };
    assert.equal(bytesToHex(stateRoot(fromFixture(post))), '0x14cfc3b9ae050f188bc7216a417c0e3e24232dfb4691deba793b4b4373dbda64');
  });
});

function randomAccounts(count: number, maxSlots: number, seed: number): AccountForRoot[] {
  const rand = prng(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const word = (): bigint => {
    // Small numbers, full 256-bit words and the extremes, so values span 1..32 bytes.
    const r = rand();
    if (r < 0.05) return 0n;
    if (r < 0.1) return (1n << 256n) - 1n;
    if (r < 0.6) return BigInt(int(1000));
    return BigInt(bytesToHex(Uint8Array.from({ length: 1 + int(32) }, () => int(256))));
  };
  return Array.from({ length: count }, (_, i) => {
    const slots = new Map<bigint, bigint>();
    const n = rand() < 0.4 ? 0 : int(maxSlots + 1);
    for (let s = 0; s < n; s++) slots.set(rand() < 0.5 ? BigInt(int(64)) : word(), word());
    return {
      address: Uint8Array.from({ length: 20 }, (_, j) => (j < 2 ? (i >> (8 * j)) & 0xff : int(256))),
      nonce: rand() < 0.3 ? 0n : BigInt(int(2 ** 31)) * (rand() < 0.1 ? 2n ** 32n : 1n),
      balance: rand() < 0.2 ? 0n : word(),
      codeHash: rand() < 0.5 ? EMPTY_CODE_HASH : keccak256(Uint8Array.of(int(256), int(256))),
      storage: slots,
    };
  });
}

/** Oracle 1: @ethereumjs/statemanager, which keeps its own storage tries and account encoding. */
async function stateManagerRoot(accounts: AccountForRoot[]): Promise<string> {
  const sm = new MerkleStateManager();
  for (const a of accounts) {
    const address = new Address(a.address);
    await sm.putAccount(address, createAccount({ nonce: a.nonce, balance: a.balance, codeHash: a.codeHash }));
    for (const [slot, value] of a.storage) {
      if (value !== 0n) await sm.putStorage(address, bigIntToBytes(slot, 32), bigIntToBytes(value));
    }
  }
  return bytesToHex(await sm.getStateRoot());
}

/** Oracle 2: secure @ethereumjs/mpt tries filled by hand, for the storage roots alone. */
async function mptStorageRoot(storage: Iterable<[bigint, bigint]>): Promise<string> {
  const trie = await createMPT({ useKeyHashing: true });
  for (const [slot, value] of storage) {
    if (value !== 0n) await trie.put(bigIntToBytes(slot, 32), RLP.encode(bigIntToBytes(value)));
  }
  return bytesToHex(trie.root());
}

describe('stateRoot and storageRoot: seeded random states against @ethereumjs', () => {
  for (const [count, maxSlots] of [
    [1, 0],
    [1, 1],
    [2, 3],
    [3, 16],
    [16, 17],
    [17, 2],
    [200, 40],
  ]) {
    it(`${count} accounts, up to ${maxSlots} slots each`, async () => {
      const accounts = randomAccounts(count, maxSlots, count * 1009 + maxSlots);
      for (const a of accounts) assert.equal(bytesToHex(storageRoot(a.storage)), await mptStorageRoot(a.storage));
      assert.equal(bytesToHex(stateRoot(accounts)), await stateManagerRoot(accounts));
    });
  }

  it('a zero slot is the same as a missing one', () => {
    const [a] = randomAccounts(1, 5, 3);
    const withZero = { ...a, storage: [...a.storage, [123456789n, 0n] as [bigint, bigint]] };
    assert.deepEqual(stateRoot([withZero]), stateRoot([a]));
  });

  it('a changed nonce, balance, code hash or slot changes the root', () => {
    const [a, b] = randomAccounts(2, 3, 11);
    const root = bytesToHex(stateRoot([a, b]));
    const changed: AccountForRoot[] = [
      { ...a, nonce: a.nonce + 1n },
      { ...a, balance: a.balance + 1n },
      { ...a, codeHash: keccak256(a.codeHash) },
      { ...a, storage: [...a.storage, [2n ** 200n, 1n] as [bigint, bigint]] },
    ];
    for (const c of changed) assert.notEqual(bytesToHex(stateRoot([c, b])), root);
  });
});

describe('stateRoot input errors', () => {
  const ok: AccountForRoot = { address: new Uint8Array(20), nonce: 0n, balance: 1n, codeHash: EMPTY_CODE_HASH, storage: [] };
  it('rejects malformed accounts and storage', () => {
    assert.throws(() => stateRoot([{ ...ok, address: new Uint8Array(19) }]), /address must be 20 bytes, got 19/);
    assert.throws(() => stateRoot([{ ...ok, codeHash: new Uint8Array(31) }]), /code hash must be 32 bytes/);
    assert.throws(() => stateRoot([{ ...ok, nonce: -1n }]), /nonce out of range/);
    assert.throws(() => stateRoot([{ ...ok, nonce: 2n ** 64n }]), /nonce out of range/);
    assert.throws(() => stateRoot([{ ...ok, balance: 2n ** 256n }]), /balance out of range/);
    assert.throws(() => stateRoot([ok, { ...ok }]), /duplicate account 0x0{40}$/);
    assert.throws(() => storageRoot([[2n ** 256n, 1n]]), /slot is not a 256-bit word/);
    assert.throws(() => storageRoot([[1n, -1n]]), /value of slot 1 is not a 256-bit word/);
    assert.throws(() => storageRoot([[1n, 5n], [1n, 6n]]), /duplicate storage slot 0x0{63}1/);
  });
});

// ethereum/tests GeneralStateTests/stLogTests: the post `logs` field of log0_emptyMem and log1_emptyMem;
// the contract at 0x0f57…5ec6 runs LOG0(0, 0) and LOG1(0, 0, topic 0).
describe('logsHash', () => {
  const emitter = hexToBytes('0x0f572e5295c57f15886f9b263e2f6d2d6c7b5ec6');
  const cases: [string, LogForHash[], string][] = [
    ['no logs', [], '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347'],
    ['log0_emptyMem', [{ address: emitter, topics: [], data: new Uint8Array(0) }], '0xea63b4dbbdbca1bd985580a0c3b6f35a4955d4d4cf0b4d903003cdfc4c40ba1c'],
    [
      'log1_emptyMem',
      [{ address: emitter, topics: [new Uint8Array(32)], data: new Uint8Array(0) }],
      '0x7a0b07b554f8629b2183374bf734bfd10f641d640654b6f8e5cc088467f90b3d',
    ],
  ];
  for (const [name, logs, hash] of cases) {
    it(name, () => assert.equal(bytesToHex(logsHash(logs)), hash));
  }

  it('several logs agree with @ethereumjs/rlp', () => {
    const rand = prng(42);
    const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
    const logs = Array.from({ length: 7 }, (_, i) => ({
      address: bytes(20),
      topics: Array.from({ length: i % 5 }, () => bytes(32)),
      data: bytes(Math.floor(rand() * 200)),
    }));
    const expected = keccak256(RLP.encode(logs.map((l) => [l.address, l.topics, l.data])));
    assert.deepEqual(logsHash(logs), expected);
  });
});
