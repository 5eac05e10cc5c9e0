import { describe, expect, it } from 'vitest';
import { goodTuringUnseenShare, testUnseenShare } from './good-turing.js';

describe('Good–Turing', () => {
  it('is N₁/N', () => {
    expect(goodTuringUnseenShare([1, 1, 2, 6])).toBeCloseTo(0.2, 14);
    expect(goodTuringUnseenShare([])).toBe(0);
  });

  it('flags only an excess of at least 1 pp beyond 3σ of the binomial', () => {
    // expected 3%, m = 1000: σ = √(0.03·0.97/1000) ≈ 0.0054; 3σ ≈ 0.0162.
    expect(testUnseenShare(0.045, 0.03, 1000).flagged).toBe(false);
    expect(testUnseenShare(0.05, 0.03, 1000).flagged).toBe(true);
    // Beyond 3σ but under 1 pp: noted, not flagged.
    const small = testUnseenShare(0.004, 0, 5000);
    expect(small.beyondNoise).toBe(true);
    expect(small.flagged).toBe(false);
  });
});
