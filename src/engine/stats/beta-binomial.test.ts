import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../test/support/random.js';
import { betaBinomialLogPmf, betaBinomialUpperTail } from './beta-binomial.js';

describe('beta-binomial', () => {
  it('is uniform for α = β = 1', () => {
    for (let k = 0; k <= 4; k++) expect(Math.exp(betaBinomialLogPmf(k, 4, 1, 1))).toBeCloseTo(1 / 5, 12);
    expect(betaBinomialUpperTail(1, 2, 1, 1)).toBeCloseTo(2 / 3, 12);
    expect(betaBinomialUpperTail(3, 4, 1, 1)).toBeCloseTo(2 / 5, 12);
  });

  it('sums to 1 and handles the edges', () => {
    let total = 0;
    for (let k = 0; k <= 50; k++) total += Math.exp(betaBinomialLogPmf(k, 50, 2.5, 7));
    expect(total).toBeCloseTo(1, 12);
    expect(betaBinomialUpperTail(0, 50, 2, 3)).toBe(1);
    expect(betaBinomialUpperTail(51, 50, 2, 3)).toBe(0);
  });

  it('gives the chance that new values fall beyond the extremes of a pilot sample (seeded simulation)', () => {
    // n = 30 pilot values, m = 20 new values from the same distribution: how many exceed the pilot's range?
    // Coverage outside [min, max] ~ Beta(2, 29).
    const random = createRandom(11);
    const trials = 20_000;
    let atLeast3 = 0;
    for (let t = 0; t < trials; t++) {
      const pilot = Array.from({ length: 30 }, () => random.next());
      const lo = Math.min(...pilot);
      const hi = Math.max(...pilot);
      let outside = 0;
      for (let i = 0; i < 20; i++) {
        const v = random.next();
        if (v < lo || v > hi) outside++;
      }
      if (outside >= 3) atLeast3++;
    }
    expect(Math.abs(atLeast3 / trials - betaBinomialUpperTail(3, 20, 2, 29))).toBeLessThan(0.006);
  });
});
