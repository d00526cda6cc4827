// Group `model`: the scaling model (src/parallel/model.ts) calibrated, checked and applied.
//
// 1. Calibration, on generated blocks only (ERC-20, ETH transfers, random conflicts; never the
//    blocks it is checked on): Block-STM's costs per execution, validation and commit, and the fixed
//    cost of a parallel block, from traced runs on 1 and 2 threads.
// 2. Check: every mainnet fixture block, profiled on one thread (each transaction's time, the tail)
//    with its dependency graph from a parallel run, predicted at 2 threads and measured at 2 threads
//    (Block-STM always: `fallback: false`, as the model has no fallbacks). The error of the total.
// 3. The predicted speedups at 4, 8, 16 and 32 threads beside pevm's published ones (32 vCPU).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { executeBlock } from '../src/block/execute.js';
import type { BlockResult, ExecuteBlockOptions } from '../src/block/types.js';
import type { TimelineTask } from '../src/block/parallel.js';
import { generateBlock } from '../src/generate/index.js';
import { predict, sequentialMs, type BlockProfile, type Overheads, REFERENCE_OVERHEADS } from '../src/parallel/model.js';
import { previousOfSender } from '../src/block/parallel.js';
import { fixtureDirs, readInputs } from './mainnet.js';
import { median } from './measure.js';
import type { GroupReport, Row, Settings } from './report.js';
import { fmt, fmt3, fmtRatio, formatTable } from './table.js';

type Inputs = Omit<ExecuteBlockOptions, 'threads'>;
const THREADS = [2, 4, 8, 16, 32];
const PEVM_TABLE = new URL('../../../shared/docs/anchors/pevm-mainnet-blocks.csv', import.meta.url);

/** A block measured for the model: its profile on one thread, its time on two. */
interface Measured {
  name: string;
  txs: number;
  profile: BlockProfile;
  /** Median executionMs on 1 and on 2 threads. */
  sequentialMs: number;
  parallelMs: number;
  /** The 2-thread timeline of the last run (for calibration). */
  timeline: TimelineTask[];
  /** Why parevm's defaults run it sequentially without trying Block-STM, if they do. */
  sequentialBy?: string;
}

/** The fallbacks parevm takes before running (the conflict give-up happens while running). */
const PRE_RUN = new Set(['small block', 'sender chain', 'few contract calls']);

const duration = (t: TimelineTask): number => t.endMs - t.startMs;

/** Profiles a block: per-transaction times (median over `runs`), its tail, its dependencies, its 2-thread time. */
async function measure(name: string, inputs: Inputs, runs: number): Promise<Measured> {
  const perTx: number[][] = [];
  const tails: number[] = [];
  const sequential: number[] = [];
  for (let r = 0; r < runs; r++) {
    const s = await executeBlock({ ...inputs, threads: 1, trace: true });
    const timeline = s.stats.timeline ?? [];
    let sum = 0;
    for (const t of timeline) {
      if (t.kind !== 'execute') continue;
      (perTx[t.tx] ??= []).push(duration(t));
      sum += duration(t);
    }
    tails.push(s.stats.executionMs - sum);
    sequential.push(s.stats.executionMs);
  }
  const parallel: number[] = [];
  let last: BlockResult | undefined;
  for (let r = 0; r < runs; r++) {
    last = await executeBlock({ ...inputs, threads: 2, fallback: false, trace: true });
    parallel.push(last.stats.executionMs);
  }
  const n = last!.receipts.length;
  const byDefault = (await executeBlock({ ...inputs, threads: 2 })).stats.parallel?.sequentialFallback;
  return {
    sequentialBy: byDefault !== undefined && PRE_RUN.has(byDefault) ? byDefault : undefined,
    name, txs: n,
    profile: { txMs: Array.from({ length: n }, (_, i) => median(perTx[i] ?? [0])), dependencies: last!.stats.parallel?.dependencies ?? [], tailMs: median(tails),
      previousOfSender: previousOfSender(inputs.block.transactions.map((tx) => String(tx.from).toLowerCase())) },
    sequentialMs: median(sequential), parallelMs: median(parallel), timeline: last!.stats.timeline ?? [],
  };
}

/** Each calibration block's receipt hashing on one thread (its receipts task), ms. */
const hashTimes = new Map<string, number>();

/**
 * Block-STM's costs on this machine, from generated blocks' traced runs: what a final execution on
 * 2 threads adds to the transaction's sequential time (a constant: ~0.4 µs for ERC-20 transfers and
 * ETH transfers alike), a validation with its scheduling (the gaps between a worker's tasks), the
 * commit per transaction, the share of the sequential tail that is receipt hashing, and (from a tiny
 * block, where nothing else weighs) the fixed cost of handing a block to the pool and back.
 */
function calibrate(blocks: readonly Measured[], tiny: Measured): Overheads {
  const added: number[] = [];
  const perTask: number[] = [];
  const commits: number[] = [];
  const hashShares: number[] = [];
  for (const b of blocks) {
    const final = new Map<number, TimelineTask>();
    for (const t of b.timeline) {
      if (t.kind === 'execute' && !t.conflict && (final.get(t.tx)?.incarnation ?? -1) <= t.incarnation) final.set(t.tx, t);
    }
    for (const [tx, t] of final) added.push(duration(t) - b.profile.txMs[tx]);
    // Validation and scheduling: each worker's busy span in Block-STM, less its executions, per validation.
    for (const worker of new Set(b.timeline.map((t) => t.worker))) {
      const own = b.timeline.filter((t) => t.worker === worker && t.kind !== 'receipts');
      if (own.length < 2) continue;
      const span = own[own.length - 1].endMs - own[0].startMs;
      const executing = own.filter((t) => t.kind === 'execute').reduce((a, t) => a + duration(t), 0);
      const validations = own.filter((t) => t.kind === 'validate').length;
      if (validations > 0) perTask.push(Math.max(0, span - executing) / validations);
    }
    // The calling thread (worker 0) commits between its last Block-STM task and its first receipts.
    const own = b.timeline.filter((t) => t.worker === 0);
    const lastTask = Math.max(...own.filter((t) => t.kind !== 'receipts').map((t) => t.endMs));
    const firstReceipts = Math.min(...own.filter((t) => t.kind === 'receipts').map((t) => t.startMs));
    if (Number.isFinite(firstReceipts)) commits.push((firstReceipts - lastTask) / b.txs);
    hashShares.push(b.profile.tailMs > 0 ? Math.min(1, (hashTimes.get(b.name) ?? 0) / b.profile.tailMs) : 1);
  }
  const partial: Overheads = {
    ...REFERENCE_OVERHEADS, execScale: 1, execMs: Math.max(0, median(added)), validateMs: median(perTask), commitMs: median(commits),
    hashShare: median(hashShares), blockMs: 0,
  };
  return { ...partial, blockMs: Math.max(0, tiny.parallelMs - predict(tiny.profile, 2, partial).ms) };
}

/** pevm's published speedup per block (risechain/pevm's benches README, 32 vCPU). */
function pevmSpeedups(): Map<string, number> {
  const table = new Map<string, number>();
  if (!existsSync(PEVM_TABLE)) return table;
  const [header, ...lines] = readFileSync(fileURLToPath(PEVM_TABLE), 'utf8').trim().split('\n');
  const columns = header.split(',');
  for (const line of lines) {
    const cells = line.split(',');
    table.set(cells[columns.indexOf('block')], Number(cells[columns.indexOf('speedup')]));
  }
  return table;
}

export async function runModel(settings: Settings, progress: (line: string) => void): Promise<GroupReport> {
  const runs = settings.quick ? 1 : 5;
  const txs = settings.quick ? 200 : settings.txs;
  const calibration: Measured[] = [];
  for (const kind of ['erc20', 'transfers', 'mixed'] as const) {
    const inputs = generateBlock(kind, txs, 1);
    const hashing = (await executeBlock({ ...inputs, threads: 1, trace: true })).stats.timeline?.find((t) => t.kind === 'receipts');
    const m = await measure(`${kind}-${txs}`, inputs, runs);
    hashTimes.set(m.name, hashing ? duration(hashing) : 0);
    calibration.push(m);
  }
  const tiny = await measure('erc20-16', generateBlock('erc20', 16, 1), runs * 4);
  const overheads = calibrate(calibration, tiny);
  progress(`calibrated on ${calibration.map((b) => b.name).join(', ')}: ${JSON.stringify(overheads, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(3)) : v))}`);

  const { dirs, source } = fixtureDirs();
  const blocks: Measured[] = [];
  for (const dir of settings.quick ? dirs.slice(0, 8) : dirs) {
    const inputs = readInputs(dir);
    blocks.push(await measure(`mainnet/${BigInt(inputs.block.number)}`, inputs, runs));
  }
  progress(`profiled ${blocks.length} mainnet blocks`);

  const pevm = pevmSpeedups();
  const rows: Row[] = [];
  const lines: string[][] = [];
  let measuredSeq = 0, measuredPar = 0, predictedPar = 0;
  const modelled8: number[] = [];
  const pevmShown: number[] = [];
  const errors: number[] = [];
  for (const b of blocks) {
    const predictions = THREADS.map((t) => predict(b.profile, t, overheads));
    const p2 = predictions[0];
    errors.push(Math.abs(p2.ms / b.parallelMs - 1));
    // As parevm runs it by default: sequentially when it decides so before running.
    const speedup = (t: number): number => (b.sequentialBy ? 1 : predictions[THREADS.indexOf(t)].speedup);
    measuredSeq += b.sequentialMs;
    measuredPar += b.parallelMs;
    predictedPar += p2.ms;
    const number = b.name.split('/')[1];
    const theirs = pevm.get(number);
    if (theirs !== undefined) {
      modelled8.push(speedup(8));
      pevmShown.push(theirs);
    }
    lines.push([number, fmt(b.txs), fmt3(b.sequentialMs), fmt3(b.parallelMs), fmt3(p2.ms),
      `${(100 * (p2.ms / b.parallelMs - 1)).toFixed(0)}%`, ...THREADS.slice(1).map((t) => fmtRatio(speedup(t))),
      theirs === undefined ? '' : fmtRatio(theirs), b.sequentialBy ?? '']);
    rows.push({ workload: b.name, engine: 'parevm-model', threads: 2, wallMs: p2.ms, gas: 0, measuredMs: b.parallelMs, sequentialMs: b.sequentialMs,
      modelledSpeedups: Object.fromEntries(THREADS.map((t) => [t, speedup(t)])), blockStmSpeedups: Object.fromEntries(predictions.map((p) => [p.threads, p.speedup])),
      sequentialBy: b.sequentialBy, pevmSpeedup: theirs });
  }
  const measuredSpeedup = measuredSeq / measuredPar;
  const predictedSpeedup = measuredSeq / predictedPar;
  const error = predictedSpeedup / measuredSpeedup - 1;
  const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
  const table = formatTable([
    { header: 'block' }, { header: 'txs', right: true }, { header: '1 thread ms', right: true }, { header: '2 threads ms', right: true },
    { header: 'model 2 ms', right: true }, { header: 'model error', right: true },
    ...THREADS.slice(1).map((t) => ({ header: `model ${t}`, right: true })), { header: 'pevm (32 vCPU)', right: true },
    { header: 'parevm runs it sequentially' },
  ], lines) + `\n\nmainnet blocks from ${source}; measured with fallback: false (Block-STM on every block). Calibration (generated blocks): ` +
    `execution = ${overheads.execScale.toFixed(3)} × sequential + ${(1000 * overheads.execMs).toFixed(2)} µs, validation ${(1000 * overheads.validateMs).toFixed(2)} µs, ` +
    `commit ${(1000 * overheads.commitMs).toFixed(2)} µs a transaction, a parallel block's fixed cost ${overheads.blockMs.toFixed(3)} ms, ` +
    `receipt hashing ${(100 * overheads.hashShare).toFixed(0)}% of the tail.\n` +
    `Total at 2 threads: measured ${fmtRatio(measuredSpeedup)}, modelled ${fmtRatio(predictedSpeedup)} (error ${(100 * error).toFixed(1)}%; ` +
    `per block, median error ${(100 * median(errors)).toFixed(0)}%). Model columns at 4–32 threads are as parevm runs the block by default ` +
    `(1.00x where it decides before running to run it sequentially, as pevm does below 4 Mgas). ` +
    `Mean modelled speedup at 8 threads over the ${modelled8.length} blocks in pevm's table: ${fmtRatio(mean(modelled8))} (pevm: ${fmtRatio(mean(pevmShown))}).`;
  const ratios = [
    `model: 2-thread speedup over the mainnet blocks modelled ${fmtRatio(predictedSpeedup)} vs measured ${fmtRatio(measuredSpeedup)} (error ${(100 * error).toFixed(1)}%; target within 15%)`,
    `model: mean speedup at 8 threads ${fmtRatio(mean(modelled8))} vs pevm's ${fmtRatio(mean(pevmShown))} on the same ${modelled8.length} blocks (target above 2.0x)`,
  ];
  return { rows, table, ratios };
}
