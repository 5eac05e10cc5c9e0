import { describe, expect, it } from 'vitest';
import { normalizedWasserstein, wassersteinFromQuantiles, wassersteinProbabilities } from './wasserstein.js';

describe('wasserstein', () => {
  it('uses the midpoints of 100 rank slices', () => {
    const u = wassersteinProbabilities();
    expect(u).toHaveLength(100);
    expect(u[0]).toBeCloseTo(0.005, 12);
    expect(u[99]).toBeCloseTo(0.995, 12);
  });

  it('equals the shift between a distribution and its translate', () => {
    // Uniform(0,1) quantiles at u are u; shifted by 0.3 they are u + 0.3: W1 = 0.3, std = 1/√12.
    const u = wassersteinProbabilities();
    const p = u;
    const q = u.map((x) => x + 0.3);
    expect(wassersteinFromQuantiles(p, q)).toBeCloseTo(0.3, 12);
    expect(normalizedWasserstein(p, q, 1 / Math.sqrt(12))).toBeCloseTo(0.3 * Math.sqrt(12), 12);
  });

  it('handles a constant pilot', () => {
    expect(normalizedWasserstein([1, 1], [1, 1], 0)).toBe(0);
    expect(normalizedWasserstein([1, 1], [2, 2], 0)).toBeNull();
  });
});
