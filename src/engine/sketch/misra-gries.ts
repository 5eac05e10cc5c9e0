import {
  assertSameParams,
  createEnvelope,
  type EnvelopeExpectation,
  invalidPayload,
  isRecord,
  openEnvelope,
  SKETCH_HASH_XXH64,
  SketchFormatError,
  type SketchEnvelope,
} from './envelope.js';
import { detachString, LONG_VALUE_LENGTH, valueKey } from './value-key.js';

/** Default number of counters: every count is under by at most n/257 ≈ 0.39% of n. */
export const MISRA_GRIES_DEFAULT_K = 256;
export const MISRA_GRIES_MIN_K = 1;
export const MISRA_GRIES_MAX_K = 65_536;

const FORMAT: EnvelopeExpectation = {
  type: 'misra-gries',
  version: 1,
  hash: SKETCH_HASH_XXH64,
  paramNames: ['k'],
};

interface Counter {
  count: number;
}

/** Payload of a serialized {@link MisraGries}. */
export interface MisraGriesPayload {
  readonly k: number;
  readonly n: number;
  readonly err: number;
  /** [key, count], by count descending then key (UTF-16 code units). */
  readonly items: Array<[string, number]>;
}

/**
 * The key under which {@link MisraGries} counts a value: the value itself, or for values longer
 * than 128 code units `xxh64hex + ':' + first 64 code units`.
 *
 * @example
 * misraGriesKey('ok'); // 'ok'
 */
export function misraGriesKey(value: string): string {
  return valueKey(value);
}

/**
 * Frequent values (Misra & Gries 1982) with a mergeable error bound (Agarwal et al. 2012,
 * "Mergeable summaries").
 *
 * Up to 2k counters are kept; when a new value would make it 2k + 1, the (k+1)-th largest
 * count c is subtracted from every counter, counters at or below zero are dropped (at most k
 * remain) and `err` grows by c. For every value, with f its true count and f̂ its counter
 * (0 if absent): 0 ≤ f − f̂ ≤ err ≤ n/(k+1) (k = 256: 0.39% of n), whatever the merge tree.
 * While nothing has been dropped (`exact()`), the counters are the exact counts.
 *
 * @example
 * const mg = new MisraGries(2);
 * for (const v of 'abacabd') mg.update(v);
 * mg.flush().items(); // [['a', 2], ['b', 1]], mg.err === 1
 */
export class MisraGries {
  readonly k: number;
  /**
   * Counters held before a reduction. Any capacity ≥ k+1 keeps the bound (each reduction takes
   * c from at least k+1 counters); a larger one makes the O(size) reduction rarer, which matters
   * for ID-like columns where almost every value is new. The wire form is reduced to ≤ 2k.
   */
  readonly capacity: number;
  /** Counters in mutable cells, so counting a known value is one map lookup. */
  private counts = new Map<string, Counter>();
  private total = 0;
  private error = 0;

  constructor(k: number = MISRA_GRIES_DEFAULT_K) {
    if (!Number.isInteger(k) || k < MISRA_GRIES_MIN_K || k > MISRA_GRIES_MAX_K) {
      throw new RangeError(
        `Misra-Gries k must be an integer in [${MISRA_GRIES_MIN_K}, ${MISRA_GRIES_MAX_K}], got ${k}`,
      );
    }
    this.k = k;
    this.capacity = Math.max(2 * k, Math.min(8 * k, 4096));
  }

  /** Sum of all counts added. */
  get n(): number {
    return this.total;
  }

  /** Largest possible under-count of any value's counter. */
  get err(): number {
    return this.error;
  }

  /** Number of counters held (at most the working capacity; at most 2k once serialized). */
  get size(): number {
    return this.counts.size;
  }

  /** Parameters that must match for a merge. */
  get params(): { readonly k: number } {
    return { k: this.k };
  }

  /**
   * Counts `value` (`count` times). Values over 128 code units are counted under
   * {@link misraGriesKey}; shorter ones cost one map lookup.
   */
  update(value: string, count = 1): void {
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new RangeError(`Misra-Gries count must be a positive integer, got ${count}`);
    }
    const key = value.length > LONG_VALUE_LENGTH ? valueKey(value) : value;
    this.total += count;
    const counter = this.counts.get(key);
    if (counter !== undefined) {
      counter.count += count;
      return;
    }
    this.counts.set(value.length > LONG_VALUE_LENGTH ? key : detachString(key), { count });
    if (this.counts.size > this.capacity) this.reduce();
  }

  /**
   * Folds `other` into this summary and returns it: counters are added, then reduced as in
   * {@link MisraGries.update} if more than 2k remain. `other` is not modified.
   *
   * @throws SketchFormatError when `other` is not a MisraGries with the same k
   */
  merge(other: MisraGries): this {
    if (!(other instanceof MisraGries)) {
      throw new SketchFormatError('TYPE_MISMATCH', 'can only merge a MisraGries into a MisraGries', {
        expected: FORMAT.type,
      });
    }
    assertSameParams(FORMAT.type, this.params, other.params);
    for (const [key, { count }] of [...other.counts]) {
      const counter = this.counts.get(key);
      if (counter !== undefined) counter.count += count;
      else this.counts.set(key, { count });
    }
    this.total += other.total;
    this.error += other.error;
    if (this.counts.size > 2 * this.k) this.reduce();
    return this;
  }

  /** Reduces to at most k counters now (the error bound is unchanged in kind); returns this. */
  flush(): this {
    if (this.counts.size > this.k) this.reduce();
    return this;
  }

  /** True while nothing has been dropped: every counter is the exact count of its key. */
  exact(): boolean {
    return this.error === 0;
  }

  /** Counter of `value` (0 if absent): a lower bound of its count, at most `err` below it. */
  estimate(value: string): number {
    return this.counts.get(misraGriesKey(value))?.count ?? 0;
  }

  /** [key, count] pairs by count descending, then key by UTF-16 code units. */
  items(): Array<[string, number]> {
    return Array.from(this.counts, ([key, { count }]): [string, number] => [key, count]).sort(
      (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
    );
  }

  /** The versioned JSON envelope; equal states give identical JSON. */
  serialize(): SketchEnvelope<MisraGriesPayload> {
    // The wire form holds at most 2k counters, whatever the working capacity.
    if (this.counts.size > 2 * this.k) this.reduce();
    const payload: MisraGriesPayload = { k: this.k, n: this.total, err: this.error, items: this.items() };
    return createEnvelope(FORMAT, this.params, this.total, payload);
  }

  /**
   * Reads an envelope produced by {@link MisraGries.serialize}.
   *
   * @throws SketchFormatError when the envelope or payload is malformed or of another kind
   */
  static deserialize(envelope: unknown): MisraGries {
    const e = openEnvelope(envelope, FORMAT);
    const k = e.params.k;
    if (!Number.isInteger(k) || k < MISRA_GRIES_MIN_K || k > MISRA_GRIES_MAX_K) {
      throw invalidPayload(FORMAT.type, `k out of range: ${k}`, { k });
    }
    const p = e.payload;
    if (!isRecord(p) || p.k !== k || p.n !== e.n) {
      throw invalidPayload(FORMAT.type, 'payload must be { k, n, err, items } matching the envelope');
    }
    const { err, items } = p;
    if (typeof err !== 'number' || !Number.isSafeInteger(err) || err < 0) {
      throw invalidPayload(FORMAT.type, 'err must be a non-negative integer', { err });
    }
    if (!Array.isArray(items) || items.length > 2 * k) {
      throw invalidPayload(FORMAT.type, `items must be an array of at most 2k = ${2 * k} entries`);
    }
    const sketch = new MisraGries(k);
    let sum = 0;
    for (const item of items) {
      if (
        !Array.isArray(item) ||
        item.length !== 2 ||
        typeof item[0] !== 'string' ||
        typeof item[1] !== 'number' ||
        !Number.isSafeInteger(item[1]) ||
        item[1] < 1
      ) {
        throw invalidPayload(FORMAT.type, 'each item must be [string, positive integer]', { item });
      }
      if (sketch.counts.has(item[0])) {
        throw invalidPayload(FORMAT.type, 'duplicate key', { key: item[0] });
      }
      sketch.counts.set(item[0], { count: item[1] });
      sum += item[1];
    }
    // Every subtraction of c removed at least (k+1)·c from the counters.
    if (sum + (k + 1) * err > e.n) {
      throw invalidPayload(FORMAT.type, 'counts and err exceed n', { sum, err, n: e.n });
    }
    sketch.total = e.n;
    sketch.error = err;
    return sketch;
  }

  /**
   * Subtracts the (k+1)-th largest count c from every counter and drops those at or below
   * zero. At least k+1 counters each lose c, which is what bounds err by n/(k+1).
   */
  private reduce(): void {
    const counts = new Float64Array(this.counts.size);
    let i = 0;
    for (const counter of this.counts.values()) counts[i++] = counter.count;
    const c = selectNth(counts, counts.length - (this.k + 1));
    // A fresh map of the survivors: deleting most entries in place leaves a sparse table
    // that V8 rehashes as it refills.
    const survivors = new Map<string, Counter>();
    for (const [key, counter] of this.counts) {
      if (counter.count > c) {
        counter.count -= c;
        survivors.set(key, counter);
      }
    }
    this.counts = survivors;
    this.error += c;
  }
}

/** The value of rank `n` (0-based, ascending) of `values`, by quickselect; reorders `values`. */
function selectNth(values: Float64Array, n: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (n <= j) hi = j;
    else if (n >= i) lo = i;
    else return values[n];
  }
  return values[n];
}
