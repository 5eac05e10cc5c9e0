import { shapeMaskL2 } from '../../src/engine/cell/shape-mask.js';
import { decideRole } from '../../src/engine/column/column-role.js';
import type { ColumnRole, ColumnSnapshot, DatasetSnapshot, TimestampSnapshot } from '../../src/engine/model/snapshot.js';
import { KllSketch } from '../../src/engine/sketch/kll.js';
import { MisraGries } from '../../src/engine/sketch/misra-gries.js';

/**
 * Hand-built snapshots for unit tests of the comparison: the test states the figures of a column
 * directly (values, formats, counts), and real sketches are filled from the given values.
 */
export interface ColumnSpec {
  readonly name: string;
  /** Present values (strings); the top-value dictionary and, for numeric/timestamp specs, the KLL are built from them. */
  readonly values: readonly string[];
  /** Cells that are not present, by state. */
  readonly empty?: number;
  readonly sentinel?: number;
  readonly type?: string;
  /** Format name → count; defaults to every present value in `defaultFormat`. */
  readonly formats?: Readonly<Record<string, number>>;
  readonly defaultFormat?: string;
  /** Numeric column: values are parsed with Number. */
  readonly numeric?: boolean;
  /** Timestamp column: values are ISO dates/datetimes; epoch seconds go to the KLL. */
  readonly timestamp?: { readonly role?: 'event' | 'scheduled' | 'other'; readonly granularity?: 'date' | 'datetime' };
  readonly hygieneDefectShare?: number;
  readonly variantRate?: number;
  readonly dateOrder?: ColumnSnapshot['dateOrder'];
  readonly sentinels?: ColumnSnapshot['sentinels'];
  readonly sensitive?: ColumnSnapshot['sensitive'];
  /** Misra-Gries k (default 256). */
  readonly mgK?: number;
  /** The column's role; by default decided from the spec as the profiler decides it. */
  readonly role?: ColumnRole;
}

function kllOf(values: readonly number[], seed = 1): KllSketch {
  const s = new KllSketch(200, seed);
  for (const v of values) s.update(v);
  return s;
}

/** Builds a column snapshot from a spec. */
export function buildColumn(spec: ColumnSpec, index = 0): ColumnSnapshot {
  const present = spec.values.length;
  const empty = spec.empty ?? 0;
  const sentinel = spec.sentinel ?? 0;
  const rows = present + empty + sentinel;
  const formats = new Map<string, number>(
    Object.entries(spec.formats ?? (present > 0 ? { [spec.defaultFormat ?? 'text:Title']: present } : {})),
  );
  let dominant: string | null = null;
  let max = 0;
  let sum = 0;
  for (const [k, c] of formats) {
    sum += c;
    if (c > max) {
      max = c;
      dominant = k;
    }
  }
  const fc = sum > 0 ? max / sum : 1;
  const h = spec.hygieneDefectShare ?? 0;
  const variant = spec.variantRate ?? 0;
  const mg = new MisraGries(spec.mgK ?? 256);
  for (const v of spec.values) mg.update(v);
  const lengths = kllOf(spec.values.map((v) => v.length), 2);
  let numeric: ColumnSnapshot['numeric'] = null;
  if (spec.numeric) {
    const xs = spec.values.map(Number);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
    numeric = { count: xs.length, min: Math.min(...xs), max: Math.max(...xs), mean, stddev: Math.sqrt(variance), sketch: kllOf(xs, 3) };
  }
  let timestamps: TimestampSnapshot | null = null;
  if (spec.timestamp) {
    const ts = spec.values.map((v) => Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v) / 1000);
    timestamps = {
      count: ts.length,
      min: Math.min(...ts),
      max: Math.max(...ts),
      sketch: kllOf(ts, 4),
      role: spec.timestamp.role ?? 'event',
      tzUnspecified: false,
      granularity: spec.timestamp.granularity ?? 'date',
    };
  }
  const type = spec.type ?? (spec.numeric ? 'decimal' : spec.timestamp ? 'date' : 'text');
  const distinct = new Set(spec.values).size;
  const shapes = new MisraGries(64);
  if (!spec.numeric && !spec.timestamp) for (const v of spec.values) shapes.update(shapeMaskL2(v.trim()));
  const shapeItems = shapes.items();
  const decided = decideRole({
    name: spec.name,
    type,
    present,
    distinct,
    distinctExact: true,
    quantity: numeric !== null && ['integer', 'decimal', 'currency', 'percent'].includes(type),
    temporal: timestamps !== null,
    freeText: spec.values.filter((v) => v.trim().split(/\s+/).length >= 3 || v.length > 64).length,
    medianLength: lengths.n > 0 ? lengths.quantile(0.5) : 0,
    topShape: shapeItems.length > 0 ? { mask: shapeItems[0][0], count: shapeItems[0][1] } : null,
  });
  return {
    name: spec.name,
    index,
    rows,
    counts: { present, empty, whitespace: 0, sentinel, missingField: 0 },
    completeness: rows > 0 ? present / rows : 0,
    type,
    formats,
    dominantFormat: dominant,
    formatConsistency: fc,
    hygieneDefectShare: h,
    variantRate: variant,
    formatHygiene: fc * (1 - h) * (1 - variant),
    dateOrder: spec.dateOrder ?? null,
    distinct,
    distinctExact: true,
    distinctBounds: { low: distinct, high: distinct },
    role: spec.role ?? decided.role,
    roleReason: spec.role ? 'set by the test' : decided.reason,
    topValues: mg,
    topValuesExact: mg.exact(),
    numeric,
    lengths,
    shapes,
    timestamps,
    sentinels: spec.sentinels ?? [],
    sensitive: spec.sensitive ?? null,
  };
}

/** Builds a dataset snapshot from column specs (all columns must have the same row count). */
export function buildDataset(specs: readonly ColumnSpec[], options: { freshnessColumn?: string | null } = {}): DatasetSnapshot {
  const columns = specs.map((s, i) => buildColumn(s, i));
  const rows = columns[0]?.rows ?? 0;
  for (const c of columns) {
    if (c.rows !== rows) throw new Error(`buildDataset: column ${c.name} has ${c.rows} rows, expected ${rows}`);
  }
  return {
    rows,
    header: columns.map((c) => c.name),
    columns,
    raggedRows: { missingFields: 0, extraFields: 0 },
    headerIssues: { duplicateNames: [], emptyNames: 0 },
    encoding: 'utf-8',
    decodedAs: 'utf-8',
    bom: false,
    parseErrors: { count: 0, first: [] },
    rowCompleteness: { mean: 1, complete: 1, histogram: [] },
    freshnessColumn: options.freshnessColumn ?? columns.find((c) => c.timestamps?.role === 'event')?.name ?? null,
  };
}
