import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../test/support/random.js';
import { goodTuringUnseenShare, goodTuringVariance, testUnseenShare } from './good-turing.js';

describe('Good–Turing', () => {
  it('is N₁/N', () => {
    expect(goodTuringUnseenShare([1, 1, 2, 6])).toBeCloseTo(0.2, 14);
    expect(goodTuringUnseenShare([])).toBe(0);
  });

  it("has Esty's error variance (N₁ + 2N₂ − N₁²/N)/N²", () => {
    // N = 10, N₁ = 2, N₂ = 1: (2 + 2 − 0.4) / 100
    expect(goodTuringVariance([1, 1, 2, 6])).toBeCloseTo(0.036, 14);
    expect(goodTuringVariance([])).toBe(0);
  });

  it('predicts the spread of its own error on a long-tailed population', () => {
    // Zipf over 2,000 values; the true unseen mass of a sample is the probability of the values it missed.
    const weights = Array.from({ length: 2000 }, (_, i) => 1 / (i + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const cumulative: number[] = [];
    let acc = 0;
    for (const w of weights) cumulative.push((acc += w / total));
    const random = createRandom(17);
    const draw = (): number => {
      const u = random.next();
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid] >= u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    const errors: number[] = [];
    const predicted: number[] = [];
    const singletonsOnly: number[] = [];
    for (let trial = 0; trial < 400; trial++) {
      const counts = new Map<number, number>();
      for (let i = 0; i < 2000; i++) {
        const v = draw();
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      let missed = 0;
      for (let v = 0; v < weights.length; v++) if (!counts.has(v)) missed += weights[v] / total;
      errors.push(goodTuringUnseenShare(counts.values()) - missed);
      predicted.push(goodTuringVariance(counts.values()));
      singletonsOnly.push(goodTuringUnseenShare(counts.values()) / 2000);
    }
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    const variance = errors.reduce((a, e) => a + (e - mean) ** 2, 0) / (errors.length - 1);
    const predictedMean = predicted.reduce((a, b) => a + b, 0) / predicted.length;
    expect(Math.abs(mean)).toBeLessThan(3 * Math.sqrt(variance / errors.length) + 0.002);
    expect(variance / predictedMean).toBeGreaterThan(0.6);
    expect(variance / predictedMean).toBeLessThan(1.4);
    // N₁/N² alone (the singletons' Poisson spread) understates it.
    expect(variance).toBeGreaterThan(1.2 * (singletonsOnly.reduce((a, b) => a + b, 0) / singletonsOnly.length));
  });

  it('flags only an excess of at least 1 pp beyond 4σ of the binomial and the estimator', () => {
    // expected 3%, m = 1000: σ = √(0.03·0.97/1000) ≈ 0.0054; 4σ ≈ 0.0216.
    expect(testUnseenShare(0.05, 0.03, 1000).flagged).toBe(false);
    expect(testUnseenShare(0.055, 0.03, 1000).flagged).toBe(true);
    // the estimator's own variance widens the band
    expect(testUnseenShare(0.05, 0.03, 1000, 0.01, 0.0001).flagged).toBe(false);
    // Beyond 3σ but under 1 pp: noted, not flagged.
    const small = testUnseenShare(0.004, 0, 5000);
    expect(small.beyondNoise).toBe(true);
    expect(small.flagged).toBe(false);
  });
});
