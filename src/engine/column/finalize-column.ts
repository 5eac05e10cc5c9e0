import { classifyCell, createCellInfo, dateSepFormat, formatName } from '../cell/classify.js';
import { fingerprintKey } from '../cell/fingerprint.js';
import { CurrencyUnit, formatClass, formatKey, formatVariant, TokenCase } from '../cell/format-key.js';
import { CaseClass } from '../cell/hygiene.js';
import { looksSensitive } from '../cell/sensitive.js';
import { shapeMaskL1, shapeMaskL2 } from '../cell/shape-mask.js';
import { ValueClass } from '../cell/value-class.js';
import { HLL_DEFAULT_P } from '../sketch/hyperloglog.js';
import { KllSketch } from '../sketch/kll.js';
import type { MisraGries } from '../sketch/misra-gries.js';
import type { ColumnSnapshot, NumericSnapshot, TimestampSnapshot } from '../model/snapshot.js';
import { decideRole } from './column-role.js';
import type { ColumnState } from './column-state.js';
import type { Moments } from './moments.js';

/** Share of present values a type needs (Frictionless' field confidence, METRICS §2.1). */
export const TYPE_CONFIDENCE = 0.9;
const SHORT_CODE_SHARE = 0.9;
const MAX_CATEGORIES = 50;
const EPOCH_2000 = 946_684_800;

const EVENT_NAME = /created|updated|modified|loaded|_at$|timestamp|posted|invoice_date|order_date|date|time/i;
const SCHEDULED_NAME = /due|expir|valid_to|maturity|renewal/i;
const EPOCH_NAME_HINT = /_at$|_ts$|time|date|created|updated/i;

/** What finalize needs beyond the state. */
export interface FinalizeColumnOptions {
  /** The contract marks the column sensitive: its values are masked whatever they look like. */
  readonly sensitive?: boolean;
}

/**
 * Turns a merged column state into its {@link ColumnSnapshot}: judges sentinel candidates in
 * context, resolves the date order, names formats, infers the type, and derives the figures the
 * report and the comparison read. Pure and deterministic: equal states give equal snapshots.
 */
export function finalizeColumn(
  state: ColumnState,
  name: string,
  index: number,
  rows: number,
  options: FinalizeColumnOptions = {},
): ColumnSnapshot {
  state.flush();
  const dateOrder = resolveDateOrder(state.dateOrder);
  const judged = judgeSentinels(state);

  // Booleans and currencies written with a code need a column whose vocabulary supports them:
  // `NO` among country codes is Norway, `USD12` among part numbers is a part number.
  const classCounts = Float64Array.from(state.classCounts);
  const demote = contextualDemotions(state);
  for (const [from, count] of demote.classes) {
    classCounts[from] -= count;
    classCounts[ValueClass.OTHER_STRING] += count;
  }

  // Formats (present values only), date_sep re-keyed by the resolved order.
  const formats = new Map<string, number>();
  const addFormat = (key: number, count: number): void => {
    const demoted = demote.format(key);
    const cls = formatClass(demoted);
    const named = formatName(cls === ValueClass.DATE_SEP && dateOrder !== 'mixed' && dateOrder !== null ? dateSepFormat(demoted, dateOrder) : demoted);
    formats.set(named, (formats.get(named) ?? 0) + count);
  };
  for (const [key, count] of state.formats) addFormat(key, count);

  let present = state.present;
  let sentinel = 0;
  const topValues = state.topValues.clone();
  const info = createCellInfo();
  const sentinels: Array<{ token: string; count: number; judgedAs: 'null' | 'value' }> = [];
  let valueTokens = 0;
  for (const [token, count, judgedAs] of judged) {
    sentinels.push({ token, count, judgedAs });
    if (judgedAs === 'null') {
      sentinel += count;
      continue;
    }
    present += count;
    valueTokens++;
    topValues.update(token, count);
    // A token judged a value is the string it is (e.g. `NA` → text:UPPER): the classifier
    // reports the class and format it would have as a value.
    classifyCell(token, info);
    const cls = info.valueClass >= 0 ? info.valueClass : ValueClass.OTHER_STRING;
    classCounts[cls] += count;
    addFormat(info.format >= 0 ? info.format : formatKey(ValueClass.OTHER_STRING, 0), count);
  }
  topValues.flush();

  let dominantFormat: string | null = null;
  let dominantCount = 0;
  let formatTotal = 0;
  for (const [format, count] of formats) {
    formatTotal += count;
    if (count > dominantCount || (count === dominantCount && dominantFormat !== null && format < dominantFormat)) {
      dominantFormat = format;
      dominantCount = count;
    }
  }
  const formatConsistency = formatTotal === 0 ? 1 : dominantCount / formatTotal;
  const hygieneDefectShare = state.present === 0 ? 0 : state.hygieneDefects / state.present;
  const variantRate = computeVariantRate(topValues, present);
  const formatHygiene = formatConsistency * (1 - hygieneDefectShare) * (1 - variantRate);

  const type = inferType(state, classCounts, present, name, topValues);
  const numeric = numericSnapshot(state, type);
  const timestamps = timestampSnapshot(state, type, dateOrder, name);
  const sensitive = detectSensitive(state, topValues, present, type) ?? (options.sensitive ? 'contract' : null);

  // The top-values dictionary, when exact, knows the distinct count exactly too.
  const distinctExact = state.distinct.isExact() || topValues.exact();
  const distinct = topValues.exact() ? exactDistinct(topValues) : Math.round(state.distinct.estimate()) + valueTokens;
  const distinctBounds = distinctExact
    ? { low: distinct, high: distinct }
    : {
        low: Math.max(0, Math.floor(distinct * (1 - DISTINCT_RELATIVE_BOUND))),
        high: Math.min(present, Math.ceil(distinct * (1 + DISTINCT_RELATIVE_BOUND))),
      };
  const masks = state.masks.items();
  const role = decideRole({
    name,
    type,
    present,
    distinct,
    distinctExact,
    quantity: numeric !== null && QUANTITY_TYPES.has(type),
    temporal: timestamps !== null,
    freeText: classCounts[ValueClass.FREE_TEXT],
    medianLength: state.lengths.n > 0 ? state.lengths.quantile(0.5) : 0,
    topShape: masks.length > 0 ? { mask: masks[0][0], count: masks[0][1] } : null,
  });

  return {
    name,
    index,
    rows,
    counts: { present, empty: state.empty, whitespace: state.whitespace, sentinel, missingField: state.missingField },
    completeness: rows === 0 ? 0 : present / rows,
    type,
    formats,
    dominantFormat,
    formatConsistency,
    hygieneDefectShare,
    variantRate,
    formatHygiene,
    dateOrder,
    distinct,
    distinctExact,
    distinctBounds,
    role: role.role,
    roleReason: role.reason,
    topValues,
    topValuesExact: topValues.exact(),
    numeric,
    lengths: state.lengths,
    shapes: state.masks,
    timestamps,
    sentinels,
    sensitive,
  };
}

function resolveDateOrder(evidence: Float64Array): ColumnSnapshot['dateOrder'] {
  const [dmy, mdy, ambiguous] = evidence;
  if (dmy + mdy + ambiguous === 0) return null;
  if (dmy > 0 && mdy > 0) return 'mixed';
  if (dmy > 0) return 'dmy';
  if (mdy > 0) return 'mdy';
  return 'ambiguous';
}

/**
 * Sentinels in context (METRICS §1): a candidate token is a value when the column is a
 * short-code column whose codes have the token's shape (`NA` among `EU`, `AS`), or a
 * low-cardinality text categorical in which the token looks like the other categories and is
 * not rarer than all of them (`None` among `Minor`, `Medium`). Otherwise it is a null.
 */
function judgeSentinels(state: ColumnState): Array<[string, number, 'null' | 'value']> {
  const out: Array<[string, number, 'null' | 'value']> = [];
  if (state.sentinels.size === 0) return out;
  const present = state.present;

  const masks = state.masks.items();
  const topMask = masks.length > 0 ? masks[0] : null;
  const shortCodeMask = topMask && present >= 10 && topMask[1] >= SHORT_CODE_SHARE * present ? topMask[0] : null;

  const textShare = present === 0 ? 0 : (state.classCounts[ValueClass.OTHER_STRING] + state.classCounts[ValueClass.FREE_TEXT]) / present;
  const categories = state.topValues.exact() ? state.topValues.items() : null;
  const isCategorical = categories !== null && categories.length >= 2 && categories.length <= MAX_CATEGORIES && textShare >= TYPE_CONFIDENCE;
  let categoryMin = Infinity;
  const l1Weights = new Map<string, number>();
  if (isCategorical) {
    for (const [value, count] of categories) {
      if (count < categoryMin) categoryMin = count;
      const l1 = shapeMaskL1(shapeMaskL2(value.trim()));
      l1Weights.set(l1, (l1Weights.get(l1) ?? 0) + count);
    }
  }

  for (const [token, count] of [...state.sentinels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const mask = shapeMaskL2(token);
    let judgedAs: 'null' | 'value' = 'null';
    if (shortCodeMask !== null && mask === shortCodeMask) judgedAs = 'value';
    else if (isCategorical && count >= categoryMin && (l1Weights.get(shapeMaskL1(mask)) ?? 0) >= 0.05 * present) judgedAs = 'value';
    out.push([token, count, judgedAs]);
  }
  return out;
}

/** A contextual class needs at least this share of a column's present values to be read as such. */
const CONTEXTUAL_CLASS_SUPPORT = 0.5;

const TOKEN_CASE_TO_CASE_CLASS: Readonly<Record<number, number>> = {
  [TokenCase.LOWER]: CaseClass.LOWER,
  [TokenCase.UPPER]: CaseClass.UPPER,
  [TokenCase.TITLE]: CaseClass.TITLE,
  [TokenCase.MIXED]: CaseClass.MIXED,
};

/**
 * Which cells of ambiguous classes the column's vocabulary does not support (METRICS §2.1):
 * bool tokens where fewer than half the present values are bool tokens (`NO` among country
 * codes, `Y` among letters), and currencies written with an ISO code or with no unit at all
 * (`USD12`, `(5)`) where fewer than half the values are currencies. Such cells count as text,
 * with the letter case they have. Decided from exact counters, so the same for any split.
 */
function contextualDemotions(state: ColumnState): { classes: Array<[number, number]>; format: (key: number) => number } {
  const present = state.present;
  const demoteBool = state.classCounts[ValueClass.BOOL] > 0 && state.classCounts[ValueClass.BOOL] < CONTEXTUAL_CLASS_SUPPORT * present;
  const demoteCurrency =
    state.classCounts[ValueClass.CURRENCY] > 0 && state.classCounts[ValueClass.CURRENCY] < CONTEXTUAL_CLASS_SUPPORT * present;
  const codedCurrency = (variant: number): boolean => {
    const unit = variant & 7;
    return unit === CurrencyUnit.CODE || unit === CurrencyUnit.NONE;
  };
  const format = (key: number): number => {
    const cls = formatClass(key);
    if (demoteBool && cls === ValueClass.BOOL) {
      return formatKey(ValueClass.OTHER_STRING, TOKEN_CASE_TO_CASE_CLASS[(formatVariant(key) >> 2) & 3]);
    }
    if (demoteCurrency && cls === ValueClass.CURRENCY && codedCurrency(formatVariant(key))) {
      return formatKey(ValueClass.OTHER_STRING, (formatVariant(key) & 7) === CurrencyUnit.CODE ? CaseClass.UPPER : CaseClass.NONE);
    }
    return key;
  };
  const classes: Array<[number, number]> = [];
  if (demoteBool) classes.push([ValueClass.BOOL, state.classCounts[ValueClass.BOOL]]);
  if (demoteCurrency) {
    let coded = 0;
    for (const [key, count] of state.formats) {
      if (formatClass(key) === ValueClass.CURRENCY && codedCurrency(formatVariant(key))) coded += count;
    }
    if (coded > 0) classes.push([ValueClass.CURRENCY, coded]);
  }
  return { classes, format };
}

const HAS_LETTER = /\p{L}/u;

/** Distinct trimmed values of an exact dictionary (its keys are the values as written). */
function exactDistinct(topValues: MisraGries): number {
  const seen = new Set<string>();
  for (const [value] of topValues.items()) seen.add(value.trim());
  return seen.size;
}

/** OpenRefine fingerprint clusters over the (bounded) top-value dictionary, METRICS §2.3. */
function computeVariantRate(topValues: MisraGries, present: number): number {
  if (present === 0) return 0;
  const items = topValues.items();
  let covered = 0;
  for (const [, count] of items) covered += count;
  if (!topValues.exact() && covered < 0.95 * present) return 0;
  const clusters = new Map<string, { total: number; best: number; spellings: number }>();
  for (const [value, count] of items) {
    // Spellings are a matter of words: `-5` and `5` are two numbers, not two spellings of one.
    if (!HAS_LETTER.test(value)) continue;
    const key = fingerprintKey(value);
    if (key === '') continue;
    const cluster = clusters.get(key);
    if (cluster) {
      cluster.total += count;
      cluster.best = Math.max(cluster.best, count);
      cluster.spellings++;
    } else {
      clusters.set(key, { total: count, best: count, spellings: 1 });
    }
  }
  let variants = 0;
  for (const cluster of clusters.values()) if (cluster.spellings >= 2) variants += cluster.total - cluster.best;
  return variants / present;
}

const NUMBER_CLASSES = [
  ValueClass.INT,
  ValueClass.DEC_DOT,
  ValueClass.DEC_COMMA,
  ValueClass.AMBIGUOUS_GROUP,
  ValueClass.GROUPED_US,
  ValueClass.GROUPED_EU,
  ValueClass.GROUPED_SPACE,
];

/**
 * Column type by lattice widening (bool ⊂ integer ⊂ decimal; date ⊂ datetime): the most specific
 * type that covers at least 90% of present values, else `text` when words dominate, else `mixed`.
 */
function inferType(state: ColumnState, counts: Float64Array, present: number, name: string, topValues: MisraGries): string {
  if (present === 0) return 'empty';
  const need = TYPE_CONFIDENCE * present;
  const c = (cls: number): number => counts[cls];
  const ints = c(ValueClass.INT);
  const integerish = ints + c(ValueClass.AMBIGUOUS_GROUP) + c(ValueClass.GROUPED_US) + c(ValueClass.GROUPED_EU) + c(ValueClass.GROUPED_SPACE);
  let numbers = 0;
  for (const cls of NUMBER_CLASSES) numbers += c(cls);
  const bools = c(ValueClass.BOOL);

  if (bools >= need) return 'boolean';
  if (ints + bools >= need && ints > 0 && isZeroOne(topValues)) return 'boolean';
  if (ints >= need && epochKind(state, ints, name) !== null) return 'datetime';
  if (ints + c(ValueClass.DIGIT_CODE) >= need && isIdentifierLike(state, ints + c(ValueClass.DIGIT_CODE))) return 'digit_code';
  if (integerish >= need) return 'integer';
  if (numbers >= need) return 'decimal';

  const dates = c(ValueClass.ISO_DATE) + c(ValueClass.DATE_NAMED) + c(ValueClass.DATE_SEP);
  const datetimes = dates + c(ValueClass.ISO_DATETIME);
  if (datetimes >= need) return state.dateOnly >= datetimes ? 'date' : 'datetime';
  for (const [cls, type] of [
    [ValueClass.TIME, 'time'],
    [ValueClass.UUID, 'uuid'],
    [ValueClass.EMAIL, 'email'],
    [ValueClass.URL, 'url'],
    [ValueClass.PHONE, 'phone'],
    [ValueClass.CURRENCY, 'currency'],
    [ValueClass.PERCENT, 'percent'],
    [ValueClass.DIGIT_CODE, 'digit_code'],
  ] as const) {
    if (c(cls) >= need) return type;
  }
  const words = c(ValueClass.OTHER_STRING) + c(ValueClass.FREE_TEXT) + c(ValueClass.ERROR_TOKEN) + bools;
  if (words >= need) return 'text';
  return 'mixed';
}

function isZeroOne(topValues: MisraGries): boolean {
  if (!topValues.exact()) return false;
  const items = topValues.items();
  return items.length > 0 && items.length <= 2 && items.every(([v]) => v.trim() === '0' || v.trim() === '1');
}

/**
 * Identifier-like integers stay text (METRICS §2.1 digit_code): any leading-zero code, any value
 * beyond 15 digits (doubles lose precision past 2^53), or ≥ 95% of one digit length ≥ 5.
 */
function isIdentifierLike(state: ColumnState, integerCells: number): boolean {
  if (state.classCounts[ValueClass.DIGIT_CODE] > 0) return true;
  const lengths = state.digitLengths;
  for (let len = 16; len < lengths.length; len++) if (lengths[len] > 0) return true;
  for (let len = 5; len < lengths.length; len++) if (lengths[len] >= 0.95 * integerCells) return true;
  return false;
}

/** epoch_s / epoch_ms reinterpretation of an integer column (METRICS §2.1). */
function epochKind(state: ColumnState, ints: number, name: string): 'seconds' | 'millis' | null {
  if (!EPOCH_NAME_HINT.test(name) || state.numbers.n === 0) return null;
  const minimum = state.numbers.min;
  if (state.digitLengths[10] >= 0.95 * ints && minimum >= EPOCH_2000) return 'seconds';
  if (state.digitLengths[13] >= 0.95 * ints && minimum >= EPOCH_2000 * 1000) return 'millis';
  return null;
}

const NUMERIC_TYPES = new Set(['integer', 'decimal', 'currency', 'percent']);
/** Types whose values are quantities (compared by numeric drift). */
export const QUANTITY_TYPES: ReadonlySet<string> = NUMERIC_TYPES;
/** 99% bound of a HyperLogLog estimate, relative: 2.576 standard errors of 1.04/√2^p. */
export const DISTINCT_RELATIVE_BOUND = (2.576 * 1.04) / Math.sqrt(2 ** HLL_DEFAULT_P);

/**
 * Numbers of numeric columns, and of code columns whose codes are numbers a double holds exactly
 * (so a five-digit amount read as a code still gets drift tests).
 */
function numericSnapshot(state: ColumnState, type: string): NumericSnapshot | null {
  if (state.numbers.n === 0 || !state.numberSketch) return null;
  if (!NUMERIC_TYPES.has(type)) {
    if (type !== 'digit_code' || state.numbers.n < TYPE_CONFIDENCE * state.present) return null;
    for (let len = 16; len < state.digitLengths.length; len++) if (state.digitLengths[len] > 0) return null;
  }
  const m = state.numbers;
  return { count: m.n, min: m.min, max: m.max, mean: m.mean, stddev: m.stddev(), sketch: state.numberSketch };
}

function timestampSnapshot(
  state: ColumnState,
  type: string,
  order: ColumnSnapshot['dateOrder'],
  name: string,
): TimestampSnapshot | null {
  if (type !== 'date' && type !== 'datetime') return null;
  const role: TimestampSnapshot['role'] = SCHEDULED_NAME.test(name) ? 'scheduled' : EVENT_NAME.test(name) ? 'event' : 'other';

  if (state.timestamps.n === 0 && state.dateOrder[0] + state.dateOrder[1] + state.dateOrder[2] === 0) {
    // Integer epochs, reinterpreted.
    const kind = epochKind(state, state.classCounts[ValueClass.INT], name);
    if (!kind || !state.numberSketch) return null;
    const scale = kind === 'millis' ? 1 / 1000 : 1;
    const sketch = scaleSketch(state.numberSketch, scale);
    return {
      count: state.numbers.n,
      min: state.numbers.min * scale,
      max: state.numbers.max * scale,
      sketch,
      role,
      tzUnspecified: false,
      granularity: 'datetime',
    };
  }

  // date_sep values by the resolved order (ambiguous: the reading with more valid dates, then MDY).
  let sep: { m: Moments; s: KllSketch | null } | null = null;
  if (state.timestampsDmy.n + state.timestampsMdy.n > 0) {
    const useDmy =
      order === 'dmy' || ((order === 'ambiguous' || order === 'mixed') && state.timestampsDmy.n > state.timestampsMdy.n);
    sep = useDmy ? { m: state.timestampsDmy, s: state.timestampDmySketch } : { m: state.timestampsMdy, s: state.timestampMdySketch };
  }
  let sketch: KllSketch | null = state.timestampSketch?.clone() ?? null;
  let count = state.timestamps.n;
  let min = state.timestamps.n ? state.timestamps.min : Infinity;
  let max = state.timestamps.n ? state.timestamps.max : -Infinity;
  if (sep && sep.s && sep.m.n > 0) {
    sketch = sketch ? sketch.merge(sep.s) : sep.s.clone();
    count += sep.m.n;
    min = Math.min(min, sep.m.min);
    max = Math.max(max, sep.m.max);
  }
  if (!sketch || count === 0) return null;
  return {
    count,
    min,
    max,
    sketch,
    role,
    tzUnspecified: state.tzUnspecified > 0,
    granularity: state.dateOnly >= count ? 'date' : 'datetime',
  };
}

/** A copy of a KLL sketch with every retained value multiplied by `factor` (> 0, order-preserving). */
function scaleSketch(sketch: KllSketch, factor: number): KllSketch {
  const envelope = sketch.serialize();
  const payload = envelope.payload;
  return KllSketch.deserialize({
    ...envelope,
    payload: {
      ...payload,
      min: payload.min === null ? null : payload.min * factor,
      max: payload.max === null ? null : payload.max * factor,
      levels: payload.levels.map((level) => level.map((v) => v * factor)),
    },
  });
}

/** Masking decision: by class shares, then by what the most frequent values look like. */
function detectSensitive(state: ColumnState, topValues: MisraGries, present: number, type: string): ColumnSnapshot['sensitive'] {
  // Quantities are not personal values, whatever digits they have (`-33.9461111547` is a latitude).
  if (present === 0 || NUMERIC_TYPES.has(type)) return null;
  if (state.classCounts[ValueClass.EMAIL] >= 0.5 * present) return 'email';
  if (state.classCounts[ValueClass.PHONE] >= 0.5 * present) return 'phone';
  const tally = new Map<string, number>();
  let seen = 0;
  for (const [value, count] of topValues.items().slice(0, 50)) {
    seen += count;
    const kind = looksSensitive(value.trim());
    if (kind) tally.set(kind, (tally.get(kind) ?? 0) + count);
  }
  for (const [kind, count] of tally) {
    if (count >= 0.5 * seen) return kind as ColumnSnapshot['sensitive'];
  }
  return null;
}
