import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../test/support/random.js';
import { binSharesFromCdf, distinctEdges, psi, psiLevel, testPsi } from './psi.js';

/** Exact empirical CDF of a sample (share ≤ x). */
function ecdf(values: number[]): (x: number) => number {
  const sorted = [...values].sort((a, b) => a - b);
  return (x) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo / sorted.length;
  };
}

/** Exact decile cut points (inverted CDF, lower value) of a sample. */
function deciles(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return Array.from({ length: 9 }, (_, i) => sorted[Math.ceil(((i + 1) / 10) * sorted.length) - 1]);
}

describe('psi', () => {
  it('equals Σ (q − p) ln(q/p) on a hand-checked pair', () => {
    // 0.1·ln(0.6/0.4)... per bin: (0.4 − 0.5)·ln(0.8) + (0.6 − 0.5)·ln(1.2)
    const expected = -0.1 * Math.log(0.8) + 0.1 * Math.log(1.2);
    expect(psi([0.5, 0.5], [0.4, 0.6])).toBeCloseTo(expected, 15);
    expect(expected).toBeCloseTo(0.0405465, 6);
  });

  it('floors empty bins at 1e-4', () => {
    const expected = -0.1 * Math.log(0.8) + (0.1 - 1e-4) * Math.log(0.1 / 1e-4);
    expect(psi([0.5, 0.5, 0], [0.5, 0.4, 0.1])).toBeCloseTo(expected, 12);
  });

  it('is 0 for identical distributions and refuses mismatched bins', () => {
    expect(psi([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
    expect(() => psi([1], [0.5, 0.5])).toThrow(RangeError);
  });

  it('cuts bins from a CDF at distinct edges', () => {
    const cdf = ecdf([1, 1, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(distinctEdges([1, 1, 1, 3, 2, Number.NaN])).toEqual([1, 2, 3]);
    const shares = binSharesFromCdf([1, 3], cdf);
    expect(shares).toEqual([0.3, 0.2, 0.5]);
  });

  it('states the sampling expectation and critical value of METRICS §4.2', () => {
    // B = 10, n = 100, m = 10,000: E₀ = 9·(0.01 + 0.0001) = 0.0909; χ²₉ 95th pct 16.919 → 0.171.
    const t = testPsi(0.12, 10, 100, 10_000);
    expect(t.expectedUnderNoChange).toBeCloseTo(0.0909, 10);
    expect(t.psiAdjusted).toBeCloseTo(0.12 - 0.0909, 10);
    expect(t.critical).toBeCloseTo(21.666 * 0.0101, 3);
    expect(t.significant).toBe(false);
    expect(testPsi(0.12, 10, 100, 10_000, 0.95).critical).toBeCloseTo(0.1709, 3);
    expect(testPsi(0.02, 10, 500, 10_000).expectedUnderNoChange).toBeCloseTo(0.0189, 4);
  });

  it('grades corrected PSI as none / warn / drift', () => {
    expect(psiLevel(testPsi(0.5, 10, 10_000, 10_000))).toBe('drift');
    expect(psiLevel(testPsi(0.15, 10, 10_000, 10_000))).toBe('warn');
    expect(psiLevel(testPsi(0.05, 10, 10_000, 10_000))).toBe('none');
    // Large PSI on tiny samples is within noise: no call.
    expect(psiLevel(testPsi(0.3, 10, 100, 100))).toBe('none');
  });

  it('calls no drift on two samples of 100 from one distribution in at least 95 of 100 seeded trials', () => {
    let calls = 0;
    let uncorrectedCalls = 0;
    for (let trial = 0; trial < 100; trial++) {
      const random = createRandom(1000 + trial);
      const p = Array.from({ length: 100 }, () => random.normal());
      const q = Array.from({ length: 100 }, () => random.normal());
      const edges = distinctEdges(deciles(p));
      const value = psi(binSharesFromCdf(edges, ecdf(p)), binSharesFromCdf(edges, ecdf(q)));
      if (psiLevel(testPsi(value, edges.length + 1, 100, 100)) !== 'none') calls += 1;
      if (value >= 0.1) uncorrectedCalls += 1;
    }
    expect(calls).toBeLessThanOrEqual(5);
    // The correction matters: the raw 0.1 rule fires on most such pairs.
    expect(uncorrectedCalls).toBeGreaterThan(50);
  });

  it('still calls a real shift on 100-row samples', () => {
    let calls = 0;
    for (let trial = 0; trial < 20; trial++) {
      const random = createRandom(5000 + trial);
      const p = Array.from({ length: 100 }, () => random.normal());
      const q = Array.from({ length: 100 }, () => random.normal() + 1.5);
      const edges = distinctEdges(deciles(p));
      const value = psi(binSharesFromCdf(edges, ecdf(p)), binSharesFromCdf(edges, ecdf(q)));
      if (psiLevel(testPsi(value, edges.length + 1, 100, 100)) === 'drift') calls += 1;
    }
    expect(calls).toBeGreaterThanOrEqual(19);
  });
});

describe('psi floor', () => {
  it('is half a value for small samples and 1e-4 for large ones', async () => {
    const { psiFloor } = await import('./psi.js');
    expect(psiFloor(100)).toBe(0.005);
    expect(psiFloor(1_000_000)).toBe(1e-4);
    // A bin empty in a 100-value sample where the pilot had 10%: (0.1 − 0.005)·ln(0.1/0.005).
    expect(psi([0.5, 0.1, 0.4], [0.6, 0, 0.4], { expected: psiFloor(100), actual: psiFloor(100) })).toBeCloseTo(
      0.1 * Math.log(0.6 / 0.5) + (0.005 - 0.1) * Math.log(0.005 / 0.1),
      12,
    );
  });
});
