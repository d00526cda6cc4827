// What every group hands back to bench/run.ts: JSON rows, a table, and the ratios for the summary.

/** One result, as written to the `--json` file. */
export interface Row {
  /** `main/snailtracer/benchmark`, `transfers/eth-2000`, … */
  workload: string;
  engine: string;
  threads: number;
  /** Median wall time of one execution (one call, or one whole block), in ms. */
  wallMs: number;
  /** Gas of one execution (for a call, without the 21,000 transaction base cost). */
  gas: number;
  [extra: string]: unknown;
}

export interface GroupReport {
  rows: Row[];
  /** The table to print, with its notes. */
  table: string;
  /** Ratio lines for the summary at the end of the run. */
  ratios: string[];
}

/** How much work a run does, from the command line. */
export interface Settings {
  /** Rounds per workload; the figure reported is the median of the round medians. */
  rounds: number;
  /** A smoke run: short rounds (each group picks its budget). */
  quick: boolean;
  /** Transactions per block in the transfer groups. */
  txs: number;
  /** The workloads group's workloads to run (`--only NAME`); all when absent. */
  workloads?: string[];
}
