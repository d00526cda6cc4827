// Peak memory of one engine on one block: a fresh Node process loads the block, runs it once and
// reports its peak resident set (VmHWM: the JS heaps, parevm's shared WebAssembly memory, worker
// threads, everything) with the block's gas used, receipts root and bloom.
// `idle` reports a process that only starts, the baseline every figure includes.
//
//   node build/bench/peak.js <idle|ethereumjs|parevm> <threads> <inputs.json>

import { spawn } from 'node:child_process';
import { writeFileSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecuteBlockOptions } from '../src/block/types.js';

type Inputs = Omit<ExecuteBlockOptions, 'threads'>;

export interface PeakRun {
  engine: 'idle' | 'ethereumjs' | 'parevm';
  threads: number;
  peakBytes: number;
  gasUsed?: string;
  receiptsRoot?: string;
  logsBloom?: string;
}

const SCRIPT = fileURLToPath(import.meta.url);

/** Runs `inputs` once in a fresh process per engine (`idle` first); their peaks and outcomes. */
export async function peakRuns(inputs: Inputs, engines: readonly Pick<PeakRun, 'engine' | 'threads'>[]): Promise<PeakRun[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'parevm-peak-'));
  const file = path.join(dir, 'inputs.json');
  try {
    writeFileSync(file, JSON.stringify(inputs));
    const runs: PeakRun[] = [];
    for (const { engine, threads } of engines) runs.push(await child(engine, threads, file));
    return runs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function child(engine: string, threads: number, file: string): Promise<PeakRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [SCRIPT, engine, String(threads), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`peak memory of ${engine} (${threads} threads): exit ${code}: ${err.trim()}`));
      else resolve(JSON.parse(out) as PeakRun);
    });
  });
}

/**
 * This process's peak resident set. On Linux, VmHWM of /proc/self/status: getrusage's maxRSS also
 * counts the parent's resident set at the fork before this process's exec.
 */
function peakResidentBytes(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function main([engine, threadsArg, file]: string[]): Promise<void> {
  const threads = Number(threadsArg);
  let outcome: Pick<PeakRun, 'gasUsed' | 'receiptsRoot' | 'logsBloom'> = {};
  if (engine !== 'idle') {
    const inputs = JSON.parse(readFileSync(file, 'utf8')) as Inputs;
    if (engine === 'ethereumjs') {
      const { EthereumjsRpcBlock } = await import('./engines/ethereumjs-rpc.js');
      const block = new EthereumjsRpcBlock(inputs, file);
      await block.load();
      const r = await block.run();
      outcome = { gasUsed: r.gasUsed.toString(), receiptsRoot: r.receiptsRoot, logsBloom: r.logsBloom };
    } else if (engine === 'parevm') {
      const { executeBlock, closePools } = await import('../src/index.js');
      const r = await executeBlock({ ...inputs, threads });
      outcome = { gasUsed: r.gasUsed.toString(), receiptsRoot: r.receiptsRoot, logsBloom: r.logsBloom };
      await closePools();
    } else {
      throw new Error(`unknown engine ${engine}`);
    }
  }
  const run: PeakRun = { engine: engine as PeakRun['engine'], threads, peakBytes: peakResidentBytes(), ...outcome };
  process.stdout.write(JSON.stringify(run));
}

if (process.argv[1] === SCRIPT) await main(process.argv.slice(2));
