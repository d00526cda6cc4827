// The benchmark entry: `npm run bench -- [--only GROUP|WORKLOAD]... [--json FILE] [--quick] [--rounds N] [--txs N]`.
// Single thread. Prints the machine, a table per group, then the ratios; see bench/README.md.

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { runInterpreter } from './interpreter.js';
import { describeMachine, machineInfo } from './machine.js';
import { runMainnet } from './mainnet.js';
import type { GroupReport, Row, Settings } from './report.js';
import { runBlockGroup } from './transfers.js';
import { runParallel } from './parallel.js';
import { runModel } from './model.js';
import { WORKLOADS, runWorkloads } from './workloads.js';
import { closePools } from '../src/block/parallel.js';

type Runner = (settings: Settings, progress: (line: string) => void) => Promise<GroupReport>;

/** The groups, in the order a full run takes them. */
const GROUPS: Record<string, { title: string; run: Runner }> = {
  interpreter: { title: 'Interpreter alone (bench/cases), parevm vs native evmone', run: runInterpreter },
  transfers: { title: 'ETH transfers, one block, parevm vs @ethereumjs/vm', run: (s, p) => runBlockGroup('transfers', s, p) },
  erc20: { title: 'ERC-20 transfers, one block, parevm vs @ethereumjs/vm', run: (s, p) => runBlockGroup('erc20', s, p) },
  mainnet: { title: 'Mainnet fixture blocks, parevm executeBlock vs @ethereumjs/vm runBlock', run: runMainnet },
  parallel: { title: 'Parallel execution (Block-STM): threads 2 over threads 1', run: runParallel },
  workloads: { title: 'Generated workloads on @ethereumjs/vm, parevm 1 thread and parevm N threads', run: runWorkloads },
  model: { title: 'Scaling model: calibrated on generated blocks, checked at 2 threads on mainnet, beside pevm', run: runModel },
};

const USAGE = `usage: node build/bench/run.js [--only GROUP|WORKLOAD]... [--json FILE] [--quick] [--rounds N] [--txs N]
  --only NAME   run only this group (repeatable; default: all): ${Object.keys(GROUPS).join(', ')};
                or only this workload of the workloads group: ${Object.keys(WORKLOADS).join(', ')}
  --json FILE   write every result row as a JSON array
  --quick       a smoke run: 1 short round, 200-transaction blocks, mainnet blocks up to 4 Mgas
  --rounds N    rounds per workload (default 5, quick 1; mainnet: parevm rounds, ethereumjs always runs once)
  --txs N       transactions per block in transfers and erc20 (default 2000, quick 200)`;

/** A bad command line: reported without a stack trace. */
class UsageError extends Error {}

function positiveInteger(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a positive integer, not ${JSON.stringify(value)}`);
  return n;
}

function parseCommandLine() {
  const options = {
    only: { type: 'string', multiple: true },
    json: { type: 'string' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    txs: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  } as const;
  try {
    return parseArgs({ options });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseCommandLine();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const only = values.only ?? Object.keys(GROUPS);
  const unknown = only.filter((name) => !(name in GROUPS) && !(name in WORKLOADS));
  if (unknown.length > 0) throw new UsageError(`unknown group or workload ${unknown.join(', ')}\n${USAGE}`);
  const workloads = only.filter((name) => name in WORKLOADS);
  const selected = workloads.length > 0 ? [...only, 'workloads'] : only;
  const quick = values.quick;
  const settings: Settings = {
    quick,
    rounds: positiveInteger(values.rounds, quick ? 1 : 5, '--rounds'),
    txs: positiveInteger(values.txs, quick ? 200 : 2000, '--txs'),
    // A workload named alone runs alone, unless the whole group is asked for too.
    workloads: workloads.length > 0 && !only.includes('workloads') ? workloads : undefined,
  };

  console.log(describeMachine(machineInfo()));
  console.log(`settings  ${settings.rounds} round(s)${quick ? ', quick' : ''}; ${settings.txs} transactions per block`);
  const progress = (line: string) => process.stderr.write(`  … ${line}\n`);
  const rows: Row[] = [];
  const ratios: string[] = [];
  for (const name of Object.keys(GROUPS).filter((g) => selected.includes(g))) {
    const group = GROUPS[name];
    const report = await group.run(settings, progress);
    console.log(`\n## ${group.title}\n\n${report.table}`);
    rows.push(...report.rows);
    ratios.push(...report.ratios);
  }
  console.log(`\n## Ratios\n\n${ratios.map((line) => `- ${line}`).join('\n')}`);
  console.log(`\nload average ${os.loadavg()[0].toFixed(2)} at end`);
  if (values.json !== undefined) {
    writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
    console.log(`\n${rows.length} rows written to ${values.json}`);
  }
  await closePools();
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
