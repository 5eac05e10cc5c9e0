import { maskValue } from '../cell/sensitive.js';
import { computeFreshness, DEFAULT_FRESHNESS_SLA, type Freshness, type FreshnessSla } from './freshness.js';
import type { ColumnSnapshot, DatasetSnapshot } from './snapshot.js';

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
  numeric: { min: number; max: number; mean: number; stddev: number; quantiles: { p25: number; p50: number; p75: number } } | null;
  formats: Array<{ format: string; count: number }>;
  dominantFormat: string | null;
  formatConsistency: number;
  dateOrder: ColumnSnapshot['dateOrder'];
  topValues: Array<{ value: string; count: number }>;
  topValuesExact: boolean;
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
        return { min: c.numeric.min, max: c.numeric.max, mean: c.numeric.mean, stddev: c.numeric.stddev, quantiles: { p25, p50, p75 } };
      })()
    : null;
  const formats = [...c.formats]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, FORMATS_SHOWN)
    .map(([format, count]) => ({ format, count }));
  const masked = c.sensitive !== null;
  const topValues = c.topValues
    .items()
    .slice(0, TOP_VALUES_SHOWN)
    .map(([value, count]) => ({ value: masked ? maskValue(value, c.sensitive === 'contract' || c.sensitive === null ? 'other' : c.sensitive) : value, count }));
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
    numeric,
    formats,
    dominantFormat: c.dominantFormat,
    formatConsistency: c.formatConsistency,
    dateOrder: c.dateOrder,
    topValues,
    topValuesExact: c.topValuesExact,
    masked,
    sentinels: c.sentinels.map((s) => ({ ...s })),
    hygieneDefectShare: c.hygieneDefectShare,
    variantRate: c.variantRate,
    length,
    freshness,
  };
}
