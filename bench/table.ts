// Plain-text tables for the terminal, in the Markdown pipe form so they paste into bench/README.md.

/** A column: its header, and whether its cells align right (numbers) or left (names). */
export interface Column {
  header: string;
  right?: boolean;
}

/** Formats rows of cells as a Markdown table with padded columns. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (columns[i].right ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${columns.map((c, i) => (c.right ? `${'-'.repeat(widths[i] + 1)}:` : '-'.repeat(widths[i] + 2))).join('|')}|`;
  return [line(columns.map((c) => c.header)), rule, ...rows.map(line)].join('\n');
}

/** A number with thousands separators and a fixed count of decimals. */
export function fmt(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A number with about three significant digits (for times and rates that span magnitudes). */
export function fmt3(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  return fmt(value, abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

/** A ratio such as `2.41x`. */
export function fmtRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : '—';
}
