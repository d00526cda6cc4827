// Groups `transfers` and `erc20`: one block of N transactions executed sequentially on parevm and on
// @ethereumjs/vm, side by side in the same process. Each timed sample executes the whole block on a
// fresh world (built before the sample, untimed). Before timing, both engines run the block once and
// must agree on the total gas, on every transaction succeeding, and on a sample of the final state.

import { Core } from '../src/core/core.js';
import { erc20Transfers, ethTransfers, type BlockSpec } from './blocks.js';
import type { BlockEngine } from './engines/engine.js';
import { EthereumjsBlock } from './engines/ethereumjs.js';
import { ParevmBlock } from './engines/parevm.js';
import { Rounds, timeRound, type Budget } from './measure.js';
import type { GroupReport, Row, Settings } from './report.js';
import { fmt, fmt3, fmtRatio, formatTable } from './table.js';
import { findBalancesSlot, tokenRuntimeCode } from './token.js';

export type BlockGroup = 'transfers' | 'erc20';

/** The target on ERC-20 transfers: parevm at least 30x @ethereumjs/vm, single thread. */
const ERC20_TARGET = 30;

// parevm takes milliseconds per block, @ethereumjs/vm seconds: one sample per round is enough there.
const BUDGETS: Record<string, { full: Budget; quick: Budget }> = {
  parevm: {
    full: { timeMs: 1000, iterations: 5, warmupMs: 0, warmupIterations: 1 },
    quick: { timeMs: 0, iterations: 3, warmupMs: 0, warmupIterations: 1 },
  },
  ethereumjs: {
    full: { timeMs: 0, iterations: 1, warmupMs: 0, warmupIterations: 0 },
    quick: { timeMs: 0, iterations: 1, warmupMs: 0, warmupIterations: 0 },
  },
};

function blockSpec(group: BlockGroup, core: Core, txs: number): BlockSpec {
  if (group === 'transfers') return ethTransfers(txs);
  const code = tokenRuntimeCode();
  return erc20Transfers(txs, code, findBalancesSlot(core, code));
}

/** Runs the block once on every engine and fails loudly unless they agree. */
async function checkAgreement(spec: BlockSpec, engines: readonly BlockEngine[]): Promise<bigint> {
  const results = [];
  for (const engine of engines) {
    await engine.load();
    const outcome = await engine.run();
    if (outcome.failed > 0) throw new Error(`${spec.workload}: ${outcome.failed} transaction(s) failed on ${engine.engine}`);
    results.push({ engine: engine.engine, outcome, state: await engine.read(spec.probes) });
  }
  const [first, ...others] = results;
  for (const other of others) {
    if (other.outcome.gasUsed !== first.outcome.gasUsed) {
      throw new Error(`${spec.workload}: gas used differs: ${first.engine} ${first.outcome.gasUsed}, ${other.engine} ${other.outcome.gasUsed}`);
    }
    const i = first.state.findIndex((text, k) => text !== other.state[k]);
    if (i >= 0) throw new Error(`${spec.workload}: final state differs: ${first.engine} ${first.state[i]}; ${other.engine} ${other.state[i]}`);
  }
  return first.outcome.gasUsed;
}

/** Runs the `transfers` or `erc20` group: check both engines agree, then time them round by round. */
export async function runBlockGroup(group: BlockGroup, settings: Settings, progress: (line: string) => void): Promise<GroupReport> {
  const core = await Core.create();
  const spec = blockSpec(group, core, settings.txs);
  const engines: BlockEngine[] = [new ParevmBlock(core, spec), new EthereumjsBlock(spec)];
  progress(`${spec.workload}: checking that the engines agree`);
  const gas = Number(await checkAgreement(spec, engines));

  const rounds = engines.map(() => new Rounds());
  for (let round = 1; round <= settings.rounds; round++) {
    progress(`${spec.workload}: round ${round}/${settings.rounds}`);
    for (const [i, engine] of engines.entries()) {
      const budget = settings.quick ? BUDGETS[engine.engine].quick : BUDGETS[engine.engine].full;
      const name = `${spec.workload} ${engine.engine}`;
      rounds[i].add(await timeRound(name, () => engine.run(), engine.async, budget, { beforeEach: () => engine.load() }));
    }
  }

  const txs = spec.txs.length;
  const rows: Row[] = engines.map((engine, i) => ({
    workload: spec.workload, engine: engine.engine, threads: 1, wallMs: rounds[i].ms, gas, txs,
    txPerSecond: (txs * 1000) / rounds[i].ms, mgasPerSecond: gas / (rounds[i].ms * 1000), roundMs: rounds[i].medians,
  }));
  const table = formatTable(
    [
      { header: 'engine' }, { header: 'txs', right: true }, { header: 'block gas', right: true }, { header: 'ms per block', right: true },
      { header: 'tx/s', right: true }, { header: 'Mgas/s', right: true }, { header: 'round spread', right: true },
    ],
    rows.map((row, i) => [
      row.engine, fmt(txs), fmt(gas), fmt3(row.wallMs), fmt(row.txPerSecond as number), fmt3(row.mgasPerSecond as number),
      `${(rounds[i].spread * 100).toFixed(0)}%`,
    ]),
  );
  const [parevmMs, ethereumjsMs] = rounds.map((r) => r.ms); // in the order of `engines`
  const speedup = ethereumjsMs / parevmMs;
  const ratios = [`${spec.workload}: parevm / ethereumjs throughput ${fmtRatio(speedup)}`];
  if (group === 'erc20') ratios.push(`target ≥${ERC20_TARGET}x @ethereumjs/vm on ERC-20 transfers: ${speedup >= ERC20_TARGET ? 'met' : 'missed'}`);
  return { rows, table: `${table}\n\nms per block: median per block execution, world setup excluded; both engines single-threaded.`, ratios };
}
