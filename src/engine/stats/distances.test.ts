import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../test/support/random.js';
import { lInfinity, totalVariation, tvdExpectedUnderNoChange } from './distances.js';

describe('L∞ and TVD', () => {
  it('match hand computations', () => {
    expect(lInfinity([0.5, 0.3, 0.2], [0.4, 0.45, 0.15])).toBeCloseTo(0.15, 14);
    expect(totalVariation([0.5, 0.3, 0.2], [0.4, 0.45, 0.15])).toBeCloseTo(0.15, 14);
    expect(totalVariation([1, 0], [0, 1])).toBe(1);
  });

  it('predicts the TVD of two samples from one distribution (seeded simulation)', () => {
    const shares = [0.6, 0.3, 0.08, 0.02];
    const n = 400;
    const m = 900;
    const random = createRandom(7);
    const draw = (size: number) => {
      const counts = new Array(shares.length).fill(0);
      for (let i = 0; i < size; i++) {
        let u = random.next();
        let k = 0;
        while (k < shares.length - 1 && u >= shares[k]) u -= shares[k++];
        counts[k]++;
      }
      return counts.map((c) => c / size);
    };
    let total = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) total += totalVariation(draw(n), draw(m));
    const simulated = total / trials;
    expect(Math.abs(tvdExpectedUnderNoChange(shares, n, m) - simulated) / simulated).toBeLessThan(0.08);
  });
});
