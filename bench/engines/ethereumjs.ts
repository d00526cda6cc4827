// The same block on @ethereumjs/vm, set up the way it runs fastest: the Merkle state manager with
// its account, storage and code caches, and `runTx` per transaction with balance and nonce checks.
//
// Transactions are not signed: each carries its sender through an overridden `getSenderAddress`,
// as parevm takes `from`. Recovering a sender costs ~2 ms in JS (docs/DESIGN.md), which would
// swamp the execution being compared.

import { createBlock, type Block } from '@ethereumjs/block';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager';
import { createFeeMarket1559Tx, type FeeMarket1559Tx } from '@ethereumjs/tx';
import { Address, createAccount } from '@ethereumjs/util';
import { createVM, runTx, type VM } from '@ethereumjs/vm';
import { bigIntToBytes, bytesToBigInt } from '../../src/bytes.js';
import type { BlockSpec, Probe } from '../blocks.js';
import { probeText, type BlockEngine, type BlockOutcome } from './engine.js';

export class EthereumjsBlock implements BlockEngine {
  readonly engine = 'ethereumjs';
  readonly async = true;
  private readonly common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
  private readonly block: Block;
  private readonly txs: FeeMarket1559Tx[];
  private stateManager?: MerkleStateManager;
  private vm?: VM;

  constructor(private readonly spec: BlockSpec) {
    const { env } = spec;
    this.block = createBlock(
      {
        header: {
          number: env.number, timestamp: env.timestamp, gasLimit: env.gasLimit, baseFeePerGas: env.baseFee,
          coinbase: new Address(env.coinbase), mixHash: bigIntToBytes(env.prevRandao, 32),
        },
      },
      { common: this.common },
    );
    this.txs = spec.txs.map((t) => {
      if (t.type !== 2 || t.to === undefined) throw new Error('the ethereumjs block takes EIP-1559 calls only');
      const tx = createFeeMarket1559Tx(
        {
          chainId: env.chainId, nonce: t.nonce, maxFeePerGas: t.gasPrice, maxPriorityFeePerGas: t.maxPriorityFeePerGas,
          gasLimit: t.gasLimit, to: new Address(t.to), value: t.value, data: t.data,
        },
        { common: this.common, freeze: false },
      );
      const sender = new Address(t.from);
      tx.getSenderAddress = () => sender;
      return tx;
    });
  }

  async load(): Promise<void> {
    const stateManager = new MerkleStateManager({ common: this.common, caches: new Caches() });
    await stateManager.checkpoint();
    for (const a of this.spec.accounts) {
      const address = new Address(a.address);
      await stateManager.putAccount(address, createAccount({ nonce: a.nonce, balance: a.balance }));
      if (a.code.length > 0) await stateManager.putCode(address, a.code);
      for (const [key, value] of a.storage) await stateManager.putStorage(address, bigIntToBytes(key, 32), bigIntToBytes(value));
    }
    await stateManager.commit();
    this.stateManager = stateManager;
    this.vm = await createVM({ common: this.common, stateManager });
  }

  async run(): Promise<BlockOutcome> {
    const vm = this.vm!;
    let gasUsed = 0n;
    let failed = 0;
    for (const tx of this.txs) {
      const result = await runTx(vm, { tx, block: this.block, skipBalance: false, skipNonce: false });
      gasUsed += result.totalGasSpent;
      if (result.execResult.exceptionError !== undefined) failed++;
    }
    return { gasUsed, failed };
  }

  async read(probes: readonly Probe[]): Promise<string[]> {
    const state = this.stateManager!;
    const texts: string[] = [];
    for (const probe of probes) {
      const address = new Address(probe.address);
      if (probe.slot !== undefined) {
        texts.push(probeText(probe, bytesToBigInt(await state.getStorage(address, bigIntToBytes(probe.slot, 32)))));
      } else {
        const account = await state.getAccount(address);
        texts.push(probeText(probe, { balance: account?.balance ?? 0n, nonce: account?.nonce ?? 0n }));
      }
    }
    return texts;
  }
}
