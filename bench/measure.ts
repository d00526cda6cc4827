// Timing with tinybench: one call of `timeRound` is one round (warm-up, then samples until both the
// time budget and the minimum iteration count are met) and yields the round's median. Groups call
// it once per workload per round, round-robin, so a slow phase of the machine hits every workload
// instead of all the rounds of one; the reported figure is the median of the round medians.

import { Bench } from 'tinybench';

/** How long one round of one workload runs. */
export interface Budget {
  /** Sampling time per round, in ms (sampling continues until `iterations` is also reached). */
  timeMs: number;
  /** Minimum samples per round. */
  iterations: number;
  /** Warm-up time per round, in ms (0 with `warmupIterations` 0 disables warm-up). */
  warmupMs: number;
  warmupIterations: number;
}

/** Untimed work around each sample (a fresh world before a block, for instance). */
export interface Hooks {
  beforeEach?: () => void | Promise<void>;
  afterEach?: () => void | Promise<void>;
}

/**
 * Runs one round of `fn` and returns its median wall time per call, in ms. `async` must say whether
 * `fn` returns a promise: otherwise tinybench calls `fn` once, outside the hooks, to find out.
 */
export async function timeRound(name: string, fn: () => unknown, async: boolean, budget: Budget, hooks: Hooks = {}): Promise<number> {
  const warmup = budget.warmupMs > 0 || budget.warmupIterations > 0;
  const bench = new Bench({
    name,
    time: budget.timeMs,
    iterations: budget.iterations,
    warmup,
    warmupTime: budget.warmupMs,
    warmupIterations: budget.warmupIterations,
    throws: true,
  });
  bench.add(name, fn, { async, beforeEach: hooks.beforeEach, afterEach: hooks.afterEach });
  const [task] = await bench.run();
  const result = task.result;
  if (result.state !== 'completed') throw new Error(`${name}: tinybench ended in state ${result.state}`);
  return result.latency.p50;
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length & 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The geometric mean (for averaging ratios). */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/** Round medians of one workload, collected across rounds. */
export class Rounds {
  readonly medians: number[] = [];

  add(ms: number): void {
    this.medians.push(ms);
  }

  /** The median of the round medians. */
  get ms(): number {
    return median(this.medians);
  }

  /** How far apart the fastest and slowest rounds are (max / min − 1). */
  get spread(): number {
    return Math.max(...this.medians) / Math.min(...this.medians) - 1;
  }
}
