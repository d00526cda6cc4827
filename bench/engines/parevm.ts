// A block on parevm's core, the sequential path: for each transaction writeTx, execute, result, commit.

import { bytesToHex } from '../../src/bytes.js';
import type { Core, StoreAccount } from '../../src/core/core.js';
import { writeBlock, writeTx } from '../../src/core/inputs.js';
import { Fork } from '../../src/fork/forks.js';
import { rulesForFork } from '../../src/fork/rules.js';
import type { BlockSpec, Probe } from '../blocks.js';
import { probeText, type BlockEngine, type BlockOutcome } from './engine.js';

const FORK = Fork.Cancun;

export class ParevmBlock implements BlockEngine {
  readonly engine = 'parevm';
  readonly async = false;

  constructor(private readonly core: Core, private readonly spec: BlockSpec) {}

  load(): void {
    const { core, spec } = this;
    core.resetState();
    for (const a of spec.accounts) core.putAccount(a.address, a.balance, a.nonce, core.putCode(a.code), a.storage);
    core.configure(FORK, rulesForFork(FORK, spec.env.chainId).eips);
    core.setBlock(writeBlock(core, spec.env));
  }

  run(): BlockOutcome {
    const { core, spec } = this;
    let gasUsed = 0n;
    let failed = 0;
    for (const tx of spec.txs) {
      const validity = core.execute(writeTx(core, tx, spec.env.gasLimit - gasUsed));
      if (validity !== 0) throw new Error(`${spec.workload}: parevm rejected a transaction from ${bytesToHex(tx.from)} (validity ${validity})`);
      const result = core.result();
      core.commit();
      gasUsed += result.gasUsed;
      if (result.status !== 0) failed++;
    }
    return { gasUsed, failed };
  }

  async read(probes: readonly Probe[]): Promise<string[]> {
    const accounts = new Map<string, StoreAccount>();
    for (const a of this.core.accounts()) accounts.set(bytesToHex(a.address), a);
    return probes.map((probe) => {
      const account = accounts.get(bytesToHex(probe.address));
      const exists = account?.exists === true;
      if (probe.slot !== undefined) return probeText(probe, (exists && account.storage.get(probe.slot)) || 0n);
      return probeText(probe, { balance: exists ? account.balance : 0n, nonce: exists ? account.nonce : 0n });
    });
  }
}
