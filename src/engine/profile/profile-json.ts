import { maskValue } from '../cell/sensitive.js';
import type { ColumnRole, ColumnSnapshot, DatasetSnapshot } from '../model/snapshot.js';
import { sketchRankError } from '../sketch/kll.js';
import { computeFreshness, DEFAULT_FRESHNESS_SLA, type Freshness, type FreshnessSla } from './freshness.js';

/** Version of the profile JSON (the `--json` output and the stored profile). */
export const PROFILE_JSON_VERSION = 1;
const TOP_VALUES_SHOWN = 10;
const FORMATS_SHOWN = 20;

/** One column of the profile report (names fixed by the public contract; more fields are additive). */
export interface ColumnProfileJson {
  name: string;
  type: string;
  counts: { present: number; empty: number; whitespace: number; sentinel: number; missingField: number };
  completeness: number;
  distinct: number;
  distinctExact: boolean;
  /** Where the true distinct count lies (99%); equal to `distinct` when exact. */
  distinctBounds: { low: number; high: number };
  /** What the column is for (identifier, free_text, categorical, numeric, temporal), and why. */
  role: ColumnRole;
  roleReason: string;
  numeric: {
    min: number;
    max: number;
    mean: number;
    stddev: number;
    quantiles: { p25: number; p50: number; p75: number };
    /** Rank error of the quantiles: each is the value at a rank within this share of the stated one (0 when exact). */
    quantileRankError: number;
  } | null;
  formats: Array<{ format: string; count: number }>;
  dominantFormat: string | null;
  formatConsistency: number;
  dateOrder: ColumnSnapshot['dateOrder'];
  /**
   * Most frequent values. Exact counts when `topValuesExact`; otherwise only the values the summary
   * guarantees are frequent, each with its count's bounds (`count` ≤ true count ≤ `countMax`).
   */
  topValues: Array<{ value: string; count: number; countMax: number }>;
  topValuesExact: boolean;
  /** When approximate: no value left out occurs more than this many times (0 when exact). */
  topValuesError: number;
  masked: boolean;
  sentinels: Array<{ token: string; count: number; judgedAs: 'null' | 'value' }>;
  hygieneDefectShare: number;
  variantRate: number;
  length: { min: number; p50: number; max: number } | null;
  freshness: (Freshness & { role: string; tzUnspecified: boolean }) | null;
}

/** The profile report of a sample. */
export interface ProfileJson {
  version: number;
  rows: number;
  asOf: string;
  encoding: string;
  decodedAs: string;
  bom: boolean;
  header: string[];
  raggedRows: { missingFields: number; extraFields: number };
  parseErrors: DatasetSnapshot['parseErrors'];
  rowCompleteness: { mean: number; complete: number };
  freshnessColumn: string | null;
  columns: ColumnProfileJson[];
}

/**
 * Renders a snapshot as the profile JSON. `asOf` is the sample's as-of time (extraction time,
 * else the time of profiling) against which freshness is judged.
 */
export function toProfileJson(snapshot: DatasetSnapshot, asOf: Date, sla: FreshnessSla = DEFAULT_FRESHNESS_SLA): ProfileJson {
  const asOfSeconds = asOf.getTime() / 1000;
  return {
    version: PROFILE_JSON_VERSION,
    rows: snapshot.rows,
    asOf: asOf.toISOString(),
    encoding: snapshot.encoding,
    decodedAs: snapshot.decodedAs,
    bom: snapshot.bom,
    header: [...snapshot.header],
    raggedRows: { ...snapshot.raggedRows },
    parseErrors: snapshot.parseErrors,
    rowCompleteness: { mean: snapshot.rowCompleteness.mean, complete: snapshot.rowCompleteness.complete },
    freshnessColumn: snapshot.freshnessColumn,
    columns: snapshot.columns.map((c) => columnJson(c, asOfSeconds, sla)),
  };
}

function columnJson(c: ColumnSnapshot, asOfSeconds: number, sla: FreshnessSla): ColumnProfileJson {
  const numeric = c.numeric
    ? (() => {
        const [p25, p50, p75] = c.numeric.sketch.quantiles([0.25, 0.5, 0.75]);
        return {
          min: c.numeric.min,
          max: c.numeric.max,
          mean: c.numeric.mean,
          stddev: c.numeric.stddev,
          quantiles: { p25, p50, p75 },
          quantileRankError: sketchRankError(c.numeric.sketch),
        };
      })()
    : null;
  const formats = [...c.formats]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, FORMATS_SHOWN)
    .map(([format, count]) => ({ format, count }));
  const masked = c.sensitive !== null;
  const err = c.topValues.err;
  const topValues = c.topValues
    .items()
    // An approximate counter below the error says nothing about its value: it may be anywhere from
    // the counter to err more. Only values guaranteed to be frequent are shown.
    .filter(([, count]) => err === 0 || count >= err)
    .slice(0, TOP_VALUES_SHOWN)
    .map(([value, count]) => ({
      value: masked ? maskValue(value, c.sensitive === 'contract' || c.sensitive === null ? 'other' : c.sensitive) : value,
      count,
      countMax: count + err,
    }));
  const length =
    c.lengths.n > 0 ? { min: c.lengths.min, p50: c.lengths.quantile(0.5), max: c.lengths.max } : null;
  const freshness = c.timestamps
    ? { ...computeFreshness(c.timestamps, asOfSeconds, sla), role: c.timestamps.role, tzUnspecified: c.timestamps.tzUnspecified }
    : null;
  return {
    name: c.name,
    type: c.type,
    counts: { ...c.counts },
    completeness: c.completeness,
    distinct: c.distinct,
    distinctExact: c.distinctExact,
    distinctBounds: { ...c.distinctBounds },
    role: c.role,
    roleReason: c.roleReason,
    numeric,
    formats,
    dominantFormat: c.dominantFormat,
    formatConsistency: c.formatConsistency,
    dateOrder: c.dateOrder,
    topValues,
    topValuesExact: c.topValuesExact,
    topValuesError: err,
    masked,
    sentinels: c.sentinels.map((s) => ({ ...s })),
    hygieneDefectShare: c.hygieneDefectShare,
    variantRate: c.variantRate,
    length,
    freshness,
  };
}
