// Group `mainnet`: the mainnet fixture blocks, each executed whole on parevm (`executeBlock`, one
// thread) and on @ethereumjs/vm (`runBlock`), in the same process. Both must reproduce the header's
// gas used and logs bloom, and from Byzantium on its receipts root; otherwise the run stops.
//
// parevm: one untimed warm-up pass over every block (the first calls of a process run in V8's
// baseline tier), then `rounds` timed rounds, round-robin over the blocks; each round is a few calls
// per block, and the figure is the median of the round medians of `stats.executionMs` (execution
// proper: first transaction to receipts root) and of the whole call (parsing, loading the pre-state,
// the state diff). @ethereumjs/vm takes about a minute per pass (world building included), so it
// runs a few passes of one timed `runBlock` per block on a fresh world, after an untimed warm-up on
// the first block of each fork (so every fork's code paths are compiled), and reports the median.
// parevm's rounds are spread over those passes, so a busy phase of the machine (other jobs share
// these two cores) falls on both engines.

import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { executeBlock } from '../src/block/execute.js';
import { readBlockInputs } from '../src/block/files.js';
import type { BlockResult, ExecuteBlockOptions } from '../src/block/types.js';
import { EthereumjsRpcBlock, type RpcBlockOutcome } from './engines/ethereumjs-rpc.js';
import { ROOT } from './machine.js';
import { median, Rounds, timeRound, type Budget } from './measure.js';
import type { GroupReport, Row, Settings } from './report.js';
import { fmt, fmt3, fmtRatio, formatTable } from './table.js';

/** The target: parevm at least 20x @ethereumjs/vm on mainnet blocks, single thread. */
const TARGET = 20;
/** Receipts hold a status instead of a state root from here on (EIP-658). */
const BYZANTIUM = 4_370_000n;
/** `--quick` runs only the blocks up to this much gas (about a dozen, mostly before Byzantium). */
const QUICK_MAX_GAS = 4_000_000n;
/** Timed passes of @ethereumjs/vm over all blocks (`--quick`: 1). */
const ETHEREUMJS_PASSES = 3;
/** How many of the lowest per-block ratios the summary names. */
const LOWEST_RATIOS_SHOWN = 5;

const FULL: Budget = { timeMs: 0, iterations: 3, warmupMs: 0, warmupIterations: 0 };
const QUICK: Budget = { timeMs: 0, iterations: 1, warmupMs: 0, warmupIterations: 0 };

type Inputs = Omit<ExecuteBlockOptions, 'threads'>;

interface MainnetBlock {
  number: bigint;
  inputs: Inputs;
  gas: bigint;
  txs: number;
  fork?: string;
  execution: Rounds;
  call: Rounds;
  ethereumjs: EthereumjsRpcBlock;
  /** The timed `runBlock`s, one per pass. */
  ethereumjsRuns: RpcBlockOutcome[];
}

/** The fixture block directories and where they came from (the shared tree, else the bundled few). */
export function fixtureDirs(): { dirs: string[]; source: string } {
  const shared = fileURLToPath(new URL('../shared/fixtures/mainnet/blocks/', ROOT));
  if (existsSync(shared)) {
    return { dirs: readdirSync(shared).map((n) => shared + n), source: '../shared/fixtures/mainnet' };
  }
  const bundled = fileURLToPath(new URL('test/fixtures/mainnet/blocks/', ROOT));
  const dirs = [...readdirSync(bundled).map((n) => bundled + n), fileURLToPath(new URL('data/blocks/19932148', ROOT))];
  return { dirs, source: 'test/fixtures/mainnet/blocks and data/blocks/19932148 (../shared/fixtures/mainnet is absent: the bundled few only)' };
}

/**
 * A block directory's inputs, with the codes map cut down to the codes its pre-state names: the shared
 * bytecodes.json (48 MB) is read for every block, and 52 copies of it made a 2.7 GB heap that slowed
 * both engines (parevm by ~40% on a block measured alone). Only named codes are ever looked up.
 */
export function readInputs(dir: string): Inputs {
  const inputs = readBlockInputs(dir);
  if (inputs.codes === undefined) return inputs;
  const codes: Record<string, string> = {};
  for (const account of Object.values(inputs.preState)) {
    const hash = account?.code_hash ?? account?.codeHash;
    if (hash === undefined) continue;
    const code = inputs.codes[hash] ?? inputs.codes[hash.toLowerCase()];
    if (code !== undefined) codes[hash] = code;
  }
  return { ...inputs, codes };
}

/** Fails loudly unless a block's results reproduce its header. */
function checkHeader(b: MainnetBlock, engine: string, got: { gasUsed: bigint; logsBloom: string; receiptsRoot?: string }): void {
  const header = b.inputs.block;
  const wrong = (what: string, value: unknown, expected: unknown) => {
    throw new Error(`mainnet/${b.number}: ${engine} gives ${what} ${value}, the header ${expected}`);
  };
  if (got.gasUsed !== b.gas) wrong('gas used', got.gasUsed, b.gas);
  if (got.logsBloom !== header.logsBloom) wrong('logs bloom', got.logsBloom, header.logsBloom);
  if (b.number >= BYZANTIUM && got.receiptsRoot !== header.receiptsRoot) wrong('receipts root', got.receiptsRoot, header.receiptsRoot);
}

/** One parevm round over every block: `budget.iterations` timed calls per block. */
async function parevmRound(blocks: readonly MainnetBlock[], budget: Budget): Promise<void> {
  for (const b of blocks) {
    const executionMs: number[] = [];
    let last: BlockResult | undefined;
    const callMs = await timeRound(`mainnet/${b.number} parevm`, async () => {
      last = await executeBlock({ ...b.inputs, threads: 1 });
      executionMs.push(last.stats.executionMs);
    }, true, budget);
    checkHeader(b, 'parevm', last!);
    b.call.add(callMs);
    b.execution.add(median(executionMs));
  }
}

/** One @ethereumjs/vm `runBlock` on a fresh world (the world is built untimed). */
async function ethereumjsRun(b: MainnetBlock): Promise<RpcBlockOutcome> {
  await b.ethereumjs.load();
  const outcome = await b.ethereumjs.run();
  checkHeader(b, 'ethereumjs', outcome);
  return outcome;
}

/** Splits a list into `parts` runs of nearly equal length, in order. */
function chunks<T>(items: readonly T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, i) => items.slice(Math.floor((i * items.length) / parts), Math.floor(((i + 1) * items.length) / parts)));
}

const mgas = (gas: number, ms: number) => gas / (ms * 1000);
const sum = (values: readonly number[]) => values.reduce((a, v) => a + v, 0);

/** Runs the `mainnet` group: check and warm up both engines, then time them. */
export async function runMainnet(settings: Settings, progress: (line: string) => void): Promise<GroupReport> {
  const { dirs, source } = fixtureDirs();
  let blocks: MainnetBlock[] = dirs.map((dir) => {
    const inputs = readInputs(dir);
    return {
      number: BigInt(inputs.block.number), inputs, gas: BigInt(inputs.block.gasUsed ?? '0x0'), txs: inputs.block.transactions.length,
      execution: new Rounds(), call: new Rounds(), ethereumjs: new EthereumjsRpcBlock(inputs, `mainnet/${inputs.block.number}`),
      ethereumjsRuns: [],
    };
  });
  const available = blocks.length;
  if (settings.quick) blocks = blocks.filter((b) => b.gas <= QUICK_MAX_GAS);
  blocks.sort((a, b) => (a.number < b.number ? -1 : 1));
  progress(`mainnet: ${blocks.length} blocks from ${source}`);

  progress('mainnet: parevm warm-up pass (untimed, checked against the headers)');
  const warmStart = performance.now();
  for (const b of blocks) {
    const result = await executeBlock({ ...b.inputs, threads: 1 });
    checkHeader(b, 'parevm', result);
    b.fork = result.fork;
  }
  const parevmWarmupMs = performance.now() - warmStart;

  const warmups = settings.quick ? [] : blocks.filter((b, i) => i === 0 || b.fork !== blocks[i - 1].fork);
  for (const b of warmups) {
    progress(`mainnet: ethereumjs warm-up on ${b.number} (untimed)`);
    await ethereumjsRun(b);
  }

  const budget = settings.quick ? QUICK : FULL;
  const passes = settings.quick ? 1 : ETHEREUMJS_PASSES;
  const ethereumjsWork = Array.from({ length: passes }, (_, pass) => blocks.map((b) => ({ b, pass }))).flat();
  const loads: number[] = []; // the 1-minute load average at each parevm round: other jobs show here
  for (const [round, part] of chunks(ethereumjsWork, settings.rounds).entries()) {
    loads.push(os.loadavg()[0]);
    progress(`mainnet: parevm round ${round + 1}/${settings.rounds}`);
    await parevmRound(blocks, budget);
    for (const { b, pass } of part) {
      progress(`mainnet: ethereumjs pass ${pass + 1}/${passes}: ${b.number} (${b.txs} txs, ${fmt(Number(b.gas))} gas)`);
      b.ethereumjsRuns.push(await ethereumjsRun(b));
    }
  }

  const rows: Row[] = [];
  const cells: string[][] = [];
  const ethereumjs = new Map(blocks.map((b) => [b, {
    ms: median(b.ethereumjsRuns.map((r) => r.ms)), stateRootMs: median(b.ethereumjsRuns.map((r) => r.stateRootMs)),
  }]));
  for (const b of blocks) {
    const gas = Number(b.gas);
    const ejs = ethereumjs.get(b)!;
    const ratio = ejs.ms / b.execution.ms;
    rows.push(
      {
        workload: `mainnet/${b.number}`, engine: 'parevm', threads: 1, wallMs: b.execution.ms, gas, txs: b.txs, fork: b.fork,
        mgasPerSecond: mgas(gas, b.execution.ms), callMs: b.call.ms, roundMs: b.execution.medians, roundCallMs: b.call.medians,
      },
      {
        workload: `mainnet/${b.number}`, engine: 'ethereumjs', threads: 1, wallMs: ejs.ms, gas, txs: b.txs, fork: b.fork,
        mgasPerSecond: mgas(gas, ejs.ms), stateRootMs: ejs.stateRootMs, senderRecoveryMs: b.ethereumjs.senderRecoveryMs,
        passMs: b.ethereumjsRuns.map((r) => r.ms),
      },
    );
    cells.push([
      String(b.number), b.fork ?? '', fmt(b.txs), fmt(gas), fmt3(b.execution.ms), fmt3(mgas(gas, b.execution.ms)), fmt3(b.call.ms),
      fmt3(ejs.ms), fmt3(mgas(gas, ejs.ms)), fmt3(ejs.stateRootMs), gas > 0 ? fmtRatio(ratio) : '—',
    ]);
  }

  const totalGas = sum(blocks.map((b) => Number(b.gas)));
  const parevmMs = sum(blocks.map((b) => b.execution.ms));
  const parevmCallMs = sum(blocks.map((b) => b.call.ms));
  const ejsMs = sum(blocks.map((b) => ethereumjs.get(b)!.ms));
  const stateRootMs = sum(blocks.map((b) => ethereumjs.get(b)!.stateRootMs));
  const recoveryMs = sum(blocks.map((b) => b.ethereumjs.senderRecoveryMs));
  const overall = ejsMs / parevmMs;
  cells.push([
    'total', '', fmt(sum(blocks.map((b) => b.txs))), fmt(totalGas), fmt3(parevmMs), fmt3(mgas(totalGas, parevmMs)), fmt3(parevmCallMs),
    fmt3(ejsMs), fmt3(mgas(totalGas, ejsMs)), fmt3(stateRootMs), fmtRatio(overall),
  ]);
  const table = formatTable(
    [
      { header: 'block' }, { header: 'fork' }, { header: 'txs', right: true }, { header: 'gas', right: true },
      { header: 'parevm ms', right: true }, { header: 'parevm Mgas/s', right: true }, { header: 'parevm call ms', right: true },
      { header: 'ethereumjs ms', right: true }, { header: 'ethereumjs Mgas/s', right: true }, { header: 'of which state root', right: true },
      { header: 'ratio', right: true },
    ],
    cells,
  );

  const lowest = blocks.filter((b) => b.gas > 0n)
    .map((b) => ({ b, ratio: ethereumjs.get(b)!.ms / b.execution.ms }))
    .sort((x, y) => x.ratio - y.ratio)
    .slice(0, LOWEST_RATIOS_SHOWN);
  const spreads = blocks.filter((b) => b.execution.medians.length > 1).map((b) => b.execution.spread);
  const passSpreads = blocks.filter((b) => b.ethereumjsRuns.length > 1)
    .map((b) => Math.max(...b.ethereumjsRuns.map((r) => r.ms)) / Math.min(...b.ethereumjsRuns.map((r) => r.ms)) - 1);
  const passTotals = Array.from({ length: passes }, (_, i) => sum(blocks.map((b) => b.ethereumjsRuns[i].ms)));
  const notes = [
    `Fixtures: ${blocks.length} of ${available} blocks from ${source}${settings.quick ? ` (--quick: those up to ${fmt(Number(QUICK_MAX_GAS))} gas)` : ''}.`,
    `Every block reproduced its header's gas used and logs bloom on both engines, and from Byzantium on its receipts root.`,
    `parevm: one untimed warm-up pass over all blocks (${fmt(parevmWarmupMs)} ms), then ${settings.rounds} round(s) of ${budget.iterations} call(s) per block;`
      + ` parevm ms is the median of the round medians of stats.executionMs (first transaction to receipts root), call ms of the whole executeBlock call`
      + (spreads.length > 0 ? ` (median round spread ${(median(spreads) * 100).toFixed(0)}%).` : '.'),
    `ethereumjs: ${warmups.length === 0 ? 'no warm-up' : `untimed warm-up on ${warmups.map((b) => b.number).join(', ')}`}, then ${passes} pass(es) of 1 timed runBlock`
      + ` per block on a fresh world; ethereumjs ms is the median over the passes`
      + (passSpreads.length > 0 ? ` (median spread ${(median(passSpreads) * 100).toFixed(0)}%; pass totals ${passTotals.map((ms) => fmt(ms)).join(' / ')} ms)` : '')
      + `. The pre-state is loaded and hashed into the trie and the senders recovered (${fmt(recoveryMs)} ms in all) outside the timed call.`,
    `"of which state root": ethereumjs's post-state root inside runBlock, which parevm does not compute.`,
    `Load average (1 min) at the parevm rounds: ${loads.map((l) => l.toFixed(2)).join(', ')} (${os.cpus().length} cores).`,
  ];
  const ratios = [
    `mainnet (${blocks.length} blocks): parevm ${fmt3(mgas(totalGas, parevmMs))} Mgas/s, ethereumjs ${fmt3(mgas(totalGas, ejsMs))} Mgas/s;`
      + ` total ethereumjs time / total parevm time ${fmtRatio(overall)}`,
    `mainnet, other ways to count: whole executeBlock call ${fmtRatio(ejsMs / parevmCallMs)}; ethereumjs without its state root`
      + ` ${fmtRatio((ejsMs - stateRootMs) / parevmMs)}; ethereumjs with sender recovery ${fmtRatio((ejsMs + recoveryMs) / parevmMs)}`,
    `mainnet, lowest ratios: ${lowest.map(({ b, ratio }) => `${b.number} ${fmtRatio(ratio)}`).join(', ')}`,
    `target ≥${TARGET}x @ethereumjs/vm on mainnet blocks: ${overall >= TARGET ? 'met' : 'missed'}`,
  ];
  return { rows, table: `${table}\n\n${notes.join('\n')}`, ratios };
}
