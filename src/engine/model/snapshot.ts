import type { KllSketch } from '../sketch/kll.js';
import type { MisraGries } from '../sketch/misra-gries.js';

/**
 * What a column is for, decided from its profile alone (METRICS §8): each role is judged by what can
 * really go wrong with it. An identifier by its uniqueness, shape and length; free text by its length
 * distribution and hygiene; a category by its mix and its new values; numbers and times by their
 * distributions and freshness. A category-mix test on an identifier or on free text would only measure
 * which values a sample happened to draw.
 */
export type ColumnRole = 'identifier' | 'free_text' | 'categorical' | 'numeric' | 'temporal';

/**
 * The finalized view of one column of a profiled sample: what the comparison and the score read.
 * It is derived at finalize from the mergeable column state (so it is the same for any split of the
 * rows), keeps the sketches themselves for distribution tests, and is never serialized as such:
 * the wire format is the state; the JSON report is {@link ColumnProfileJson}.
 */
export interface ColumnSnapshot {
  readonly name: string;
  /** 0-based position in the header. */
  readonly index: number;
  /** Rows of the sample (every column has one cell per row, missing fields included). */
  readonly rows: number;
  readonly counts: CellCounts;
  /** present / rows (0 when rows = 0). Sentinels judged to be nulls count as missing. */
  readonly completeness: number;
  /** Inferred column type: 'boolean' | 'integer' | 'decimal' | 'date' | 'datetime' | 'time' | 'digit_code' | 'uuid' |
   * 'email' | 'url' | 'phone' | 'text' | 'mixed' | 'empty'. */
  readonly type: string;
  /** Format name → number of PRESENT values with that format (date_sep keyed by the column's resolved order). */
  readonly formats: ReadonlyMap<string, number>;
  /** The most frequent format, or null when there are no present values. */
  readonly dominantFormat: string | null;
  /** FC_j = max_f n_f / Σ_f n_f (METRICS §2.5); 1 when there are no present values. */
  readonly formatConsistency: number;
  /** Share of PRESENT values with any hygiene defect (h_j). */
  readonly hygieneDefectShare: number;
  /** variant_rate_j from fingerprint clustering (METRICS §2.3); 0 when not assessable. */
  readonly variantRate: number;
  /** FCH_j = FC_j × (1 − h_j) × (1 − variant_rate_j). */
  readonly formatHygiene: number;
  /** Date order resolution for date_sep values. */
  readonly dateOrder: 'dmy' | 'mdy' | 'mixed' | 'ambiguous' | null;
  /** Distinct count of present values (exact while small, HLL estimate beyond). */
  readonly distinct: number;
  readonly distinctExact: boolean;
  /** Where the true distinct count lies (99%): equal to `distinct` when exact. */
  readonly distinctBounds: { readonly low: number; readonly high: number };
  /** What the column is for, decided from its profile (METRICS §8), and why. */
  readonly role: ColumnRole;
  readonly roleReason: string;
  /** Top values with their counts (Misra-Gries; exact when `topValuesExact`). Sentinels judged to be values are included. */
  readonly topValues: MisraGries;
  readonly topValuesExact: boolean;
  /** Numeric values (for numeric columns), exact moments and a KLL sketch. */
  readonly numeric: NumericSnapshot | null;
  /** Quantile sketch of string lengths of present values. */
  readonly lengths: KllSketch;
  /** Shape masks (METRICS §2.2, with lengths) of codes and words: their frequencies (exact while `exact()`). */
  readonly shapes: MisraGries;
  /** Timestamps (for date/datetime columns), epoch seconds UTC. */
  readonly timestamps: TimestampSnapshot | null;
  /** Sentinel tokens seen and how they were judged (null vs value, METRICS §1 "Sentinels in context"). */
  readonly sentinels: ReadonlyArray<{ token: string; count: number; judgedAs: 'null' | 'value' }>;
  /**
   * Whether values look sensitive (emails, phones, cards, national ids) or the dataset contract
   * marks the column sensitive (`contract`): top values are then masked in every output.
   */
  readonly sensitive: 'email' | 'phone' | 'card' | 'national_id' | 'contract' | null;
}

export interface CellCounts {
  readonly present: number;
  readonly empty: number;
  readonly whitespace: number;
  readonly sentinel: number;
  readonly missingField: number;
}

export interface NumericSnapshot {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 when count < 2. */
  readonly stddev: number;
  readonly sketch: KllSketch;
}

export interface TimestampSnapshot {
  readonly count: number;
  /** Epoch seconds. */
  readonly min: number;
  readonly max: number;
  readonly sketch: KllSketch;
  /** 'event' (created/updated/… names), 'scheduled' (due/expiry/…), or 'other'. */
  readonly role: 'event' | 'scheduled' | 'other';
  /** Naive values (no zone) were read as UTC. */
  readonly tzUnspecified: boolean;
  /** 'date' when every value is a calendar date (tolerance for the future share: 1 day), else 'datetime' (5 min). */
  readonly granularity: 'date' | 'datetime';
}

/** The finalized view of a whole sample. */
export interface DatasetSnapshot {
  readonly rows: number;
  readonly header: readonly string[];
  readonly columns: readonly ColumnSnapshot[];
  /** Rows with fewer / more fields than the header. */
  readonly raggedRows: { readonly missingFields: number; readonly extraFields: number };
  /**
   * What was wrong with the header as read (`header` holds the repaired, unique names):
   * duplicated names (each once) and the number of empty names.
   */
  readonly headerIssues: { readonly duplicateNames: readonly string[]; readonly emptyNames: number };
  readonly encoding: string;
  readonly decodedAs: 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';
  readonly bom: boolean;
  /** Parse problems (e.g. an unterminated quote), counted; the first few kept with their row. */
  readonly parseErrors: { readonly count: number; readonly first: ReadonlyArray<{ row: number; code: string; message: string }> };
  /** Row completeness: share of rows with every cell present, and the mean of per-row present/columns. */
  readonly rowCompleteness: { readonly mean: number; readonly complete: number; readonly histogram: readonly number[] };
  /** Freshness against `asOf` (epoch seconds) of the column chosen as the freshness column, if any. */
  readonly freshnessColumn: string | null;
}
