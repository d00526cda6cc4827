// The `parevm` command line.

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from './core/core.js';
import { FORK_NAME_LIST, forkByName } from './fork/rules.js';
import { isStateTestFile, runStateTestFile, type CaseResult } from './statetest/runner.js';
import { isBlockchainTestFile, runBlockchainTestFile } from './blocktest/runner.js';
import { executeBlock } from './block/execute.js';
import type { CostReport } from './parallel/model.js';
import { closePools } from './block/parallel.js';
import { GENERATOR_KINDS, generateBlock, type GeneratorKind } from './generate/index.js';
import { readBlockInputs } from './block/files.js';
import { BlockInputError } from './block/parse.js';
import { InvalidTransactionError, MissingStateError } from './core/errors.js';
import { fileURLToPath } from 'node:url';

/** Runs of each kind behind the cost line of `parevm run` (their medians). */
const COST_RUNS = 5;
/**
 * Runs of each kind before those: a thread's code reaches its optimised tier only after a few blocks
 * (with one, the bundled block's 2-thread runs measured ~20 ms where warm ones take ~14).
 */
const WARM_RUNS = 5;
const USAGE = `usage: parevm <command> ...

commands:
  run [<block dir> | <block.json> --prestate <pre.json> [--codes <codes.json>]] [--threads N] [--no-fallback] [--json]
                                                   execute a block and check its header (no argument: a bundled mainnet block)
  statetest <file|dir>... [--fork NAME] [--json]   run Ethereum state tests (GeneralStateTests format)
  blocktest <file|dir>... [--threads N] [--no-fallback] [--json]
                                                   run Ethereum blockchain tests (BlockchainTests format)
  generate <kind> --txs N [--seed S] --out DIR     write a synthetic block (transfers, erc20, chain, hot, mixed, deposits)`;

/** The mainnet block `parevm run` executes when given none. */
const BUNDLED_BLOCK = fileURLToPath(new URL('../../data/blocks/19932148', import.meta.url));

/** A usage or input problem: printed as one line, exit status 2. */
class UsageError extends Error {}

/** A request for the usage text (`--help` or `-h` after a command). */
class HelpRequest extends Error {}

interface Args {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Splits a command's arguments; `valued` flags take the next argument, `switches` stand alone, any other flag is an error. */
function parseArgs(command: string, argv: string[], valued: readonly string[], switches: readonly string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') throw new HelpRequest();
    if (!a.startsWith('-')) {
      positional.push(a);
    } else if (valued.includes(a)) {
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      flags.set(a, argv[++i]);
    } else if (switches.includes(a)) {
      flags.set(a, true);
    } else {
      throw new UsageError(`${command}: unknown option ${a}; known: ${[...valued, ...switches].join(', ')}`);
    }
  }
  return { positional, flags };
}

/** Every .json file under the given paths, in a stable order. */
function jsonFiles(paths: string[]): { files: string[]; named: Set<string> } {
  const files: string[] = [];
  const named = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.json')) files.push(p);
    }
  };
  for (const p of paths) {
    let stat;
    try {
      stat = statSync(p);
    } catch (error) {
      throw new UsageError(`cannot read ${p}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (stat.isDirectory()) walk(p);
    else {
      files.push(p);
      named.add(p);
    }
  }
  return { files, named };
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
}

function formatSkipped(skipped: Map<string, number>): string {
  const total = [...skipped.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return '';
  return `, ${total} skipped (${[...skipped].map(([why, n]) => `${n}: ${why}`).join('; ')})`;
}

/** The state-test and blockchain-test runners: same input handling, same report. */
const SUITES = {
  statetest: { what: 'a state test (expected an object of tests with env, pre, transaction and post)', is: isStateTestFile, run: runStateTestFile },
  blocktest: { what: 'a blockchain test (expected an object of tests with network, pre, genesisBlockHeader and blocks)', is: isBlockchainTestFile,
    run: (core: Core, file: string, json: never, _fork: string | undefined, skipped: Map<string, number>, threads: number, fallback: boolean) =>
      runBlockchainTestFile(core, file, json, skipped, threads, fallback) },
} as const;

async function suite(name: keyof typeof SUITES, argv: string[], out: (line: string) => void): Promise<number> {
  const { positional, flags } = name === 'statetest'
    ? parseArgs(name, argv, ['--fork'], ['--json'])
    : parseArgs(name, argv, ['--threads'], ['--no-fallback', '--json']);
  const threads = flags.has('--threads') ? Number(flags.get('--threads')) : 1;
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`--threads must be a positive integer, got ${flags.get('--threads')}`);
  if (positional.length === 0) throw new UsageError(`${name} needs at least one file or directory`);
  const fork = flags.get('--fork');
  if (fork !== undefined && (fork === true || forkByName(fork) === undefined)) {
    throw new UsageError(`unknown fork "${fork}"; known: ${FORK_NAME_LIST.join(', ')}`);
  }
  const { what, is, run } = SUITES[name];
  const json = flags.has('--json');
  const { files, named } = jsonFiles(positional);
  const core = await Core.create();
  const skipped = new Map<string, number>();
  const failures: CaseResult[] = [];
  let passed = 0;
  for (const file of files) {
    const content = readJson(file);
    if (!is(content)) {
      if (named.has(file)) throw new UsageError(`${file}: not ${what}`);
      const reason = `not ${what.split(' (')[0]} file`;
      skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
      continue;
    }
    let results: CaseResult[];
    try {
      results = await run(core, file, content as never, fork as string | undefined, skipped, threads, !flags.has('--no-fallback'));
    } catch (error) {
      results = [{ file, test: '*', fork: fork as string ?? '*', ok: false, detail: `error: ${(error as Error).message}` }];
    }
    for (const r of results) {
      if (r.ok) passed++;
      else {
        failures.push(r);
        const at = r.indexes ? `[d${r.indexes.data},g${r.indexes.gas},v${r.indexes.value}]` : '';
        if (!json) out(`FAIL ${r.file} ${r.test} ${r.fork}${at}: ${r.detail}`);
      }
    }
  }
  if (json) {
    out(JSON.stringify({ passed, failed: failures.length, skipped: Object.fromEntries(skipped), failures }, null, 1));
  } else {
    out(`${passed} passed, ${failures.length} failed${formatSkipped(skipped)}`);
  }
  return failures.length === 0 ? 0 : 1;
}

function checkMark(ok: boolean | null): string {
  return ok === null ? '–' : ok ? '✓' : '✗';
}

async function run(argv: string[], out: (line: string) => void): Promise<number> {
  const { positional, flags } = parseArgs('run', argv, ['--prestate', '--codes', '--threads'], ['--no-fallback', '--json']);
  if (positional.length > 1) throw new UsageError('run takes one block directory or block file');
  const threads = flags.has('--threads') ? Number(flags.get('--threads')) : undefined; // the library's default
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new UsageError(`--threads must be a positive integer, got ${flags.get('--threads')}`);
  }
  const path = positional[0] ?? BUNDLED_BLOCK;
  const inputs = readBlockInputs(path, flags.get('--prestate') as string | undefined, flags.get('--codes') as string | undefined);
  const options = { ...inputs, threads, fallback: !flags.has('--no-fallback') };
  const result = await executeBlock(options);
  // A parallel run's costs, warm (the first runs of a process compile and warm up every thread, the
  // traced code paths too): the median of COST_RUNS traced parallel runs and COST_RUNS on one thread,
  // after WARM_RUNS of each.
  let cost: CostReport | undefined;
  let sequentialMs: number | undefined;
  if (result.stats.parallel && !result.stats.parallel.sequentialFallback && !result.stats.parallel.independent) {
    for (let i = 0; i < WARM_RUNS; i++) {
      await executeBlock({ ...options, threads: 1 });
      await executeBlock({ ...options, trace: true });
    }
    const costs: CostReport[] = [];
    const sequential: number[] = [];
    for (let i = 0; i < COST_RUNS; i++) {
      const traced = (await executeBlock({ ...options, trace: true })).stats.cost;
      if (traced) costs.push(traced);
      sequential.push((await executeBlock({ ...options, threads: 1 })).stats.executionMs);
    }
    cost = costs.sort((a, b) => a.wallMs - b.wallMs)[costs.length >> 1];
    sequentialMs = sequential.sort((a, b) => a - b)[COST_RUNS >> 1];
  }
  const block = inputs.block;
  const expect = (key: 'gasUsed' | 'logsBloom' | 'receiptsRoot'): string | undefined => block[key]?.toLowerCase();
  const checks = {
    gasUsed: expect('gasUsed') === undefined ? null : BigInt(expect('gasUsed')!) === result.gasUsed,
    logsBloom: expect('logsBloom') === undefined ? null : expect('logsBloom') === result.logsBloom,
    receiptsRoot: expect('receiptsRoot') === undefined || result.receiptsRoot === undefined ? null : expect('receiptsRoot') === result.receiptsRoot,
  };
  const failed = Object.values(checks).includes(false);
  if (flags.has('--json')) {
    out(JSON.stringify({
      number: Number(result.number), fork: result.fork, txCount: result.receipts.length, gasUsed: Number(result.gasUsed),
      threads: result.stats.threads, wallMs: result.stats.executionMs, setupMs: result.stats.setupMs, checks,
      receiptsRoot: result.receiptsRoot ?? null, logsBloom: result.logsBloom, stateDiffHash: result.stateDiffHash,
      stats: {
        ...result.stats, gasUsed: Number(result.stats.gasUsed), timeline: result.stats.timeline?.length,
        parallel: result.stats.parallel && { ...result.stats.parallel, dependencies: result.stats.parallel.dependencies.length, timeline: undefined },
        cost: cost && { ...cost, measuredSequentialMs: sequentialMs },
      },
      warnings: result.warnings,
    }, null, 1));
    return failed ? 1 : 0;
  }
  const mgas = Number(result.gasUsed) / 1e3 / result.stats.executionMs;
  out(`block ${result.number} (${result.fork}): ${result.receipts.length} transactions, ${result.gasUsed.toLocaleString('en-US')} gas`);
  out(`executed in ${result.stats.executionMs.toFixed(1)} ms (${mgas.toFixed(0)} Mgas/s), ${result.stats.threads} thread${result.stats.threads > 1 ? 's' : ''}; ` +
    `setup ${result.stats.setupMs.toFixed(1)} ms; memory ${(result.stats.memoryBytes / 2 ** 20).toFixed(0)} MiB`);
  out(`  ${checkMark(checks.gasUsed)} gasUsed       ${result.gasUsed}`);
  out(`  ${checkMark(checks.logsBloom)} logsBloom     ${checks.logsBloom === false ? 'differs' : checks.logsBloom === null ? 'not in the block' : 'matches'}`);
  out(`  ${checkMark(checks.receiptsRoot)} receiptsRoot  ${result.receiptsRoot ?? 'not checkable before Byzantium (receipts hold state roots)'}`);
  out(`  state diff: ${result.stateDiff.length} accounts, hash ${result.stateDiffHash}`);
  const p = result.stats.parallel;
  if (p?.sequentialFallback) {
    out(`  parallel: ran sequentially (${p.sequentialFallback}${p.executions ? `: ${p.aborts} aborts and ${p.dependencyWaits} waits in ${p.executions} executions` : ''})` +
      (p.keptTransactions ? `, keeping the first ${p.keptTransactions} transactions the parallel run had settled` : ''));
  } else if (p?.independent) {
    out(`  parallel: plain transfers in ${p.independent.parts} independent parts (${p.independent.groups} groups of transactions sharing accounts), no Block-STM`);
    out(`  dependencies: ${p.dependencies.length} edges; critical path ${p.criticalPath.txs.length} transactions`);
  } else if (p) {
    const n = result.receipts.length;
    out(`  parallel: ${p.executions} executions for ${n} transactions (${p.aborts} aborted by validation, ${p.dependencyWaits} waits), ` +
      `${p.validations} validations, ${p.wastedGas.toLocaleString('en-US')} gas wasted`);
    out(`  dependencies: ${p.dependencies.length} edges; critical path ${p.criticalPath.txs.length} transactions, ` +
      `${p.criticalPath.gas.toLocaleString('en-US')} gas (${(100 * p.criticalPath.gas / Math.max(1, Number(result.gasUsed))).toFixed(0)}% of the block)`);
  }
  if (cost && sequentialMs !== undefined) {
    const saved = sequentialMs - cost.wallMs;
    out(`  cost (warm runs): ${cost.wallMs.toFixed(1)} ms of wall time on ${result.stats.threads} threads, ${cost.cpuMs.toFixed(1)} ms of CPU in tasks, ` +
      `${cost.wastedMs.toFixed(1)} ms of it re-executing; 1 thread took ${sequentialMs.toFixed(1)} ms: ` +
      `${saved >= 0 ? 'saved' : 'lost'} ${Math.abs(saved).toFixed(1)} ms (${(100 * Math.abs(saved) / sequentialMs).toFixed(0)}%)`);
    out(`  modelled (src/parallel/model.ts, this machine's costs): ${cost.modelled.slice(1).map((m) => `${m.threads} threads ${m.speedup.toFixed(2)}x`).join(', ')}`);
  }
  for (const w of result.warnings) out(`  warning: ${w}`);
  return failed ? 1 : 0;
}

async function generate(argv: string[], out: (line: string) => void): Promise<number> {
  const { positional, flags } = parseArgs('generate', argv, ['--txs', '--seed', '--out'], []);
  const [kind] = positional;
  if (kind === undefined || !(GENERATOR_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`generate needs a kind: ${GENERATOR_KINDS.join(', ')}`);
  }
  const txs = Number(flags.get('--txs'));
  if (!Number.isInteger(txs) || txs < 1) throw new UsageError(`--txs must be a positive integer, got ${flags.get('--txs')}`);
  const seed = flags.has('--seed') ? Number(flags.get('--seed')) : 1;
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${flags.get('--seed')}`);
  const dir = flags.get('--out');
  if (typeof dir !== 'string') throw new UsageError('generate needs --out DIR');
  const { block, preState, codes } = generateBlock(kind as GeneratorKind, txs, seed);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'block.json'), JSON.stringify(block, null, 1));
  writeFileSync(join(dir, 'pre_state.json'), JSON.stringify(preState, null, 1));
  writeFileSync(join(dir, 'bytecodes.json'), JSON.stringify(codes, null, 1));
  out(`wrote a ${kind} block of ${txs} transactions (seed ${seed}) to ${dir}`);
  return 0;
}

/** Runs the command line; returns the exit status. */
export async function main(argv: string[], out = (line: string) => console.log(line), err = (line: string) => console.error(line)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'statetest': case 'blocktest': return await suite(command, rest, out);
      case 'run': return await run(rest, out);
      case 'generate': return await generate(rest, out);
      case undefined: case '--help': case '-h': case 'help':
        out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof HelpRequest) {
      out(USAGE);
      return 0;
    }
    if (error instanceof UsageError || error instanceof BlockInputError || error instanceof MissingStateError ||
      error instanceof InvalidTransactionError) {
      err(`parevm: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await closePools();
  }
}
