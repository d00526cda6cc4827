// The interpreter cases in bench/cases/ (a copy of the shared bench-cases, see its README.md) and the
// native evmone reference figures, read from the table in that README.

import { readdirSync, readFileSync } from 'node:fs';
import { hexToBytes } from '../src/bytes.js';
import { ROOT } from './machine.js';

const CASES = new URL('bench/cases/', ROOT);

/** Case folders, named as the workloads are: `<set>/<file>/<case>`. */
const SETS: readonly { name: string; dir: string }[] = [
  { name: 'main', dir: 'evm-benchmarks/main/' },
  { name: 'micro', dir: 'evm-benchmarks/micro/' },
  { name: 'synthetic', dir: 'synthetic/' },
];

/** One input of one contract. */
export interface InterpreterCase {
  /** `<main|micro|synthetic>/<file>/<case>`. */
  workload: string;
  set: string;
  /** `<set>/<file>`: the contract the case calls. */
  contract: string;
  code: Uint8Array;
  calldata: Uint8Array;
  /** The expected output, when the .inputs file gives one. */
  expected?: Uint8Array;
}

/** Every case of every set, in file order. */
export function loadCases(): InterpreterCase[] {
  const cases: InterpreterCase[] = [];
  for (const set of SETS) {
    const dir = new URL(set.dir, CASES);
    const files = readdirSync(dir).filter((f) => f.endsWith('.evm')).sort();
    for (const file of files) {
      const stem = file.slice(0, -'.evm'.length);
      const code = hexToBytes(readFileSync(new URL(file, dir), 'utf8').trim(), `${set.dir}${file}`);
      const inputs = readFileSync(new URL(`${stem}.inputs`, dir), 'utf8');
      for (const input of parseInputs(inputs, `${set.dir}${stem}.inputs`)) {
        cases.push({ workload: `${set.name}/${stem}/${input.name}`, set: set.name, contract: `${set.name}/${stem}`, code, ...input });
      }
    }
  }
  return cases;
}

/**
 * Parses a .inputs file: cases of three lines (name, calldata hex, expected output hex, the last two
 * possibly empty) separated by one blank line.
 */
function parseInputs(text: string, what: string): { name: string; calldata: Uint8Array; expected?: Uint8Array }[] {
  const lines = text.split(/\r?\n/);
  const inputs = [];
  for (let i = 0; i < lines.length; i += 4) {
    const name = lines[i].trim();
    if (name === '') {
      if (lines.slice(i).some((l) => l.trim() !== '')) throw new Error(`${what}: expected a case name on line ${i + 1}`);
      break;
    }
    const calldata = hexToBytes((lines[i + 1] ?? '').trim(), `${what} ${name} calldata`);
    const expectedHex = (lines[i + 2] ?? '').trim();
    inputs.push({ name, calldata, expected: expectedHex === '' ? undefined : hexToBytes(expectedHex, `${what} ${name} output`) });
  }
  return inputs;
}

/** evmone's figures for one case. */
export interface NativeReference {
  gas: number;
  micros: number;
}

/**
 * The evmone table of bench/cases/README.md, keyed by workload. A row named
 * `synthetic/loop_counter (1M iterations)` is the workload `synthetic/loop_counter/1M`.
 */
export function loadNativeReference(): Map<string, NativeReference> {
  const readme = readFileSync(new URL('README.md', CASES), 'utf8');
  const table = new Map<string, NativeReference>();
  const number = (cell: string) => Number(cell.replaceAll(',', ''));
  for (const line of readme.split(/\r?\n/)) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length !== 4 || !/^(main|micro|synthetic)\//.test(cells[0])) continue;
    const iterations = /^(.*) \((\S+) iterations\)$/.exec(cells[0]);
    const workload = iterations ? `${iterations[1]}/${iterations[2]}` : cells[0];
    const reference = { gas: number(cells[1]), micros: number(cells[2]) };
    if (!Number.isFinite(reference.gas) || !Number.isFinite(reference.micros)) {
      throw new Error(`bench/cases/README.md: unreadable evmone row: ${line}`);
    }
    table.set(workload, reference);
  }
  if (table.size === 0) throw new Error('bench/cases/README.md: no evmone table found');
  return table;
}
