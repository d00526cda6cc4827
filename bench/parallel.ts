// Group `parallel`: Block-STM's speedup, `threads: N` over `threads: 1`, side by side in one run, on
// the generated blocks (independent ERC-20 and ETH transfers, a one-sender nonce chain, one hot slot,
// random conflicts, Uniswap V2 swaps over many pairs and on one) and on the mainnet fixture blocks in total. The figure per workload is the median
// of the round medians of `stats.executionMs` (first transaction to receipts root); every parallel
// result is checked equal to the sequential one before timing.

import os from 'node:os';
import { executeBlock } from '../src/block/execute.js';
import type { BlockResult, ExecuteBlockOptions } from '../src/block/types.js';
import { generateBlock, type GeneratorKind } from '../src/generate/index.js';
import { uniswapBlock } from './uniswap.js';
import { fixtureDirs, readInputs } from './mainnet.js';
import { median, Rounds } from './measure.js';
import type { GroupReport, Row, Settings } from './report.js';
import { fmt, fmt3, fmtRatio, formatTable } from './table.js';

type Inputs = Omit<ExecuteBlockOptions, 'threads'>;

/** Targets of the issue for 2 threads over 1 (2 cores here). */
const TARGETS: Partial<Record<string, number>> = { 'erc20-2000': 1.8, 'transfers-2000': 1.8, 'chain-2000': 0.95 };
const KINDS: readonly GeneratorKind[] = ['erc20', 'transfers', 'chain', 'hot', 'mixed'];
const CALLS_PER_ROUND = 3;

const outcome = (r: BlockResult): string => JSON.stringify({ receipts: r.receipts, receiptsRoot: r.receiptsRoot, logsBloom: r.logsBloom,
  stateDiffHash: r.stateDiffHash }, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

interface Workload {
  name: string;
  inputs: Inputs;
  gas: number;
  txs: number;
  sequential: Rounds;
  parallel: Rounds;
  /** From the last parallel run. */
  executions: number;
  aborts: number;
  criticalShare: number;
  /** Why the last parallel call ran sequentially after all, if it did. */
  fallback?: string;
}

/** A round of one block on `threads`: the median `executionMs` of CALLS_PER_ROUND calls after an untimed one, and the last result. */
export async function timeCalls(inputs: Inputs, threads: number): Promise<{ ms: number; last: BlockResult }> {
  const times: number[] = [];
  let last: BlockResult | undefined;
  // An untimed call first: on this VM the first parallel call after the other workloads' calls (the
  // worker idle meanwhile) starts its worker milliseconds late; blocks run back to back do not.
  await executeBlock({ ...inputs, threads });
  for (let i = 0; i < CALLS_PER_ROUND; i++) {
    last = await executeBlock({ ...inputs, threads });
    times.push(last.stats.executionMs);
  }
  return { ms: median(times), last: last! };
}

export async function runParallel(settings: Settings, progress: (line: string) => void): Promise<GroupReport> {
  const threads = Math.max(2, Math.min(os.availableParallelism(), 2));
  const txs = settings.txs;
  const workload = (name: string, inputs: Inputs): Workload =>
    ({ name, inputs, gas: 0, txs, sequential: new Rounds(), parallel: new Rounds(), executions: 0, aborts: 0, criticalShare: 0 });
  const workloads: Workload[] = [
    ...KINDS.map((kind) => workload(`${kind}-${txs}`, generateBlock(kind, txs, 1))),
    // Uniswap V2 swaps through the router: over 100 pairs, and all on one pair (a hot spot).
    workload(`uniswap-${txs}`, uniswapBlock(txs, 100)),
    workload(`uniswap-hot-${txs}`, uniswapBlock(txs, 1)),
  ];
  const { dirs, source } = fixtureDirs();
  const mainnet = (settings.quick ? dirs.slice(0, 8) : dirs).map((dir): Workload => {
    const inputs = readInputs(dir);
    return { name: `mainnet/${BigInt(inputs.block.number)}`, inputs, gas: 0, txs: inputs.block.transactions.length, sequential: new Rounds(),
      parallel: new Rounds(), executions: 0, aborts: 0, criticalShare: 0 };
  });
  const all = [...workloads, ...mainnet];

  // Check every parallel result against the sequential one (and warm both paths up).
  for (const w of all) {
    const s = await executeBlock({ ...w.inputs, threads: 1 });
    const p = await executeBlock({ ...w.inputs, threads });
    if (outcome(s) !== outcome(p)) throw new Error(`${w.name}: ${threads} threads give a different result than 1`);
    w.gas = Number(s.gasUsed);
  }
  progress(`parallel results equal the sequential ones on ${all.length} blocks; timing ${settings.rounds} round(s)`);
  for (let round = 0; round < settings.rounds; round++) {
    for (const w of all) {
      w.sequential.add((await timeCalls(w.inputs, 1)).ms);
      const p = await timeCalls(w.inputs, threads);
      w.parallel.add(p.ms);
      const stats = p.last.stats.parallel;
      if (stats) {
        w.executions = stats.executions;
        w.aborts = stats.aborts;
        w.criticalShare = stats.criticalPath.gas / Math.max(1, w.gas);
        w.fallback = stats.sequentialFallback;
      }
    }
    progress(`round ${round + 1} of ${settings.rounds}`);
  }

  const rows: Row[] = [];
  const lines: string[][] = [];
  for (const w of all) {
    for (const [t, rounds] of [[1, w.sequential], [threads, w.parallel]] as const) {
      rows.push({ workload: w.name.startsWith('mainnet') ? w.name : `parallel/${w.name}`, engine: 'parevm', threads: t, wallMs: rounds.ms, gas: w.gas, txs: w.txs });
    }
  }
  for (const w of workloads) {
    const speedup = w.sequential.ms / w.parallel.ms;
    const target = TARGETS[w.name];
    lines.push([w.name, fmt(w.txs), fmt(w.gas), fmt3(w.sequential.ms), fmt3(w.parallel.ms), fmtRatio(speedup),
      target === undefined ? '' : `${fmtRatio(target)} ${speedup >= target ? 'met' : 'missed'}`, fmt(w.executions), fmt(w.aborts),
      w.fallback ? `sequential: ${w.fallback}` : `${(100 * w.criticalShare).toFixed(0)}%`]);
  }
  const seqTotal = mainnet.reduce((a, w) => a + w.sequential.ms, 0);
  const parTotal = mainnet.reduce((a, w) => a + w.parallel.ms, 0);
  const txTotal = mainnet.reduce((a, w) => a + w.txs, 0);
  lines.push([`mainnet (${mainnet.length} blocks)`, fmt(txTotal), fmt(mainnet.reduce((a, w) => a + w.gas, 0)), fmt3(seqTotal), fmt3(parTotal),
    fmtRatio(seqTotal / parTotal), '', fmt(mainnet.reduce((a, w) => a + w.executions, 0)), fmt(mainnet.reduce((a, w) => a + w.aborts, 0)),
    `${(100 * median(mainnet.filter((w) => !w.fallback).map((w) => w.criticalShare))).toFixed(0)}% (median, parallel runs)`]);
  const worst = [...mainnet].sort((a, b) => a.sequential.ms / a.parallel.ms - b.sequential.ms / b.parallel.ms).slice(0, 5);
  const table = formatTable([
    { header: 'workload' }, { header: 'txs', right: true }, { header: 'gas', right: true }, { header: '1 thread ms', right: true },
    { header: `${threads} threads ms`, right: true }, { header: 'speedup', right: true }, { header: 'target' },
    { header: 'executions', right: true }, { header: 'aborts', right: true }, { header: 'critical path', right: true },
  ], lines) + `\n\nmainnet blocks from ${source}. Slowest relative to sequential: ` +
    worst.map((w) => `${w.name} ${fmtRatio(w.sequential.ms / w.parallel.ms)} (${w.txs} txs, ` +
      `${w.fallback ? `ran sequentially: ${w.fallback}` : `critical path ${(100 * w.criticalShare).toFixed(0)}%`})`).join('; ');
  const ratios = workloads.filter((w) => TARGETS[w.name] !== undefined).map((w) => {
    const speedup = w.sequential.ms / w.parallel.ms;
    return `parallel ${w.name}: ${fmtRatio(speedup)} with ${threads} threads (target ${fmtRatio(TARGETS[w.name]!)}: ${speedup >= TARGETS[w.name]! ? 'met' : 'missed'})`;
  });
  ratios.push(`parallel mainnet total: ${fmtRatio(seqTotal / parTotal)} with ${threads} threads`);
  return { rows, table, ratios };
}
