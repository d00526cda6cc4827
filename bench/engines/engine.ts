// What the transfer benchmarks need from an engine: load a fresh world, execute a block, read state.

import { bytesToHex } from '../../src/bytes.js';
import type { Probe } from '../blocks.js';

/** What executing a block produced, for checking engines against each other. */
export interface BlockOutcome {
  /** The sum of every transaction's gas used (after refunds): the header's gasUsed. */
  gasUsed: bigint;
  /** Transactions whose execution did not succeed (reverted or halted). */
  failed: number;
}

/** One engine executing one block sequentially. */
export interface BlockEngine {
  readonly engine: string;
  /** Whether `run` returns a promise (the timer must know without calling it). */
  readonly async: boolean;
  /** Builds a fresh world holding the pre-state (not timed). */
  load(): void | Promise<void>;
  /** Executes and commits every transaction of the block in order (timed). */
  run(): BlockOutcome | Promise<BlockOutcome>;
  /** Reads the probes after `run`, as comparable text. */
  read(probes: readonly Probe[]): Promise<string[]>;
}

/** The text of a probe's reading: `0x…: balance B, nonce N` or `0x…[slot]: V`. */
export function probeText(probe: Probe, values: { balance: bigint; nonce: bigint } | bigint): string {
  const where = bytesToHex(probe.address);
  if (typeof values === 'bigint') return `${where}[0x${probe.slot!.toString(16)}]: ${values}`;
  return `${where}: balance ${values.balance}, nonce ${values.nonce}`;
}
