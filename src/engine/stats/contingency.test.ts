import { describe, expect, it } from 'vitest';
import { chiSquareTwoSample } from './contingency.js';

describe('χ² two-sample test', () => {
  it('matches a hand-computed 2×2 table', () => {
    // Expected 15 in every cell: χ² = 4·(5²/15) = 6.667; V = √(6.667/60) = 1/3; p = P(χ²₁ > 6.667) ≈ 0.00982.
    const t = chiSquareTwoSample([10, 20], [20, 10]);
    expect(t.statistic).toBeCloseTo(20 / 3, 12);
    expect(t.df).toBe(1);
    expect(t.cramersV).toBeCloseTo(1 / 3, 12);
    expect(t.pValue).toBeCloseTo(0.009823, 5);
  });

  it('is 0 for proportional samples and drops categories empty on both sides', () => {
    const t = chiSquareTwoSample([10, 30, 0], [20, 60, 0]);
    expect(t.statistic).toBeCloseTo(0, 12);
    expect(t.df).toBe(1);
    expect(t.cramersV).toBeCloseTo(0, 12);
  });

  it('gives V = 1 for disjoint samples', () => {
    expect(chiSquareTwoSample([10, 0], [0, 7]).cramersV).toBeCloseTo(1, 12);
  });
});
