import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareQuantile, logGamma, normalCdf, normalQuantile } from './chi-square.js';

describe('chi-square distribution', () => {
  it('matches the closed form of the CDF for even degrees of freedom', () => {
    // For df = 2k: P(X ≤ x) = 1 − e^{−x/2} Σ_{i<k} (x/2)^i / i!
    const closed = (x: number, k: number) => {
      let s = 0;
      let term = 1;
      for (let i = 0; i < k; i++) {
        s += term;
        term *= x / 2 / (i + 1);
      }
      return 1 - Math.exp(-x / 2) * s;
    };
    for (const [x, df] of [[2, 2], [3, 4], [10, 6], [0.1, 2], [40, 20]] as const) {
      expect(chiSquareCdf(x, df)).toBeCloseTo(closed(x, df / 2), 12);
    }
  });

  it('returns the quantiles printed in standard χ² tables', () => {
    const table: Array<[number, number, number]> = [
      [0.95, 1, 3.8415],
      [0.99, 9, 21.666],
      [0.99, 2, 9.2103],
      [0.95, 10, 18.307],
      [0.99, 100, 135.807],
      [0.5, 1, 0.45494],
      [0.01, 5, 0.55430],
      [0.999, 1, 10.828],
    ];
    for (const [p, df, value] of table) {
      expect(Math.abs(chiSquareQuantile(p, df) - value) / value).toBeLessThan(5e-5);
    }
  });

  it('inverts its own CDF across a range of degrees of freedom', () => {
    for (const df of [1, 3, 9, 50, 255, 1000]) {
      for (const p of [0.001, 0.05, 0.5, 0.95, 0.99]) {
        expect(chiSquareCdf(chiSquareQuantile(p, df), df)).toBeCloseTo(p, 9);
      }
    }
  });

  it('computes ln Γ at known points', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it('returns standard normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
  });

  it('rejects impossible arguments', () => {
    expect(() => chiSquareQuantile(1, 3)).toThrow(RangeError);
    expect(() => chiSquareQuantile(0.5, 0)).toThrow(RangeError);
  });
});
