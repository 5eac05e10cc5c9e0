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
import { detachString, LONG_VALUE_LENGTH, LONG_VALUE_PREFIX_LENGTH, valueKey, valueKeyFromHash } from './value-key.js';
import { xxh64Into } from './xxh64.js';

/** Default number of counters: every count is under by at most n/257 ≈ 0.39% of n. */
export const MISRA_GRIES_DEFAULT_K = 256;
export const MISRA_GRIES_MIN_K = 1;
export const MISRA_GRIES_MAX_K = 65_536;
/** Largest exact phase a summary may be given (see {@link MisraGriesOptions.exactLimit}). */
export const MISRA_GRIES_MAX_EXACT_LIMIT = 1 << 20;

/**
 * While counting exactly, the table doubles past a checkpoint (2k, 4k, …) only if at least this share
 * of the values seen so far repeated an earlier one. A near-unique column (ids, amounts, free text)
 * shows almost no repeats and ends its exact phase at the first checkpoint, at the cost of a plain
 * summary, where a long-tailed category repeats early and stays exact up to the limit.
 */
export const MISRA_GRIES_EXACT_REPEAT_SHARE = 0.02;

/** Options of {@link MisraGries}. */
export interface MisraGriesOptions {
  /**
   * How many distinct values the summary may count exactly before it becomes a Misra-Gries
   * summary of k counters (default and minimum 2k, at most {@link MISRA_GRIES_MAX_EXACT_LIMIT}).
   * While it counts exactly, `exact()` is true and every counter is the true count.
   */
  readonly exactLimit?: number;
  /**
   * Asked at each checkpoint of the exact phase, besides the repeats: whether the values are worth
   * counting exactly any further (a column state says no for numbers and dates, whose frequencies no
   * test reads). Not part of the summary's state: a deserialized summary has none.
   */
  readonly keepExact?: () => boolean;
}

const FORMAT: EnvelopeExpectation = {
  type: 'misra-gries',
  version: 1,
  hash: SKETCH_HASH_XXH64,
  paramNames: ['k'],
};

/** Payload of a serialized {@link MisraGries}. */
export interface MisraGriesPayload {
  readonly k: number;
  readonly n: number;
  readonly err: number;
  /** [key, count], by count descending then key (UTF-16 code units). */
  readonly items: Array<[string, number]>;
  /** The exact phase's limit, when above 2k (absent: 2k). */
  readonly exactLimit?: number;
  /**
   * Asked at each checkpoint of the exact phase, besides the repeats: whether the values are worth
   * counting exactly any further (a column state says no for numbers and dates, whose frequencies no
   * test reads). Not part of the summary's state: a deserialized summary has none.
   */
  readonly keepExact?: () => boolean;
}

/** What a summary knows of one value's true count: `low ≤ count ≤ high` (equal when exact). */
export interface CountBounds {
  readonly low: number;
  readonly high: number;
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
 * Exact phase: a summary created with an `exactLimit` above 2k keeps counting every distinct value
 * exactly, its table doubling at each checkpoint (2k, 4k, …) while values repeat enough (see
 * {@link MISRA_GRIES_EXACT_REPEAT_SHARE}), up to `exactLimit` distinct values. Past that (or at a
 * checkpoint where values hardly repeat) it reduces to k counters as above and goes on as a plain
 * Misra-Gries summary with 2k counters. Exact summaries merge exactly while their union fits. So
 * whether a summary ends exact can depend on how the rows were split (a block of near-unique values
 * stops early, smaller blocks may not): either way its counts are exact or within their bounds.
 *
 * @example
 * const mg = new MisraGries(2);
 * for (const v of 'abacabd') mg.update(v);
 * mg.flush().items(); // [['a', 2], ['b', 1]], mg.err === 1
 */
export class MisraGries {
  readonly k: number;
  /** Distinct values counted exactly before the summary becomes approximate (≥ 2k). */
  readonly exactLimit: number;
  /**
   * Counters held before a reduction: 2k once approximate. Any capacity ≥ k+1 keeps the bound (each
   * reduction takes c from at least k+1 counters). A larger one makes the O(size) reduction rarer
   * for ID-like columns, where almost every value is new, but a profile keeps one table per column
   * and updates them in turn: at 2k (about 20 KiB for k = 256) the tables of a wide file stay in the
   * CPU caches, which measured about 3% less CPU for the whole 1M-row benchmark than 8k. During the
   * exact phase it is the table's current size (2k, 4k, … up to `exactLimit`).
   */
  private currentCapacity: number;
  private readonly keepExact: (() => boolean) | undefined;

  /** Counters held before the next checkpoint or reduction (see the field comment above). */
  get capacity(): number {
    return this.currentCapacity;
  }
  // Counters live in parallel arrays (entry e: keys[e], counts[e], hashes[e]) behind an
  // open-addressing table keyed by a 32-bit hash of the key, so counting allocates nothing
  // per value and a caller that has already hashed the value (see `updateHashed`) pays only
  // the probe and one string comparison. Identity is the key string, exactly as in a Map.
  /** Keys of entries 0 .. used-1; '' beyond (the array keeps its length: no reallocation). */
  private keys: string[] = new Array<string>(INITIAL_ROOM).fill('');
  private counts = new Float64Array(INITIAL_ROOM);
  private hashes = new Int32Array(INITIAL_ROOM);
  /**
   * Entries whose key is not built yet: keys[e] then holds the long value itself and highs[e]
   * the high half of its xxh64 (the low half is hashes[e]), and the key is built from them when
   * the entry survives a reduction or is read (see `keyAt`). Most long values of a free-text
   * column are dropped by the next reduction, so their keys are never built at all.
   */
  private pending = new Uint8Array(INITIAL_ROOM);
  private highs = new Int32Array(INITIAL_ROOM);
  /**
   * Slot s holds [entry + 1, hash] at [2s, 2s + 1] (entry + 1 = 0: free), so a probe reads one
   * cache line. At least 1.5 slots per entry of room.
   */
  private slots = new Int32Array(2 * tableSizeFor(INITIAL_ROOM));
  private used = 0;
  /** Entries below this own their keys' storage; later ones may be views (see `updateHashed`). */
  private owned = 0;
  private total = 0;
  private error = 0;

  constructor(k: number = MISRA_GRIES_DEFAULT_K, options: MisraGriesOptions = {}) {
    if (!Number.isInteger(k) || k < MISRA_GRIES_MIN_K || k > MISRA_GRIES_MAX_K) {
      throw new RangeError(
        `Misra-Gries k must be an integer in [${MISRA_GRIES_MIN_K}, ${MISRA_GRIES_MAX_K}], got ${k}`,
      );
    }
    const limit = options.exactLimit ?? 2 * k;
    if (!Number.isInteger(limit) || limit < 2 * k || limit > MISRA_GRIES_MAX_EXACT_LIMIT) {
      throw new RangeError(
        `Misra-Gries exactLimit must be an integer in [2k = ${2 * k}, ${MISRA_GRIES_MAX_EXACT_LIMIT}], got ${limit}`,
      );
    }
    this.k = k;
    this.exactLimit = limit;
    this.currentCapacity = 2 * k;
    this.keepExact = options.keepExact;
  }

  /** Sum of all counts added. */
  get n(): number {
    return this.total;
  }

  /** Largest possible under-count of any value's counter. */
  get err(): number {
    return this.error;
  }

  /** Number of counters held (at most the working capacity; at most 2k once serialized approximate). */
  get size(): number {
    return this.used;
  }

  /** Parameters that must match for a merge. */
  get params(): { readonly k: number } {
    return { k: this.k };
  }

  /**
   * Counts `value` (`count` times). Values over 128 code units are counted under
   * {@link misraGriesKey}.
   */
  update(value: string, count = 1): void {
    checkCount(count);
    if (value.length > LONG_VALUE_LENGTH) {
      // valueKey returns a string of its own.
      const key = valueKey(value);
      this.add(key, hashKey(key), count, KEY_OWNED);
    } else {
      this.add(value, hashKey(value), count, KEY_COPY);
    }
  }

  /**
   * {@link MisraGries.update} for a caller that already holds the xxh64 of `value` (the halves
   * `xxh64Into(value, out)` writes: `hi = out[0]`, `lo = out[1]`). Same counts, without hashing
   * `value` again.
   *
   * Unlike `update`, a new key is kept as given: when `value` is a substring of a large parsed
   * chunk, the sketch may keep that chunk alive until {@link MisraGries.detachKeys}, `flush()`
   * or a merge, which copy every key into a string of its own (as does a reduction, for the
   * counters it keeps). Most new keys of an ID-like column are dropped by the next reduction, so
   * they are never copied at all. Call `detachKeys()` (counters unchanged) before keeping the
   * sketch beyond the chunk's lifetime.
   */
  updateHashed(value: string, hi: number, lo: number, count = 1): void {
    checkCount(count);
    if (value.length > LONG_VALUE_LENGTH) {
      this.addLong(value, hi | 0, lo | 0, count);
    } else if (value.length === LONG_KEY_LENGTH && isLongKey(value)) {
      // A short value shaped like a long value's key is hashed as such keys are (see hashKey).
      this.add(value, hashKey(value), count, KEY_VIEW);
    } else {
      // A short value is its own key, so the key's hash is the value's.
      this.add(value, lo | 0, count, KEY_VIEW);
    }
  }

  /**
   * Folds `other` into this summary and returns it: counters are added, then reduced as in
   * {@link MisraGries.update} if more than 2k remain. `other`'s counters are not modified (its
   * keys are given storage of their own, see `detachKeys`).
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
    this.detachKeys();
    other.detachKeys();
    // Snapshots first, so merging a sketch into itself reads stable counters.
    const n = other.used;
    const keys = other.keys.slice(0, n);
    const counts = other.counts.slice(0, n);
    const hashes = other.hashes.slice(0, n);
    for (let i = 0; i < n; i++) {
      const e = this.find(keys[i], hashes[i]);
      if (e >= 0) this.counts[e] += counts[i];
      else this.insert(keys[i], hashes[i], counts[i]);
    }
    this.total += other.total;
    this.error += other.error;
    // Two exact summaries stay exact while their union fits the exact phase.
    if (this.used > (this.error === 0 ? this.exactLimit : 2 * this.k)) this.reduce();
    else if (this.error === 0) this.currentCapacity = Math.max(this.currentCapacity, Math.min(this.exactLimit, this.used));
    return this;
  }

  /**
   * Reduces an approximate summary to at most k counters now (the error bound is unchanged in
   * kind; an exact summary keeps its counts) and gives every key storage of its own (see
   * `updateHashed`); returns this.
   */
  flush(): this {
    if (this.error > 0 && this.used > this.k) this.reduce();
    this.detachKeys();
    return this;
  }

  /**
   * Gives every key that may still share storage with a string passed to `updateHashed` storage
   * of its own; counters and results are unchanged. Returns this.
   */
  detachKeys(): this {
    const keys = this.keys;
    for (let e = this.owned; e < this.used; e++) keys[e] = this.pending[e] === 1 ? this.buildKey(e) : detachString(keys[e]);
    this.owned = this.used;
    return this;
  }

  /** True while nothing has been dropped: every counter is the exact count of its key. */
  exact(): boolean {
    return this.error === 0;
  }

  /** Counter of `value` (0 if absent): a lower bound of its count, at most `err` below it. */
  estimate(value: string): number {
    this.detachKeys();
    const key = misraGriesKey(value);
    const e = this.find(key, hashKey(key));
    return e >= 0 ? this.counts[e] : 0;
  }

  /**
   * What the summary knows of `value`'s true count: its counter and at most `err` more (a value
   * without a counter occurred at most `err` times). Exact summaries give the count twice.
   */
  bounds(value: string): CountBounds {
    const low = this.estimate(value);
    return { low, high: low + this.error };
  }

  /** [key, count] pairs by count descending, then key by UTF-16 code units. */
  items(): Array<[string, number]> {
    this.detachKeys();
    const out: Array<[string, number]> = [];
    for (let i = 0; i < this.used; i++) out.push([this.keys[i], this.counts[i]]);
    return out.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** The versioned JSON envelope; equal states give identical JSON. */
  serialize(): SketchEnvelope<MisraGriesPayload> {
    // The wire form holds at most 2k counters once approximate, whatever the working capacity.
    if (this.error > 0 && this.used > 2 * this.k) this.reduce();
    const payload: MisraGriesPayload =
      this.exactLimit === 2 * this.k
        ? { k: this.k, n: this.total, err: this.error, items: this.items() }
        : { k: this.k, n: this.total, err: this.error, items: this.items(), exactLimit: this.exactLimit };
    return createEnvelope(FORMAT, this.params, this.total, payload);
  }

  /** An independent copy (through the wire form, so it is exactly what a round trip gives). */
  clone(): MisraGries {
    return MisraGries.deserialize(this.serialize());
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
    const exactLimit: unknown = p.exactLimit ?? 2 * k;
    if (typeof exactLimit !== 'number' || !Number.isInteger(exactLimit) || exactLimit < 2 * k || exactLimit > MISRA_GRIES_MAX_EXACT_LIMIT) {
      throw invalidPayload(FORMAT.type, `exactLimit must be an integer in [2k, ${MISRA_GRIES_MAX_EXACT_LIMIT}]`, { exactLimit });
    }
    const most = err === 0 ? exactLimit : 2 * k;
    if (!Array.isArray(items) || items.length > most) {
      throw invalidPayload(FORMAT.type, `items must be an array of at most ${most} entries`);
    }
    const sketch = new MisraGries(k, { exactLimit });
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
      const key = item[0];
      const h = hashKey(key);
      if (sketch.find(key, h) >= 0) {
        throw invalidPayload(FORMAT.type, 'duplicate key', { key });
      }
      sketch.insert(key, h, item[1]);
      sum += item[1];
    }
    // Every subtraction of c removed at least (k+1)·c from the counters.
    if (sum + (k + 1) * err > e.n) {
      throw invalidPayload(FORMAT.type, 'counts and err exceed n', { sum, err, n: e.n });
    }
    sketch.total = e.n;
    sketch.error = err;
    if (err === 0) sketch.currentCapacity = Math.max(sketch.currentCapacity, Math.min(exactLimit, sketch.used));
    return sketch;
  }

  /**
   * Adds `count` to the counter of `key` (hash `h`), creating it, and reducing past capacity.
   * `keyStorage` tells how a new key is stored: as is, as a copy, or as a possible view of a
   * larger string that is copied later (see `detachKeys`).
   */
  private add(key: string, h: number, count: number, keyStorage: number): void {
    this.total += count;
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let slot = h & mask;
    for (let e = slots[2 * slot]; e !== 0; e = slots[2 * slot]) {
      if (slots[2 * slot + 1] === h && this.keyAt(e - 1) === key) {
        this.counts[e - 1] += count;
        return;
      }
      slot = (slot + 1) & mask;
    }
    const view = keyStorage === KEY_VIEW;
    if (keyStorage === KEY_COPY) key = detachString(key);
    if (this.used === this.counts.length) {
      this.insert(key, h, count, view);
    } else {
      // The probe already found the free slot.
      const e = this.used++;
      this.keys[e] = key;
      this.counts[e] = count;
      this.hashes[e] = h;
      slots[2 * slot] = e + 1;
      slots[2 * slot + 1] = h;
      if (!view && this.owned === e) this.owned = e + 1;
    }
    if (this.used > this.currentCapacity) this.overflow();
  }

  /**
   * `add` for a value over 128 code units given its xxh64 halves: its key's table hash is `lo`
   * (see `hashKey`), and a new entry keeps the value itself until its key is needed.
   */
  private addLong(value: string, hi: number, lo: number, count: number): void {
    this.total += count;
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let slot = lo & mask;
    let key: string | null = null;
    for (let e = slots[2 * slot]; e !== 0; e = slots[2 * slot]) {
      if (slots[2 * slot + 1] === lo) {
        // Only a repeated value (or a 32-bit collision) gets here: compare the keys themselves.
        key ??= valueKeyFromHash(value, hi, lo);
        if (this.keyAt(e - 1) === key) {
          this.counts[e - 1] += count;
          return;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (key !== null) {
      this.insert(key, lo, count);
    } else {
      // A view of the value, not yet its key.
      this.insert(value, lo, count, true);
      this.pending[this.used - 1] = 1;
      this.highs[this.used - 1] = hi;
    }
    if (this.used > this.currentCapacity) this.overflow();
  }

  /**
   * The table passed its capacity: during the exact phase, double it if the values repeat enough
   * and the limit allows; otherwise reduce to k counters (which ends the exact phase).
   */
  private overflow(): void {
    const repeats = this.total - this.used;
    if (
      this.error === 0 &&
      this.currentCapacity < this.exactLimit &&
      repeats >= MISRA_GRIES_EXACT_REPEAT_SHARE * this.total &&
      (this.keepExact === undefined || this.keepExact())
    ) {
      this.currentCapacity = Math.min(this.exactLimit, 2 * this.currentCapacity);
      return;
    }
    this.reduce();
  }

  /** The key of entry e, built now if it was pending. */
  private keyAt(e: number): string {
    return this.pending[e] === 1 ? (this.keys[e] = this.buildKey(e)) : this.keys[e];
  }

  /** Builds the key of a pending entry from its value and hash (the entry then owns its key). */
  private buildKey(e: number): string {
    this.pending[e] = 0;
    return valueKeyFromHash(this.keys[e], this.highs[e], this.hashes[e]);
  }

  /** Entry index of `key` (hash `h`), or -1. */
  private find(key: string, h: number): number {
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let slot = h & mask;
    for (let e = slots[2 * slot]; e !== 0; e = slots[2 * slot]) {
      if (slots[2 * slot + 1] === h && this.keyAt(e - 1) === key) return e - 1;
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /** Appends a counter for a key known to be absent, growing the arrays when full. */
  private insert(key: string, h: number, count: number, view = false): void {
    if (this.used === this.counts.length) this.grow();
    const e = this.used++;
    this.keys[e] = key;
    this.counts[e] = count;
    this.hashes[e] = h;
    this.place(e, h);
    if (!view && this.owned === e) this.owned = e + 1;
  }

  private place(e: number, h: number): void {
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let slot = h & mask;
    while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
    slots[2 * slot] = e + 1;
    slots[2 * slot + 1] = h;
  }

  /** More room: doubling, but up to exactly capacity + 1 (the most `update` ever holds). */
  private grow(): void {
    const room = this.counts.length;
    const next = room <= this.capacity ? Math.min(2 * room, this.currentCapacity + 1) : 2 * room;
    const counts = new Float64Array(next);
    counts.set(this.counts);
    const hashes = new Int32Array(next);
    hashes.set(this.hashes);
    const pending = new Uint8Array(next);
    pending.set(this.pending);
    const highs = new Int32Array(next);
    highs.set(this.highs);
    this.counts = counts;
    this.hashes = hashes;
    this.pending = pending;
    this.highs = highs;
    for (let e = room; e < next; e++) this.keys.push('');
    this.slots = new Int32Array(2 * tableSizeFor(next));
    for (let e = 0; e < this.used; e++) this.place(e, hashes[e]);
  }

  /**
   * Subtracts the (k+1)-th largest count c from every counter and drops those at or below
   * zero. At least k+1 counters each lose c, which is what bounds err by n/(k+1).
   */
  private reduce(): void {
    const n = this.used;
    const counts = this.counts;
    const c = selectNth(scratchCopy(counts, n), n, n - (this.k + 1));
    const keys = this.keys;
    const hashes = this.hashes;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (counts[i] > c) {
        // The survivors are few (at most k): copy those that may still be views.
        keys[kept] = i < this.owned ? keys[i] : this.pending[i] === 1 ? this.buildKey(i) : detachString(keys[i]);
        counts[kept] = counts[i] - c;
        hashes[kept] = hashes[i];
        kept++;
      }
    }
    // Dropped keys are released, not kept alive by stale entries; every survivor has its key.
    for (let i = kept; i < n; i++) keys[i] = '';
    this.pending.fill(0, 0, n);
    this.used = kept;
    this.owned = kept;
    this.error += c;
    this.currentCapacity = 2 * this.k;
    if (this.counts.length > 2 * (this.currentCapacity + 1)) {
      // The end of a large exact phase: give the memory back, so the table fits the caches again.
      this.shrink(this.currentCapacity + 1);
    } else {
      this.slots.fill(0);
      for (let e = 0; e < kept; e++) this.place(e, hashes[e]);
    }
  }

  /** Reallocates the arrays at `room` entries (≥ used) and rebuilds the table. */
  private shrink(room: number): void {
    const n = this.used;
    this.keys = this.keys.slice(0, room);
    for (let e = this.keys.length; e < room; e++) this.keys.push('');
    this.counts = this.counts.slice(0, room);
    this.hashes = this.hashes.slice(0, room);
    this.pending = this.pending.slice(0, room);
    this.highs = this.highs.slice(0, room);
    this.slots = new Int32Array(2 * tableSizeFor(room));
    for (let e = 0; e < n; e++) this.place(e, this.hashes[e]);
  }
}

const INITIAL_ROOM = 8;

/** Slots for `room` entries: a power of two, at least 1.5 per entry (load ≤ 2/3). */
function tableSizeFor(room: number): number {
  let size = 16;
  while (size < room + (room >>> 1)) size *= 2;
  return size;
}

/** Length of a long value's key: 16 hex digits, ':', the value's first 64 code units. */
const LONG_KEY_LENGTH = 17 + LONG_VALUE_PREFIX_LENGTH;

/** Whether a key of {@link LONG_KEY_LENGTH} code units has a long value's key shape. */
function isLongKey(key: string): boolean {
  if (key.charCodeAt(16) !== 0x3a) return false;
  for (let i = 0; i < 16; i++) if (hexDigit(key.charCodeAt(i)) < 0) return false;
  return true;
}

/** The value of a lowercase hex digit, or -1. */
function hexDigit(c: number): number {
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
}

/**
 * The counter-table hash of a key: the low half of its xxh64 (what `updateHashed` reuses), except
 * for a key shaped like a long value's (`xxh64hex:prefix`), whose hash is the low half of the
 * long value's xxh64 written in it, so a long value is counted without building or hashing its
 * key. Which function it is does not show outside: the table is rebuilt from keys on read.
 */
function hashKey(key: string): number {
  if (key.length === LONG_KEY_LENGTH && isLongKey(key)) {
    let lo = 0;
    for (let i = 8; i < 16; i++) lo = (lo << 4) | hexDigit(key.charCodeAt(i));
    return lo | 0;
  }
  xxh64Into(key, hashOut);
  return hashOut[1];
}

const hashOut = new Int32Array(2);

/** How `add` stores a new key. */
const KEY_OWNED = 0;
const KEY_COPY = 1;
const KEY_VIEW = 2;

function checkCount(count: number): void {
  // The common count, 1, passes on the first comparison.
  if (count !== 1 && (!Number.isSafeInteger(count) || count < 1)) {
    throw new RangeError(`Misra-Gries count must be a positive integer, got ${count}`);
  }
}

let scratch = new Float64Array(64);

/** The first n counts in a shared buffer that `selectNth` may reorder. */
function scratchCopy(counts: Float64Array, n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  scratch.set(counts.subarray(0, n));
  return scratch;
}

/**
 * The value of rank `n` (0-based, ascending) among the first `length` of `values`, by
 * quickselect; reorders them.
 */
function selectNth(values: Float64Array, length: number, n: number): number {
  let lo = 0;
  let hi = length - 1;
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
