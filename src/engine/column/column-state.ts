import { CellState } from '../cell/cell-state.js';
import { classifyCell, createCellInfo, type CellInfo } from '../cell/classify.js';
import { shapeMaskL2Hashed } from '../cell/shape-mask.js';
import { ValueClass, VALUE_CLASS_COUNT } from '../cell/value-class.js';
import { DATE_SEP_TIME_SHIFT, formatVariant } from '../cell/format-key.js';
import { HLL_DEFAULT_P, HLL_DEFAULT_SPARSE_LIMIT, HyperLogLog } from '../sketch/hyperloglog.js';
import { KllSketch } from '../sketch/kll.js';
import { MisraGries } from '../sketch/misra-gries.js';
import { xxh64Into } from '../sketch/xxh64.js';
import { Moments, type MomentsJson } from './moments.js';
import { assertSameParams, type SketchEnvelope } from '../sketch/envelope.js';
import { ProfileStateError } from '../model/errors.js';

/** Number of hygiene flag bits tracked per column (see `src/engine/cell/hygiene.ts`). */
export const HYGIENE_BITS = 16;
/** Case classes: none, UPPER, lower, Title, mixed. */
export const CASE_CLASSES = 5;

const TOP_VALUES_K = 256;
/**
 * Distinct values the top-values dictionaries of one state may count exactly, over all its
 * columns, and at most per column: a column of up to 16,384 distinct values (a long-tailed
 * category, names, codes) gets exact frequencies, so its comparison needs no sketch bounds. Wide
 * files share the budget (1,000 columns: the plain 2k counters each).
 */
export const TOP_VALUES_EXACT_BUDGET = 1 << 18;
export const TOP_VALUES_EXACT_MAX = 16_384;

/** The exact limit of each column's top values in a state of `columns` columns. */
export function topValuesExactLimit(columns: number): number {
  return Math.max(2 * TOP_VALUES_K, Math.min(TOP_VALUES_EXACT_MAX, Math.floor(TOP_VALUES_EXACT_BUDGET / Math.max(1, columns))));
}
const MASKS_K = 64;
const MAX_SENTINEL_SPELLINGS = 64;
/** Slots of the pending-format cache (see `ColumnState.pendingFormats`). */
const FORMAT_SLOT_BITS = 4;
const FORMAT_SLOTS = 1 << FORMAT_SLOT_BITS;
/**
 * Lengths below this are counted exactly per state and enter the lengths sketch at flush, one
 * weighted item per length seen, instead of one sketch update per cell.
 */
const LENGTH_HISTOGRAM = 256;
/** Distinct raw values pre-aggregated per state before a column is treated as high-cardinality. */
export const DICTIONARY_LIMIT = 512;

/** xxh64 of the value being applied (module-level so applying allocates nothing). */
// Signed halves: int32 values stay unboxed across calls (an unsigned half above 2^31 would not).
const cellHash = new Int32Array(2);

/** Value classes whose shape mask carries information (codes and categories, not numbers or dates). */
const MASKED_CLASSES = new Uint8Array(VALUE_CLASS_COUNT);
for (const c of [ValueClass.OTHER_STRING, ValueClass.DIGIT_CODE]) {
  MASKED_CLASSES[c] = 1;
}

/**
 * The mergeable state of one column: exact counters plus bounded sketches. `update` takes one
 * raw cell (or `undefined` when the row is shorter than the header); `merge` combines the states
 * of two row ranges, associatively; `toJSON`/`fromJSON` are the versioned wire form.
 *
 * Sentinel candidates (`NA`, `None`, …) are counted apart, per spelling, and never enter the
 * value counters: whether such a token is a null or a value is decided at finalize from the
 * column's merged state (METRICS §1), so the decision is the same for any split of the rows.
 */
export class ColumnState {
  present = 0;
  empty = 0;
  whitespace = 0;
  missingField = 0;
  /** Sentinel candidates by trimmed spelling. */
  readonly sentinels = new Map<string, number>();
  readonly classCounts = new Float64Array(VALUE_CLASS_COUNT);
  /** Format key (see `classify.ts`) → count of present values (complete after `flush`). */
  readonly formats = new Map<number, number>();
  /** date_sep evidence: [dmy_only, mdy_only, ambiguous]. */
  readonly dateOrder = new Float64Array(3);
  readonly hygiene = new Float64Array(HYGIENE_BITS);
  hygieneDefects = 0;
  readonly caseClasses = new Float64Array(CASE_CLASSES);
  /** Digit-length histogram of integer-like cells (index = digit count, capped at 31). */
  readonly digitLengths = new Float64Array(32);
  /** Cells read as naive timestamps (no zone), and cells that were dates without time. */
  tzUnspecified = 0;
  dateOnly = 0;
  readonly numbers = new Moments();
  readonly timestamps = new Moments();
  readonly timestampsDmy = new Moments();
  readonly timestampsMdy = new Moments();
  readonly distinct: HyperLogLog;
  readonly topValues: MisraGries;
  readonly masks: MisraGries;
  readonly lengths: KllSketch;
  numberSketch: KllSketch | null = null;
  timestampSketch: KllSketch | null = null;
  timestampDmySketch: KllSketch | null = null;
  timestampMdySketch: KllSketch | null = null;

  private readonly seed: number;
  private readonly info: CellInfo;
  /**
   * Counts of recent formats not yet added to `formats` (a small direct-mapped cache keyed by
   * format, -1 when empty), added when another format takes the slot or at flush: a column has
   * few formats, so most cells cost no map update even when formats alternate row by row.
   */
  private readonly pendingFormats = new Int32Array(FORMAT_SLOTS).fill(-1);
  private readonly pendingFormatCounts = new Float64Array(FORMAT_SLOTS);
  /** Counts of present values' lengths (code points) below LENGTH_HISTOGRAM not yet in `lengths`. */
  private readonly pendingLengths = new Float64Array(LENGTH_HISTOGRAM);
  /** Pending raw values with their counts and cell states; null once the column overflowed it. */
  private dictionary: Map<string, { count: number; state: number }> | null = new Map();

  /**
   * `seed` makes the randomized KLL compactions reproducible: derive it from (block, column).
   * `sketches` are read from a wire form (see `fromJSON`) and adopted as they are.
   */
  constructor(seed: number, sketches?: ColumnSketches, options: ColumnStateOptions = {}) {
    this.seed = seed >>> 0;
    this.distinct = sketches?.distinct ?? new HyperLogLog();
    this.topValues =
      sketches?.topValues ?? new MisraGries(TOP_VALUES_K, { exactLimit: options.topValuesExactLimit, keepExact: () => this.mostlyWords() });
    this.masks = sketches?.masks ?? new MisraGries(MASKS_K);
    this.lengths = sketches?.lengths ?? new KllSketch(200, this.seed ^ 0x9e3779b9);
    this.info = createCellInfo();
  }

  /**
   * Adds one cell. `undefined` means the row had no field for this column. Returns the cell's
   * state (`CellState`), or -1 for a missing field, so the row can count its present cells.
   *
   * Repeated values are pre-aggregated: while a state has seen at most {@link DICTIONARY_LIMIT}
   * distinct raw values, each cell only bumps a counter, and every distinct value is classified
   * and sketched once, with its multiplicity, when the state is flushed (before any merge,
   * serialization or finalize). Low-cardinality columns (codes, categories, flags) then cost one
   * map lookup per cell; high-cardinality columns overflow the dictionary and go straight through.
   */
  update(raw: string | undefined): number {
    if (raw === undefined) {
      this.missingField++;
      return -1;
    }
    const dictionary = this.dictionary;
    if (dictionary !== null) {
      const entry = dictionary.get(raw);
      if (entry !== undefined) {
        entry.count++;
        return entry.state;
      }
      if (dictionary.size < DICTIONARY_LIMIT) {
        const state = classifyCell(raw, this.info);
        dictionary.set(raw, { count: 1, state });
        return state;
      }
      this.flush();
      this.dictionary = null;
    }
    return this.apply(raw, 1);
  }

  /**
   * Applies the values pending in the dictionary to the counters and sketches, and makes the
   * state hold no view into the strings it was fed (the top values keep substrings of the parsed
   * chunk until then; see `MisraGries.updateHashed`), so it can outlive them.
   */
  flush(): void {
    const dictionary = this.dictionary;
    if (dictionary !== null && dictionary.size > 0) {
      for (const [raw, entry] of dictionary) this.apply(raw, entry.count);
      dictionary.clear();
    }
    this.addPendingFormats();
    this.addPendingLengths();
    this.topValues.detachKeys();
  }

  private addPendingLengths(): void {
    const pending = this.pendingLengths;
    for (let length = 0; length < LENGTH_HISTOGRAM; length++) {
      if (pending[length] === 0) continue;
      this.lengths.updateWeighted(length, pending[length]);
      pending[length] = 0;
    }
  }

  private addPendingFormats(): void {
    for (let slot = 0; slot < FORMAT_SLOTS; slot++) {
      const format = this.pendingFormats[slot];
      if (format < 0) continue;
      this.addFormatCount(format, this.pendingFormatCounts[slot]);
      this.pendingFormats[slot] = -1;
      this.pendingFormatCounts[slot] = 0;
    }
  }

  private addFormatCount(format: number, count: number): void {
    this.formats.set(format, (this.formats.get(format) ?? 0) + count);
  }

  /** Adds `count` occurrences of one raw value. */
  private apply(raw: string, count: number): number {
    const info = this.info;
    const state = classifyCell(raw, info);
    if (state !== CellState.PRESENT) {
      if (state === CellState.EMPTY) this.empty += count;
      else if (state === CellState.WHITESPACE) this.whitespace += count;
      else this.addSentinel(info.trimmed, count);
      return state;
    }
    this.present += count;
    const cls = info.valueClass;
    this.classCounts[cls] += count;
    const format = info.format;
    const slot = Math.imul(format, 0x9e3779b1) >>> (32 - FORMAT_SLOT_BITS);
    if (this.pendingFormats[slot] === format) {
      this.pendingFormatCounts[slot] += count;
    } else {
      const evicted = this.pendingFormats[slot];
      if (evicted >= 0) this.addFormatCount(evicted, this.pendingFormatCounts[slot]);
      this.pendingFormats[slot] = format;
      this.pendingFormatCounts[slot] = count;
    }
    if (info.hygiene !== 0) {
      this.hygieneDefects += count;
      let bits = info.hygiene;
      for (let b = 0; bits !== 0; b++, bits >>>= 1) if (bits & 1) this.hygiene[b] += count;
    }
    this.caseClasses[info.caseClass] += count;
    // One hash per distinct value feeds both the distinct count and the top values.
    const trimmed = info.trimmed;
    xxh64Into(trimmed, cellHash);
    const hi = cellHash[0];
    const lo = cellHash[1];
    this.distinct.addHashed(trimmed, hi, lo);
    if (trimmed === raw) this.topValues.updateHashed(raw, hi, lo, count);
    else this.topValues.update(raw, count);
    if (MASKED_CLASSES[cls] === 1) {
      const mask = shapeMaskL2Hashed(trimmed, cellHash);
      this.masks.updateHashed(mask, cellHash[0], cellHash[1], count);
    }
    const length = info.length;
    const num = info.num;
    const isNumber = num === num;
    if (isNumber && (cls === ValueClass.INT || cls === ValueClass.DIGIT_CODE)) {
      this.digitLengths[info.digitCount > 31 ? 31 : info.digitCount] += count;
    }
    // Year-first dates (`2001/03/28`) read one way only: their instant is `epoch`, like an ISO date's.
    const isDateSep = cls === ValueClass.DATE_SEP && info.dateOrder !== 0;
    if (isDateSep) {
      const order = info.dateOrder;
      if (order >= 1 && order <= 3) this.dateOrder[order - 1] += count;
      if (((formatVariant(format) >> DATE_SEP_TIME_SHIFT) & 3) === 0) this.dateOnly += count;
      if (info.tzUnspecified) this.tzUnspecified += count;
    } else if (info.epoch === info.epoch) {
      const dated = cls === ValueClass.DATE_SEP ? ((formatVariant(format) >> DATE_SEP_TIME_SHIFT) & 3) === 0 : cls !== ValueClass.ISO_DATETIME;
      if (dated) this.dateOnly += count;
      if (info.tzUnspecified) this.tzUnspecified += count;
    }
    const epoch = info.epoch;
    const epochDmy = info.epochDmy;
    const epochMdy = info.epochMdy;
    // A value pre-aggregated `count` times goes into the moments and sketches as one weighted item;
    // lengths are counted here and sketched at flush.
    if (length < LENGTH_HISTOGRAM) this.pendingLengths[length] += count;
    else this.lengths.updateWeighted(length, count);
    if (isNumber) {
      this.numbers.updateWeighted(num, count);
      (this.numberSketch ??= new KllSketch(200, this.seed ^ 0x85ebca6b)).updateWeighted(num, count);
    }
    if (isDateSep) {
      if (epochDmy === epochDmy) {
        this.timestampsDmy.updateWeighted(epochDmy, count);
        (this.timestampDmySketch ??= new KllSketch(200, this.seed ^ 0xc2b2ae35)).updateWeighted(epochDmy, count);
      }
      if (epochMdy === epochMdy) {
        this.timestampsMdy.updateWeighted(epochMdy, count);
        (this.timestampMdySketch ??= new KllSketch(200, this.seed ^ 0x27d4eb2f)).updateWeighted(epochMdy, count);
      }
    } else if (epoch === epoch) {
      this.timestamps.updateWeighted(epoch, count);
      (this.timestampSketch ??= new KllSketch(200, this.seed ^ 0x165667b1)).updateWeighted(epoch, count);
    }
    return state;
  }

  private addSentinel(token: string, count: number): void {
    const current = this.sentinels.get(token);
    if (current !== undefined || this.sentinels.size < MAX_SENTINEL_SPELLINGS) {
      this.sentinels.set(token, (current ?? 0) + count);
    } else {
      // Unbounded case variants of the same tokens are pathological; fold the excess into one key.
      const other = '\u0000other';
      this.sentinels.set(other, (this.sentinels.get(other) ?? 0) + count);
    }
  }

  /**
   * Whether most values applied so far are words or codes: only their frequencies feed the category
   * tests (METRICS §4.2), so only they are worth counting exactly past the first 2k distinct values.
   * Numbers, dates, phones and the like keep the plain summary, which costs a column of near-unique
   * amounts much less.
   */
  private mostlyWords(): boolean {
    const c = this.classCounts;
    const words = c[ValueClass.OTHER_STRING] + c[ValueClass.FREE_TEXT] + c[ValueClass.DIGIT_CODE] + c[ValueClass.BOOL];
    return words >= 0.5 * this.present;
  }

  /** Total sentinel candidates (before they are judged). */
  get sentinelCandidates(): number {
    this.flush();
    let total = 0;
    for (const count of this.sentinels.values()) total += count;
    return total;
  }

  /** Merges the state of a later row range into this one. */
  merge(other: ColumnState): this {
    this.flush();
    other.flush();
    this.present += other.present;
    this.empty += other.empty;
    this.whitespace += other.whitespace;
    this.missingField += other.missingField;
    for (const [token, count] of other.sentinels) this.addSentinel(token, count);
    addInto(this.classCounts, other.classCounts);
    for (const [format, count] of other.formats) this.addFormatCount(format, count);
    addInto(this.dateOrder, other.dateOrder);
    addInto(this.hygiene, other.hygiene);
    this.hygieneDefects += other.hygieneDefects;
    addInto(this.caseClasses, other.caseClasses);
    addInto(this.digitLengths, other.digitLengths);
    this.tzUnspecified += other.tzUnspecified;
    this.dateOnly += other.dateOnly;
    this.numbers.merge(other.numbers);
    this.timestamps.merge(other.timestamps);
    this.timestampsDmy.merge(other.timestampsDmy);
    this.timestampsMdy.merge(other.timestampsMdy);
    this.distinct.merge(other.distinct);
    this.topValues.merge(other.topValues);
    this.masks.merge(other.masks);
    this.lengths.merge(other.lengths);
    this.numberSketch = mergeOptional(this.numberSketch, other.numberSketch);
    this.timestampSketch = mergeOptional(this.timestampSketch, other.timestampSketch);
    this.timestampDmySketch = mergeOptional(this.timestampDmySketch, other.timestampDmySketch);
    this.timestampMdySketch = mergeOptional(this.timestampMdySketch, other.timestampMdySketch);
    return this;
  }

  toJSON(): ColumnStateJson {
    this.flush();
    return {
      seed: this.seed,
      present: this.present,
      empty: this.empty,
      whitespace: this.whitespace,
      missingField: this.missingField,
      sentinels: [...this.sentinels].sort(byKey),
      classCounts: Array.from(this.classCounts),
      formats: [...this.formats].sort((a, b) => a[0] - b[0]),
      dateOrder: Array.from(this.dateOrder),
      hygiene: Array.from(this.hygiene),
      hygieneDefects: this.hygieneDefects,
      caseClasses: Array.from(this.caseClasses),
      digitLengths: Array.from(this.digitLengths),
      tzUnspecified: this.tzUnspecified,
      dateOnly: this.dateOnly,
      numbers: this.numbers.toJSON(),
      timestamps: this.timestamps.toJSON(),
      timestampsDmy: this.timestampsDmy.toJSON(),
      timestampsMdy: this.timestampsMdy.toJSON(),
      distinct: this.distinct.serialize(),
      topValues: this.topValues.serialize(),
      masks: this.masks.serialize(),
      lengths: this.lengths.serialize(),
      numberSketch: this.numberSketch?.serialize() ?? null,
      timestampSketch: this.timestampSketch?.serialize() ?? null,
      timestampDmySketch: this.timestampDmySketch?.serialize() ?? null,
      timestampMdySketch: this.timestampMdySketch?.serialize() ?? null,
    };
  }

  static fromJSON(json: ColumnStateJson): ColumnState {
    // The sketches are adopted, not merged into empty ones: the merge of an empty sketch and a
    // sketch is that sketch, and the profiler's reader deserializes every block's state.
    const sketches: ColumnSketches = {
      distinct: HyperLogLog.deserialize(json.distinct),
      topValues: MisraGries.deserialize(json.topValues),
      masks: MisraGries.deserialize(json.masks),
      lengths: KllSketch.deserialize(json.lengths),
    };
    assertSameParams('hyperloglog', HLL_PARAMS, sketches.distinct.params);
    assertSameParams('misra-gries', { k: TOP_VALUES_K }, sketches.topValues.params);
    assertSameParams('misra-gries', { k: MASKS_K }, sketches.masks.params);
    const s = new ColumnState(json.seed, sketches);
    s.present = json.present;
    s.empty = json.empty;
    s.whitespace = json.whitespace;
    s.missingField = json.missingField;
    for (const [token, count] of json.sentinels) s.sentinels.set(token, count);
    copyInto(s.classCounts, json.classCounts, 'classCounts');
    for (const [format, count] of json.formats) s.formats.set(format, count);
    copyInto(s.dateOrder, json.dateOrder, 'dateOrder');
    copyInto(s.hygiene, json.hygiene, 'hygiene');
    s.hygieneDefects = json.hygieneDefects;
    copyInto(s.caseClasses, json.caseClasses, 'caseClasses');
    copyInto(s.digitLengths, json.digitLengths, 'digitLengths');
    s.tzUnspecified = json.tzUnspecified;
    s.dateOnly = json.dateOnly;
    s.numbers.merge(Moments.fromJSON(json.numbers));
    s.timestamps.merge(Moments.fromJSON(json.timestamps));
    s.timestampsDmy.merge(Moments.fromJSON(json.timestampsDmy));
    s.timestampsMdy.merge(Moments.fromJSON(json.timestampsMdy));
    s.numberSketch = json.numberSketch ? KllSketch.deserialize(json.numberSketch) : null;
    s.timestampSketch = json.timestampSketch ? KllSketch.deserialize(json.timestampSketch) : null;
    s.timestampDmySketch = json.timestampDmySketch ? KllSketch.deserialize(json.timestampDmySketch) : null;
    s.timestampMdySketch = json.timestampMdySketch ? KllSketch.deserialize(json.timestampMdySketch) : null;
    return s;
  }
}

/** Options of a new {@link ColumnState}. */
export interface ColumnStateOptions {
  /** Distinct values its top values count exactly (see {@link topValuesExactLimit}); default 2k. */
  readonly topValuesExactLimit?: number;
}

/** The sketches of a {@link ColumnState} whose parameters are fixed (see `fromJSON`). */
interface ColumnSketches {
  readonly distinct: HyperLogLog;
  readonly topValues: MisraGries;
  readonly masks: MisraGries;
  readonly lengths: KllSketch;
}

const HLL_PARAMS = { p: HLL_DEFAULT_P, sparseLimit: HLL_DEFAULT_SPARSE_LIMIT };

/** Wire form of {@link ColumnState}; part of the versioned profile state. */
export interface ColumnStateJson {
  seed: number;
  present: number;
  empty: number;
  whitespace: number;
  missingField: number;
  sentinels: Array<[string, number]>;
  classCounts: number[];
  formats: Array<[number, number]>;
  dateOrder: number[];
  hygiene: number[];
  hygieneDefects: number;
  caseClasses: number[];
  digitLengths: number[];
  tzUnspecified: number;
  dateOnly: number;
  numbers: MomentsJson;
  timestamps: MomentsJson;
  timestampsDmy: MomentsJson;
  timestampsMdy: MomentsJson;
  distinct: SketchEnvelope;
  topValues: SketchEnvelope;
  masks: SketchEnvelope;
  lengths: SketchEnvelope;
  numberSketch: SketchEnvelope | null;
  timestampSketch: SketchEnvelope | null;
  timestampDmySketch: SketchEnvelope | null;
  timestampMdySketch: SketchEnvelope | null;
}

function addInto(target: Float64Array, source: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i] += source[i];
}

function copyInto(target: Float64Array, source: readonly number[], field: string): void {
  if (!Array.isArray(source) || source.length !== target.length) {
    throw new ProfileStateError('BAD_STATE', `column state field '${field}' has ${source?.length} entries, expected ${target.length}`);
  }
  target.set(source);
}

function mergeOptional(a: KllSketch | null, b: KllSketch | null): KllSketch | null {
  if (!b) return a;
  if (!a) return b.clone();
  return a.merge(b);
}

function byKey(a: [string, number], b: [string, number]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
