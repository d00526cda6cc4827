// Group `workloads`: the generated workloads on every engine in one run: @ethereumjs/vm (`runBlock`,
// bench/engines/ethereumjs-rpc.ts), parevm on one thread and parevm on N (2 here: the cores). Each
// block is checked first: all three must agree on the gas used, the receipts root and the logs bloom.
// Figures: the median `executionMs` of parevm's calls (rounds of 3 calls, round-robin), ethereumjs's
// `runBlock` once per round (it takes seconds on these blocks), Mgas/s, tx/s, the speedups, Block-STM's
// executions and aborts, and the shared memory parevm ended with.

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

type Inputs = Omit<ExecuteBlockOptions, 'threads'>;
/** Liquidations in the lending blocks: each is ~330,000 gas (@ethereumjs/vm takes ~24 ms on one). */
const LIQUIDATIONS = 500;
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
}

export async function runWorkloads(settings: Settings, progress: (line: string) => void): Promise<GroupReport> {
  const threads = Math.max(2, os.availableParallelism());
  const n = settings.txs;
  const blocks: [string, Inputs][] = [
    [`transfers-${n}`, generateBlock('transfers', n, 1)],
    [`erc20-${n}`, generateBlock('erc20', n, 1)],
    [`mixed-${n}`, generateBlock('mixed', n, 1)],
    [`uniswap-${n}`, uniswapBlock(n, 100)],
    [`uniswap-hot-${n}`, uniswapBlock(n, 1)],
    [`mainnet-like-${n}`, mainnetLikeBlock(n)],
    [`lending-cascade-${LIQUIDATIONS}`, await lendingBlock(LIQUIDATIONS, 1)],
    [`lending-8-markets-${LIQUIDATIONS}`, await lendingBlock(LIQUIDATIONS, 8)],
  ];
  const workloads: Workload[] = blocks.map(([name, inputs]) => ({
    name, inputs, txs: inputs.block.transactions.length, gas: 0, ethereumjs: new Rounds(), sequential: new Rounds(), parallel: new Rounds(),
    executions: 0, aborts: 0, memoryBytes: 0,
  }));
  const rounds = Math.min(settings.rounds, 3);
  for (const w of workloads) {
    const sequential = await executeBlock({ ...w.inputs, threads: 1 });
    const parallel = await executeBlock({ ...w.inputs, threads });
    const engine = new EthereumjsRpcBlock(w.inputs, w.name);
    await engine.load();
    const ejs = await engine.run();
    const agree = (r: { gasUsed: bigint; receiptsRoot?: string; logsBloom: string }): boolean =>
      r.gasUsed === sequential.gasUsed && r.receiptsRoot === sequential.receiptsRoot && r.logsBloom === sequential.logsBloom;
    if (!agree(parallel) || !agree(ejs) || parallel.stateDiffHash !== sequential.stateDiffHash) {
      throw new Error(`${w.name}: the engines disagree (gas ${sequential.gasUsed} / ${parallel.gasUsed} / ${ejs.gasUsed})`);
    }
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
    for (const [engine, t, ms] of engines) {
      rows.push({ workload: `workloads/${w.name}`, engine, threads: t, wallMs: ms, gas: w.gas, txs: w.txs, mgasPerSecond: w.gas / 1e3 / ms,
        txPerSecond: (1000 * w.txs) / ms, ...(engine === 'parevm' && t > 1 ? { executions: w.executions, aborts: w.aborts, memoryBytes: w.memoryBytes } : {}) });
    }
    lines.push([w.name, fmt(w.txs), fmt(w.gas), fmt3(w.ethereumjs.ms), fmt3(w.sequential.ms), fmt3(w.parallel.ms),
      fmt(w.gas / 1e3 / w.parallel.ms), fmt((1000 * w.txs) / w.parallel.ms), fmtRatio(w.sequential.ms / w.parallel.ms),
      fmtRatio(w.ethereumjs.ms / w.sequential.ms), fmtRatio(w.ethereumjs.ms / w.parallel.ms),
      w.fallback ? `sequential: ${w.fallback}` : `${fmt(w.executions)} / ${fmt(w.aborts)}`, `${fmt(w.memoryBytes / 2 ** 20)} MiB`]);
  }
  const table = formatTable([
    { header: 'workload' }, { header: 'txs', right: true }, { header: 'gas', right: true }, { header: 'ethereumjs ms', right: true },
    { header: 'parevm 1 ms', right: true }, { header: `parevm ${threads} ms`, right: true }, { header: `Mgas/s (${threads})`, right: true },
    { header: `tx/s (${threads})`, right: true }, { header: `${threads} vs 1`, right: true }, { header: '1 vs ethereumjs', right: true },
    { header: `${threads} vs ethereumjs`, right: true }, { header: 'executions / aborts' }, { header: 'parevm memory', right: true },
  ], lines) + `\n\nethereumjs: runBlock on a MerkleStateManager with caches, senders given (as parevm takes them); its time includes ` +
    `the post-state root, parevm's the receipts root only (bench/engines/ethereumjs-rpc.ts). parevm memory: the shared WebAssembly ` +
    `memory after the block (state, working space, one arena per thread).`;
  const ratios = workloads.map((w) => `workloads ${w.name}: parevm ${threads} threads ${fmtRatio(w.sequential.ms / w.parallel.ms)} over 1, ` +
    `${fmtRatio(w.ethereumjs.ms / w.parallel.ms)} over @ethereumjs/vm`);
  return { rows, table, ratios };
}
