// Group `workloads`: the generated workloads on every engine in one run: @ethereumjs/vm (`runBlock`,
// bench/engines/ethereumjs-rpc.ts), parevm on one thread and parevm on N (2 here: the cores). Each
// block is checked first: all three must agree on the gas used, the receipts root and the logs bloom.
// Figures: the median `executionMs` of parevm's calls (rounds of 3 calls, round-robin), ethereumjs's
// `runBlock` once per round (it takes seconds on these blocks), Mgas/s, tx/s, the speedups, Block-STM's
// executions and aborts, the shared memory parevm ended with, and each engine's peak resident set in
// a fresh process running the block once (bench/peak.ts; that run is also the agreement check).

import os from 'node:os';
import { executeBlock } from '../src/block/execute.js';
import type { ExecuteBlockOptions } from '../src/block/types.js';
import { generateBlock } from '../src/generate/index.js';
import { EthereumjsRpcBlock } from './engines/ethereumjs-rpc.js';
import { Rounds } from './measure.js';
import { timeCalls } from './parallel.js';
import type { GroupReport, Row, Settings } from './report.js';
import { fmt, fmt3, fmtRatio, formatTable } from './table.js';
import { uniswapBlock } from './uniswap.js';
import { mainnetLikeBlock } from './mix.js';
import { lendingBlock } from './lending.js';
import { peakRuns } from './peak.js';

type Inputs = Omit<ExecuteBlockOptions, 'threads'>;
interface Workload {
  name: string;
  inputs: Inputs;
  txs: number;
  gas: number;
  ethereumjs: Rounds;
  sequential: Rounds;
  parallel: Rounds;
  executions: number;
  aborts: number;
  fallback?: string;
  memoryBytes: number;
  /** Peak resident set of a fresh process running the block once: ethereumjs, parevm 1, parevm N. */
  peakBytes: number[];
}

/** The workloads of this group, by the name `--only` takes; each built for N transactions. */
export const WORKLOADS: Record<string, (n: number) => [string, Inputs | Promise<Inputs>]> = {
  transfers: (n) => [`transfers-${n}`, generateBlock('transfers', n, 1)],
  erc20: (n) => [`erc20-${n}`, generateBlock('erc20', n, 1)],
  mixed: (n) => [`mixed-${n}`, generateBlock('mixed', n, 1)],
  uniswap: (n) => [`uniswap-${n}`, uniswapBlock(n, 100)],
  'uniswap-hot': (n) => [`uniswap-hot-${n}`, uniswapBlock(n, 1)],
  'mainnet-like': (n) => [`mainnet-like-${n}`, mainnetLikeBlock(n)],
  // A quarter of N liquidations: each is ~330,000 gas, and @ethereumjs/vm takes ~24 ms on one.
  'lending-cascade': (n) => [`lending-cascade-${Math.ceil(n / 4)}`, lendingBlock(Math.ceil(n / 4), 1)],
  'lending-8-markets': (n) => [`lending-8-markets-${Math.ceil(n / 4)}`, lendingBlock(Math.ceil(n / 4), 8)],
};

export async function runWorkloads(settings: Settings, progress: (line: string) => void): Promise<GroupReport> {
  const threads = Math.max(2, os.availableParallelism());
  const blocks: [string, Inputs][] = [];
  for (const kind of settings.workloads ?? Object.keys(WORKLOADS)) {
    const [name, inputs] = WORKLOADS[kind](settings.txs);
    blocks.push([name, await inputs]);
  }
  const workloads: Workload[] = blocks.map(([name, inputs]) => ({
    name, inputs, txs: inputs.block.transactions.length, gas: 0, ethereumjs: new Rounds(), sequential: new Rounds(), parallel: new Rounds(),
    executions: 0, aborts: 0, memoryBytes: 0, peakBytes: [],
  }));
  const [idle] = await peakRuns(blocks[0][1], [{ engine: 'idle', threads: 1 }]);
  const rounds = Math.min(settings.rounds, 3);
  for (const w of workloads) {
    const sequential = await executeBlock({ ...w.inputs, threads: 1 });
    const parallel = await executeBlock({ ...w.inputs, threads });
    // Each engine's first run is in a fresh process of its own, for its peak memory.
    const peaks = await peakRuns(w.inputs, [{ engine: 'ethereumjs', threads: 1 }, { engine: 'parevm', threads: 1 }, { engine: 'parevm', threads }]);
    const agree = (r: { gasUsed: bigint | string; receiptsRoot?: string; logsBloom?: string }): boolean =>
      BigInt(r.gasUsed) === sequential.gasUsed && r.receiptsRoot === sequential.receiptsRoot && r.logsBloom === sequential.logsBloom;
    if (!agree(parallel) || !peaks.every((p) => agree({ ...p, gasUsed: p.gasUsed ?? '0' })) || parallel.stateDiffHash !== sequential.stateDiffHash) {
      throw new Error(`${w.name}: the engines disagree (gas ${sequential.gasUsed} / ${parallel.gasUsed} / ${peaks.map((p) => p.gasUsed).join(' / ')})`);
    }
    w.peakBytes = peaks.map((p) => p.peakBytes);
    if (sequential.receipts.some((r) => r.status !== 1)) throw new Error(`${w.name}: a transaction failed`);
    w.gas = Number(sequential.gasUsed);
  }
  progress(`ethereumjs, parevm 1 thread and ${threads} threads agree on every workload; timing ${rounds} round(s)`);
  for (let round = 0; round < rounds; round++) {
    for (const w of workloads) {
      const engine = new EthereumjsRpcBlock(w.inputs, w.name);
      await engine.load();
      w.ethereumjs.add((await engine.run()).ms);
      w.sequential.add((await timeCalls(w.inputs, 1)).ms);
      const p = await timeCalls(w.inputs, threads);
      w.parallel.add(p.ms);
      w.executions = p.last.stats.parallel?.executions ?? 0;
      w.aborts = p.last.stats.parallel?.aborts ?? 0;
      w.fallback = p.last.stats.parallel?.sequentialFallback;
      w.memoryBytes = p.last.stats.memoryBytes;
    }
    progress(`round ${round + 1} of ${rounds}`);
  }

  const rows: Row[] = [];
  const lines: string[][] = [];
  for (const w of workloads) {
    const engines = [['ethereumjs', 1, w.ethereumjs.ms], ['parevm', 1, w.sequential.ms], ['parevm', threads, w.parallel.ms]] as const;
    engines.forEach(([engine, t, ms], e) => {
      rows.push({ workload: `workloads/${w.name}`, engine, threads: t, wallMs: ms, gas: w.gas, txs: w.txs, mgasPerSecond: w.gas / 1e3 / ms,
        txPerSecond: (1000 * w.txs) / ms, peakBytes: w.peakBytes[e], idlePeakBytes: idle.peakBytes,
        ...(engine === 'parevm' && t > 1 ? { executions: w.executions, aborts: w.aborts, memoryBytes: w.memoryBytes } : {}) });
    });
    lines.push([w.name, fmt(w.txs), fmt(w.gas), fmt3(w.ethereumjs.ms), fmt3(w.sequential.ms), fmt3(w.parallel.ms),
      fmt(w.gas / 1e3 / w.parallel.ms), fmt((1000 * w.txs) / w.parallel.ms), fmtRatio(w.sequential.ms / w.parallel.ms),
      fmtRatio(w.ethereumjs.ms / w.sequential.ms), fmtRatio(w.ethereumjs.ms / w.parallel.ms),
      w.fallback ? `sequential: ${w.fallback}` : `${fmt(w.executions)} / ${fmt(w.aborts)}`, `${fmt(w.memoryBytes / 2 ** 20)} MiB`,
      w.peakBytes.map((b) => fmt(b / 2 ** 20)).join(' / ')]);
  }
  const table = formatTable([
    { header: 'workload' }, { header: 'txs', right: true }, { header: 'gas', right: true }, { header: 'ethereumjs ms', right: true },
    { header: 'parevm 1 ms', right: true }, { header: `parevm ${threads} ms`, right: true }, { header: `Mgas/s (${threads})`, right: true },
    { header: `tx/s (${threads})`, right: true }, { header: `${threads} vs 1`, right: true }, { header: '1 vs ethereumjs', right: true },
    { header: `${threads} vs ethereumjs`, right: true }, { header: 'executions / aborts' }, { header: 'parevm memory', right: true },
    { header: `peak RSS MiB (ejs / 1 / ${threads})`, right: true },
  ], lines) + `\n\nethereumjs: runBlock on a MerkleStateManager with caches, senders given (as parevm takes them); its time includes ` +
    `the post-state root, parevm's the receipts root only (bench/engines/ethereumjs-rpc.ts). parevm memory: the shared WebAssembly ` +
    `memory after the block (state, working space, one arena per thread). Peak RSS: the peak resident set of a ` +
    `fresh process that loads the block and runs it once with that engine (bench/peak.ts); a process that only starts ` +
    `peaks at ${fmt(idle.peakBytes / 2 ** 20)} MiB.`;
  const ratios = workloads.map((w) => `workloads ${w.name}: parevm ${threads} threads ${fmtRatio(w.sequential.ms / w.parallel.ms)} over 1, ` +
    `${fmtRatio(w.ethereumjs.ms / w.parallel.ms)} over @ethereumjs/vm`);
  return { rows, table, ratios };
}
