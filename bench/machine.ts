// What a result depends on besides the code: the machine, the runtime, and the versions in use.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The repository root (this file runs as build/bench/machine.js). */
export const ROOT = new URL('../../', import.meta.url);

/** Packages whose versions a result depends on. */
const PACKAGES = [
  'assemblyscript', 'tinybench', '@ethereumjs/vm', '@ethereumjs/evm', '@ethereumjs/statemanager', '@ethereumjs/block',
  '@noble/hashes', '@noble/curves', 'micro-eth-signer', '@openzeppelin/contracts',
];

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  node: string;
  parevm: string;
  /** The git commit of the tree, `+dirty` when it has uncommitted changes. */
  commit: string;
  packages: Record<string, string>;
  date: string;
  /** The 1-minute load average when the run started (another job on a 2-core VM shows here). */
  loadAverage: number;
}

function packageVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, ROOT), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

function gitCommit(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain') === '' ? '' : '+dirty');
  } catch {
    return 'unknown';
  }
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    parevm: JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')).version,
    commit: gitCommit(),
    packages: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])),
    date: new Date().toISOString(),
    loadAverage: os.loadavg()[0],
  };
}

export function describeMachine(m: MachineInfo): string {
  return [
    `machine   ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}`,
    `runtime   Node ${m.node}; parevm ${m.parevm} (${m.commit}); single thread`,
    `packages  ${Object.entries(m.packages).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `date      ${m.date}; load average ${m.loadAverage.toFixed(2)} at start`,
  ].join('\n');
}
