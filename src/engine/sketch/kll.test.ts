import { describe, expect, it } from 'vitest';
import { KllSketch, kllPmfError, kllRankError } from './kll.js';
import { MisraGries } from './misra-gries.js';
import { SketchFormatError } from './sketch-format-error.js';
import { createUniform as mulberry32 } from '../../../test/support/random.js';

function shuffled(n: number, random: () => number): Float64Array {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = i + 1;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
  return values;
}

/**
 * Largest |F̂(x) − x/N| over every x in 1..N, for a sketch of the integers 1..N. F̂ is a step
 * function that only changes at retained values, so it suffices to look at each retained v
 * (F̂(v) against v/N) and just below it (F̂(v−1) = F̂ strictly below v, against (v−1)/N).
 */
function maxRankErrorOverIntegers(sketch: KllSketch, n: number): number {
  let worst = 0;
  for (const v of sketch.retainedValues()) {
    worst = Math.max(worst, Math.abs(sketch.cdf(v) - v / n), Math.abs(sketch.cdfStrict(v) - (v - 1) / n));
  }
  return worst;
}

const N = 100_000;
const BOUND = kllRankError(200);

describe('KllSketch', () => {
  it('states the published bounds: 1.33% rank and 1.65% PMF error at k = 200', () => {
    expect(BOUND).toBeCloseTo(0.0133, 4);
    expect(kllPmfError(200)).toBeCloseTo(0.0165, 4);
  });

  it('is exact while n ≤ k, ties included', () => {
    const random = mulberry32(4);
    const values = Array.from({ length: 200 }, () => Math.floor(random() * 50) / 4 - 3);
    const sketch = new KllSketch(200, 1);
    for (const v of values) sketch.update(v);
    expect(sketch.retained).toBe(200);
    const sorted = [...values].sort((a, b) => a - b);
    for (const x of [...new Set(values), -100, 0.1, 100]) {
      expect(sketch.cdf(x)).toBe(values.filter((v) => v <= x).length / 200);
      expect(sketch.cdfStrict(x)).toBe(values.filter((v) => v < x).length / 200);
    }
    for (let i = 1; i <= 99; i++) {
      const q = i / 100;
      // smallest value whose rank reaches q·n: the ⌈q·n⌉-th smallest
      expect(sketch.quantile(q)).toBe(sorted[Math.ceil(q * 200) - 1]);
    }
    expect(sketch.quantile(0)).toBe(sorted[0]);
    expect(sketch.quantile(1)).toBe(sorted[199]);
    expect(sketch.min).toBe(sorted[0]);
    expect(sketch.max).toBe(sorted[199]);
    expect(sketch.quantiles([0.25, 0.75])).toEqual([sorted[49], sorted[149]]);
  });

  it('keeps ranks of 1..100,000 within 1.33% in ≥ 99% of 1,000 seeded runs, and Q(0.5) within 1,330', () => {
    let rankFailures = 0;
    let medianFailures = 0;
    let worst = 0;
    const ordered = new Float64Array(N);
    for (let i = 0; i < N; i++) ordered[i] = i + 1;
    for (let run = 0; run < 1000; run++) {
      // half the runs in sorted order (the adversarial case for compaction), half shuffled
      const input = run % 2 === 0 ? ordered : shuffled(N, mulberry32(run));
      const sketch = new KllSketch(200, run);
      for (let i = 0; i < N; i++) sketch.update(input[i]);
      expect(sketch.n).toBe(N);
      const error = maxRankErrorOverIntegers(sketch, N);
      worst = Math.max(worst, error);
      if (error > BOUND) rankFailures++;
      if (Math.abs(sketch.quantile(0.5) - N / 2) > 1330) medianFailures++;
    }
    expect(rankFailures).toBeLessThanOrEqual(10);
    expect(medianFailures).toBeLessThanOrEqual(10);
    // the bound is a 99%-confidence bound, not a typical error: the typical error is far below it
    expect(worst).toBeLessThan(2 * BOUND);
  });

  it('stays within the bound after splitting at random points and merging in a random tree', () => {
    const random = mulberry32(77);
    let failures = 0;
    for (let run = 0; run < 200; run++) {
      const input = shuffled(N, random);
      const partsCount = 2 + Math.floor(random() * 15);
      const cuts = [0, ...Array.from({ length: partsCount - 1 }, () => Math.floor(random() * N)), N].sort((a, b) => a - b);
      const parts = cuts.slice(1).map((end, i) => {
        const s = new KllSketch(200, run * 100 + i);
        for (let j = cuts[i]; j < end; j++) s.update(input[j]);
        return s;
      });
      while (parts.length > 1) {
        const a = parts.splice(Math.floor(random() * parts.length), 1)[0];
        const b = parts.splice(Math.floor(random() * parts.length), 1)[0];
        parts.push(a.merge(b));
      }
      const merged = parts[0];
      expect(merged.n).toBe(N);
      expect(merged.min).toBe(1);
      expect(merged.max).toBe(N);
      if (maxRankErrorOverIntegers(merged, N) > BOUND) failures++;
    }
    expect(failures).toBeLessThanOrEqual(2);
  });

  it('takes weighted values: n, min and max exact, ranks within the bound, about 3k items kept', () => {
    const random = mulberry32(31);
    // 2,000 distinct values with weights 1..199: the shape of a pre-aggregated column.
    const weighted = new KllSketch(200, 5);
    const truth: Array<[number, number]> = [];
    let n = 0;
    for (let v = 1; v <= 2000; v++) {
      const weight = 1 + Math.floor(random() * 199);
      truth.push([v, weight]);
      n += weight;
    }
    for (const [v, weight] of [...truth].sort(() => random() - 0.5)) weighted.updateWeighted(v, weight);
    expect(weighted.n).toBe(n);
    expect(weighted.min).toBe(1);
    expect(weighted.max).toBe(2000);
    expect(weighted.retained).toBeLessThanOrEqual(700);
    let below = 0;
    let worst = 0;
    for (const [v, weight] of truth) {
      below += weight;
      worst = Math.max(worst, Math.abs(weighted.cdf(v) - below / n));
    }
    expect(worst).toBeLessThanOrEqual(BOUND);
    // A round trip keeps it, and weight 1 is a plain update.
    expect(KllSketch.deserialize(JSON.parse(JSON.stringify(weighted.serialize()))).quantile(0.5)).toBe(weighted.quantile(0.5));
    const plain = new KllSketch(200, 9);
    const viaWeight = new KllSketch(200, 9);
    for (let i = 0; i < 5000; i++) {
      plain.update(i % 97);
      viaWeight.updateWeighted(i % 97, 1);
    }
    expect(viaWeight.serialize()).toEqual(plain.serialize());
  });

  it('keeps a value added with weight w exact while nothing else is compacted', () => {
    const sketch = new KllSketch(200, 1);
    sketch.updateWeighted(7, 1000);
    sketch.updateWeighted(3, 24);
    expect(sketch.n).toBe(1024);
    expect(sketch.retained).toBe(6 + 2);
    expect(sketch.cdf(3)).toBe(24 / 1024);
    expect(sketch.quantile(0.5)).toBe(7);
    expect(() => sketch.updateWeighted(1, 0)).toThrow(RangeError);
    expect(() => sketch.updateWeighted(1, 2.5)).toThrow(RangeError);
  });

  it('keeps about 3k items however many values it sees', () => {
    const sketch = new KllSketch(200, 3);
    const random = mulberry32(3);
    for (let i = 0; i < 1_000_000; i++) sketch.update(random());
    expect(sketch.retained).toBeLessThan(3 * 200 + 8 * 20);
    expect(sketch.retained).toBeGreaterThan(200);
  });

  it('is deterministic for a seed, and continues identically after a round trip', () => {
    const feed = (s: KllSketch, from: number, to: number) => {
      for (let i = from; i < to; i++) s.update((i * 7919) % 10007);
      return s;
    };
    const a = feed(new KllSketch(200, 9), 0, 20_000);
    const b = feed(new KllSketch(200, 9), 0, 20_000);
    expect(JSON.stringify(a.serialize())).toBe(JSON.stringify(b.serialize()));
    const restored = KllSketch.deserialize(JSON.parse(JSON.stringify(a.serialize())));
    feed(a, 20_000, 50_000);
    feed(restored, 20_000, 50_000);
    expect(JSON.stringify(restored.serialize())).toBe(JSON.stringify(a.serialize()));
  });

  it('round-trips byte-stably: empty, exact, compacted, merged', () => {
    const merged = new KllSketch(64, 1);
    const other = new KllSketch(64, 2);
    for (let i = 0; i < 5000; i++) {
      merged.update(Math.sin(i) * 1e6);
      other.update(-i / 3);
    }
    merged.merge(other);
    const small = new KllSketch();
    for (const v of [3, -0, 1.5e-300, -7.25]) small.update(v);
    for (const sketch of [new KllSketch(), small, merged]) {
      const text = JSON.stringify(sketch.serialize());
      const restored = KllSketch.deserialize(JSON.parse(text));
      expect(JSON.stringify(restored.serialize())).toBe(text);
      expect(restored.n).toBe(sketch.n);
      expect(restored.quantiles([0.1, 0.5, 0.9])).toEqual(sketch.quantiles([0.1, 0.5, 0.9]));
    }
  });

  it('ignores non-finite values and answers NaN when empty', () => {
    const sketch = new KllSketch();
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) sketch.update(v);
    expect(sketch.n).toBe(0);
    expect(sketch.quantile(0.5)).toBeNaN();
    expect(sketch.cdf(0)).toBeNaN();
    expect(sketch.min).toBeNaN();
    expect(sketch.serialize().payload.min).toBeNull();
    sketch.update(2);
    expect(sketch.quantile(0.5)).toBe(2);
    expect(() => sketch.quantile(1.5)).toThrow(RangeError);
    expect(() => sketch.quantile(Number.NaN)).toThrow(RangeError);
  });

  it('refuses to merge another k or another kind of sketch', () => {
    const expectCode = (fn: () => unknown, code: string) => {
      expect(fn).toThrowError(SketchFormatError);
      try {
        fn();
      } catch (error) {
        expect((error as SketchFormatError).code).toBe(code);
      }
    };
    expectCode(() => new KllSketch(200).merge(new KllSketch(100)), 'PARAMS_MISMATCH');
    expectCode(() => new KllSketch().merge(new MisraGries() as unknown as KllSketch), 'TYPE_MISMATCH');
  });

  it('refuses inconsistent payloads', () => {
    const sketch = new KllSketch(8, 1);
    for (let i = 1; i <= 40; i++) sketch.update(i);
    const good = JSON.parse(JSON.stringify(sketch.serialize()));
    const withPayload = (change: Record<string, unknown>) => ({ ...good, payload: { ...good.payload, ...change } });
    const upper = good.payload.levels.findIndex((l: number[], h: number) => h > 0 && l.length > 1);
    expect(upper).toBeGreaterThan(0);
    const unsorted = good.payload.levels.map((l: number[], h: number) => (h === upper ? [...l].reverse() : l));
    const cases: Array<[unknown, string]> = [
      [{ ...good, type: 'hyperloglog' }, 'TYPE_MISMATCH'],
      [{ ...good, params: { k: 16 } }, 'INVALID_PAYLOAD'],
      [{ ...good, n: 41, payload: { ...good.payload, n: 41 } }, 'INVALID_PAYLOAD'],
      [withPayload({ levels: unsorted }), 'INVALID_PAYLOAD'],
      [withPayload({ max: 30 }), 'INVALID_PAYLOAD'],
      [withPayload({ rng: -1 }), 'INVALID_PAYLOAD'],
      [withPayload({ levels: [[Number.NaN]] }), 'INVALID_PAYLOAD'],
    ];
    for (const [input, code] of cases) {
      let caught: unknown;
      try {
        KllSketch.deserialize(input);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(input).slice(0, 120)).toBeInstanceOf(SketchFormatError);
      expect((caught as SketchFormatError).code).toBe(code);
    }
  });
});

describe('KllSketch.clone', () => {
  it('copies the state exactly and independently', () => {
    const a = new KllSketch(16, 3);
    for (let i = 0; i < 500; i++) a.update(i % 97);
    const b = a.clone();
    expect(JSON.stringify(b.serialize())).toBe(JSON.stringify(a.serialize()));
    b.update(1e9);
    expect(a.max).toBe(96);
    expect(b.max).toBe(1e9);
  });
});
