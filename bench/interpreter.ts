// Group `interpreter`: the interpreter alone, on the bytecode cases of bench/cases/, against the
// native evmone figures of bench/cases/README.md.
//
// Every contract is deployed once in one CodeRunner world and every case's transaction is written
// once; a timed execution is `core.execute(tx)` without commit, so each run sees the same state.

import { bytesToHex, equalBytes } from '../src/bytes.js';
import { CodeRunner } from '../src/core/code-runner.js';
import { statusName } from '../src/core/core.js';
import { loadCases, loadNativeReference, type InterpreterCase, type NativeReference } from './cases.js';
import { geometricMean, Rounds, timeRound, type Budget } from './measure.js';
import type { GroupReport, Row, Settings } from './report.js';
import { fmt, fmt3, fmtRatio, formatTable } from './table.js';

/** Gas for one call: snailtracer, the largest case, takes ~166 M. */
const GAS_LIMIT = 1_000_000_000n;
/** The transaction base cost, which evmone's gas figures exclude. */
const TX_BASE_GAS = 21_000n;
/** The targets: within 5x of evmone on every main/ case, aiming at 3x. */
const TARGET_RATIO = 5;
const AIM_RATIO = 3;

const FULL: Budget = { timeMs: 300, iterations: 10, warmupMs: 100, warmupIterations: 3 };
const QUICK: Budget = { timeMs: 30, iterations: 2, warmupMs: 0, warmupIterations: 1 };

interface Prepared {
  case: InterpreterCase;
  tx: number;
  /** Gas used without the 21,000 base cost (calldata cost included, refunds deducted). */
  gas: number;
  /** Execution gas alone (also without calldata cost), comparable with evmone's figure. */
  executionGas: number;
  native?: NativeReference;
  rounds: Rounds;
}

/** Calldata cost before EIP-7623: 4 gas per zero byte, 16 per other byte (EIP-2028). */
function calldataGas(data: Uint8Array): number {
  return data.reduce((sum, b) => sum + (b === 0 ? 4 : 16), 0);
}

/** Deploys every case's code, writes its transaction, and checks one execution. */
async function prepare(): Promise<{ runner: CodeRunner; cases: Prepared[] }> {
  const cases = loadCases();
  const native = loadNativeReference();
  const runner = await CodeRunner.create();
  const addresses = new Map<string, Uint8Array>();
  for (const c of cases) {
    if (addresses.has(c.contract)) continue;
    const address = new Uint8Array(20);
    address[0] = 0xbe;
    new DataView(address.buffer).setUint32(16, addresses.size + 1);
    addresses.set(c.contract, address);
    runner.set(address, { code: c.code });
  }
  runner.reset();
  const core = runner.core;
  const prepared = cases.map((c): Prepared => {
    const tx = runner.prepare(addresses.get(c.contract), { data: c.calldata, gasLimit: GAS_LIMIT });
    const validity = core.execute(tx);
    if (validity !== 0) throw new Error(`${c.workload}: transaction invalid (code ${validity})`);
    const result = core.result();
    if (result.status !== 0) throw new Error(`${c.workload}: execution ended with ${statusName(result.status)}`);
    if (c.expected && !equalBytes(result.output, c.expected)) {
      throw new Error(`${c.workload}: wrong output ${bytesToHex(result.output)}, expected ${bytesToHex(c.expected)}`);
    }
    const gas = Number(result.gasUsed - TX_BASE_GAS);
    return { case: c, tx, gas, executionGas: gas - calldataGas(c.calldata), native: native.get(c.workload), rounds: new Rounds() };
  });
  for (const workload of native.keys()) {
    if (!prepared.some((p) => p.case.workload === workload)) throw new Error(`bench/cases/README.md names ${workload}, which no case file holds`);
  }
  return { runner, cases: prepared };
}

/** Runs the `interpreter` group: every case, round-robin over the rounds. */
export async function runInterpreter(settings: Settings, progress: (line: string) => void): Promise<GroupReport> {
  const { runner, cases } = await prepare();
  const core = runner.core;
  const budget = settings.quick ? QUICK : FULL;
  for (let round = 1; round <= settings.rounds; round++) {
    progress(`interpreter: round ${round}/${settings.rounds}`);
    for (const p of cases) p.rounds.add(await timeRound(p.case.workload, () => core.execute(p.tx), false, budget));
  }

  const rows: Row[] = cases.map((p) => {
    const micros = p.rounds.ms * 1000;
    return {
      workload: p.case.workload, engine: 'parevm', threads: 1, wallMs: p.rounds.ms, gas: p.gas,
      mgasPerSecond: p.gas / micros, evmoneMicros: p.native?.micros, ratioToEvmone: p.native ? micros / p.native.micros : undefined,
      roundMs: p.rounds.medians,
    };
  });
  const table = formatTable(
    [
      { header: 'case' }, { header: 'gas', right: true }, { header: 'µs', right: true }, { header: 'Mgas/s', right: true },
      { header: 'evmone µs', right: true }, { header: 'parevm/evmone', right: true }, { header: 'Δ exec gas', right: true },
      { header: 'round spread', right: true },
    ],
    cases.map((p, i) => [
      p.case.workload, fmt(p.gas), fmt3(p.rounds.ms * 1000), fmt3(rows[i].mgasPerSecond as number),
      p.native ? fmt3(p.native.micros) : '—', p.native ? fmtRatio(rows[i].ratioToEvmone as number) : '—',
      p.native ? fmt(p.executionGas - p.native.gas) : '—', `${(p.rounds.spread * 100).toFixed(0)}%`,
    ]),
  );
  const notes = [
    'gas: gas used minus the 21,000 base cost (calldata cost included, refunds deducted); µs: median per execution.',
    "Δ exec gas: (gas − calldata cost) − evmone's gas; non-zero means a refund (parevm's figure is net of it) or a different path.",
    'round spread: slowest round median / fastest − 1.',
  ];
  return { rows, table: `${table}\n\n${notes.join('\n')}`, ratios: interpreterRatios(cases) };
}

function interpreterRatios(cases: readonly Prepared[]): string[] {
  const ratioOf = (p: Prepared) => (p.rounds.ms * 1000) / p.native!.micros;
  const compared = cases.filter((p) => p.native !== undefined);
  const main = compared.filter((p) => p.case.set === 'main');
  const lines = [`parevm / evmone time, geometric mean over ${compared.length} cases: ${fmtRatio(geometricMean(compared.map(ratioOf)))}`];
  if (main.length > 0) {
    const worst = main.reduce((a, b) => (ratioOf(b) > ratioOf(a) ? b : a));
    const verdict = (limit: number) => (ratioOf(worst) <= limit ? 'met' : `missed on ${main.filter((p) => ratioOf(p) > limit).length} case(s)`);
    lines.push(
      `parevm / evmone time on main/: geometric mean ${fmtRatio(geometricMean(main.map(ratioOf)))}, ` +
        `worst ${fmtRatio(ratioOf(worst))} (${worst.case.workload})`,
      `target ≤${TARGET_RATIO}x on every main/ case: ${verdict(TARGET_RATIO)}; aim ≤${AIM_RATIO}x: ${verdict(AIM_RATIO)}`,
    );
  }
  return lines;
}
