import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../test/support/random.js';
import { ksCritical, ksDistance, testKs } from './ks.js';

function ecdf(values: number[], strict = false): (x: number) => number {
  return (x) => values.filter((v) => (strict ? v < x : v <= x)).length / values.length;
}

/** Exact two-sample KS D by walking both sorted samples (the textbook algorithm). */
function exactKs(a: number[], b: number[]): number {
  const x = [...a].sort((s, t) => s - t);
  const y = [...b].sort((s, t) => s - t);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

describe('ks', () => {
  it('measures D on a hand-checked pair', () => {
    const p = [1, 2, 3, 4];
    const q = [3, 4, 5, 6];
    // At x = 2: F_P = 0.5, F_Q = 0.
    expect(ksDistance([...p, ...q], ecdf(p), ecdf(q))).toBe(0.5);
  });

  it('agrees with the exact algorithm on random samples with ties when both CDF sides are checked', () => {
    const random = createRandom(42);
    for (let trial = 0; trial < 20; trial++) {
      const p = Array.from({ length: 60 }, () => random.int(12));
      const q = Array.from({ length: 45 }, () => random.int(12) + (trial % 3));
      const points = [...p, ...q];
      expect(ksDistance(points, ecdf(p), ecdf(q), ecdf(p, true), ecdf(q, true))).toBeCloseTo(exactKs(p, q), 12);
    }
  });

  it('uses the critical value 1.358·√((n+m)/(nm))', () => {
    expect(ksCritical(400, 400)).toBeCloseTo(0.096, 3);
    expect(ksCritical(100, 300)).toBeCloseTo(1.358 * Math.sqrt(400 / 30_000), 12);
  });

  it('subtracts the sketch noise floor before judging', () => {
    expect(testKs(0.12, 400, 400, 0, 0).significant).toBe(true);
    expect(testKs(0.12, 400, 400, 0.0133, 0.0133).significant).toBe(false);
  });
});
