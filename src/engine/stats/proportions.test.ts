import { describe, expect, it } from 'vitest';
import { cohenH, expectedAbsoluteDifference, wilsonInterval } from './proportions.js';

describe('proportions', () => {
  it("computes Cohen's h", () => {
    expect(cohenH(0.5, 0.5)).toBe(0);
    expect(cohenH(1, 0)).toBeCloseTo(Math.PI, 14);
    expect(cohenH(0.9, 0.6)).toBeCloseTo(2 * Math.asin(Math.sqrt(0.9)) - 2 * Math.asin(Math.sqrt(0.6)), 14);
  });

  it('gives the published Wilson interval for 0/10 and 5/10', () => {
    const zero = wilsonInterval(0, 10);
    expect(zero.low).toBeCloseTo(0, 12);
    expect(zero.high).toBeCloseTo(0.2775, 4);
    const half = wilsonInterval(5, 10);
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(half.high).toBeCloseTo(0.7634, 4);
  });

  it('gives σ·√(2/π) as the expected absolute difference', () => {
    expect(expectedAbsoluteDifference(0.5, 100, 100)).toBeCloseTo(Math.sqrt(0.25 * 0.02) * Math.sqrt(2 / Math.PI), 14);
    expect(expectedAbsoluteDifference(1, 100, 100)).toBe(0);
  });
});
