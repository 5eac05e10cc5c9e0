import Papa from 'papaparse';

/**
 * Exact statistics computed from raw CSV rows with plain formulas: the independent reference the comparison's
 * sketch-based figures are checked against in tests.
 */
export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly string[][];
}

export function parseTable(text: string): Table {
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  return { header, rows };
}

/** Non-empty (after trimming) values of a column. */
export function presentValues(table: Table, column: string): string[] {
  const i = table.header.indexOf(column);
  if (i < 0) throw new Error(`no column '${column}' in ${table.header.join(', ')}`);
  return table.rows.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '');
}

function counts(values: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** Jensen–Shannon distance (base 2) between the value distributions of two samples. */
export function exactJsDistance(p: readonly string[], q: readonly string[]): number {
  const a = counts(p);
  const b = counts(q);
  let d = 0;
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = (a.get(key) ?? 0) / p.length;
    const y = (b.get(key) ?? 0) / q.length;
    const mid = (x + y) / 2;
    if (x > 0) d += 0.5 * x * Math.log2(x / mid);
    if (y > 0) d += 0.5 * y * Math.log2(y / mid);
  }
  return Math.sqrt(Math.max(0, d));
}

/** Share of q's values that never occur in p, and p's Good–Turing share N₁/N. */
export function exactUnseen(p: readonly string[], q: readonly string[]): { unseen: number; goodTuring: number } {
  const a = counts(p);
  let singletons = 0;
  for (const c of a.values()) if (c === 1) singletons++;
  return { unseen: q.filter((v) => !a.has(v)).length / q.length, goodTuring: singletons / p.length };
}

function sortedNumbers(values: readonly string[]): number[] {
  return values.map(Number).filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
}

/** The ⌈q·n⌉-th smallest value. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** PSI at p's exact deciles (bins (−∞, d₁], …, (d₉, ∞), empty bins floored at 1e-4), no sample-size correction. */
export function exactPsi(p: readonly string[], q: readonly string[]): number {
  const xs = sortedNumbers(p);
  const ys = sortedNumbers(q);
  const edges = [...new Set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((d) => quantile(xs, d)))].sort((a, b) => a - b);
  const share = (values: number[]) => {
    const bins = new Array(edges.length + 1).fill(0);
    for (const v of values) {
      let k = 0;
      while (k < edges.length && v > edges[k]) k++;
      bins[k]++;
    }
    return bins.map((c) => Math.max(c / values.length, 1e-4));
  };
  const a = share(xs);
  const b = share(ys);
  return a.reduce((s, x, i) => s + (b[i] - x) * Math.log(b[i] / x), 0);
}

/** Share of q outside p's exact [0.5%, 99.5%] quantile range. */
export function exactOutsideSoftRange(p: readonly string[], q: readonly string[]): number {
  const xs = sortedNumbers(p);
  const ys = sortedNumbers(q);
  const lo = quantile(xs, 0.005);
  const hi = quantile(xs, 0.995);
  return ys.filter((v) => v < lo || v > hi).length / ys.length;
}
