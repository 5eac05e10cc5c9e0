import { expect } from 'vitest';

/**
 * Fields of a column profile that come from a sketch (HyperLogLog, KLL, Misra–Gries): equal for
 * equal inputs, but only promised within the sketch's error bound.
 */
const SKETCH_FIELDS = new Set(['distinct', 'distinctExact', 'topValues', 'topValuesExact', 'length', 'freshness']);

type Json = Record<string, any>;

/**
 * Asserts that two profile documents agree: every counter exactly, and every sketch-derived
 * figure within its bound — distinct counts within 2% (HyperLogLog at its precision), quantiles
 * within 1% of the column's range (KLL's rank error), top-value counts within 1% of the rows.
 */
export function expectSameProfile(actual: Json, expected: Json): void {
  const { columns: actualColumns, asOf: _a, ...actualDataset } = actual;
  const { columns: expectedColumns, asOf: _e, ...expectedDataset } = expected;
  expect(actualDataset).toEqual(expectedDataset);
  expect(actualColumns.map((c: Json) => c.name)).toEqual(expectedColumns.map((c: Json) => c.name));
  const rows = expected.rows as number;
  for (let j = 0; j < expectedColumns.length; j++) {
    const a = actualColumns[j] as Json;
    const e = expectedColumns[j] as Json;
    const exactA = Object.fromEntries(Object.entries(a).filter(([k]) => !SKETCH_FIELDS.has(k) && k !== 'numeric'));
    const exactE = Object.fromEntries(Object.entries(e).filter(([k]) => !SKETCH_FIELDS.has(k) && k !== 'numeric'));
    expect(exactA, `column ${e.name}`).toEqual(exactE);

    expect(Math.abs(a.distinct - e.distinct), `distinct of ${e.name}`).toBeLessThanOrEqual(Math.max(1, 0.02 * e.distinct));
    if (e.numeric) {
      expect(a.numeric.min, `min of ${e.name}`).toBe(e.numeric.min);
      expect(a.numeric.max, `max of ${e.name}`).toBe(e.numeric.max);
      expect(a.numeric.mean, `mean of ${e.name}`).toBeCloseTo(e.numeric.mean, 6);
      expect(a.numeric.stddev, `stddev of ${e.name}`).toBeCloseTo(e.numeric.stddev, 6);
      const range = Math.max(1e-9, e.numeric.max - e.numeric.min);
      for (const q of ['p25', 'p50', 'p75']) {
        expect(Math.abs(a.numeric.quantiles[q] - e.numeric.quantiles[q]), `${q} of ${e.name}`).toBeLessThanOrEqual(0.01 * range);
      }
    } else {
      expect(a.numeric).toBeNull();
    }
    if (e.length) {
      expect(a.length.min).toBe(e.length.min);
      expect(a.length.max).toBe(e.length.max);
      expect(Math.abs(a.length.p50 - e.length.p50)).toBeLessThanOrEqual(0.01 * Math.max(1, e.length.max - e.length.min));
    }
    const topA = new Map<string, number>(a.topValues.map((t: Json) => [t.value, t.count]));
    for (const top of e.topValues.slice(0, 3)) {
      expect(Math.abs((topA.get(top.value) ?? 0) - top.count), `top value ${top.value} of ${e.name}`).toBeLessThanOrEqual(Math.max(1, 0.01 * rows));
    }
    if (e.freshness) expect(a.freshness.maxTimestamp).toBe(e.freshness.maxTimestamp);
    else expect(a.freshness).toBeNull();
  }
}
