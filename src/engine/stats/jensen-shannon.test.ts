import { describe, expect, it } from 'vitest';
import { jensenShannonDistance, psiEquivalentOfJs } from './jensen-shannon.js';
import { psi } from './psi.js';

describe('jensen-shannon distance', () => {
  it('is 1 for disjoint supports and 0 for equal distributions', () => {
    expect(jensenShannonDistance([1, 0], [0, 1])).toBe(1);
    expect(jensenShannonDistance([0.3, 0.7], [0.3, 0.7])).toBe(0);
  });

  it('matches a hand computation in base 2', () => {
    // p = (½, ½), q = (1, 0), M = (¾, ¼):
    // KL(p‖M) = ½ log₂(⅔) + ½ log₂(2); KL(q‖M) = log₂(4/3); JSD = ½ (sum); distance = √JSD.
    const klP = 0.5 * Math.log2(0.5 / 0.75) + 0.5 * Math.log2(0.5 / 0.25);
    const klQ = Math.log2(1 / 0.75);
    const distance = Math.sqrt(0.5 * (klP + klQ));
    expect(jensenShannonDistance([0.5, 0.5], [1, 0])).toBeCloseTo(distance, 14);
    expect(distance).toBeCloseTo(0.557923, 6);
  });

  it('normalises counts to shares', () => {
    expect(jensenShannonDistance([5, 5], [10, 0])).toBeCloseTo(jensenShannonDistance([0.5, 0.5], [1, 0]), 14);
  });

  it('converts to a PSI equivalent that agrees with PSI on small differences', () => {
    const p = [0.2, 0.3, 0.5];
    const q = [0.22, 0.28, 0.5];
    const equivalent = psiEquivalentOfJs(jensenShannonDistance(p, q));
    expect(Math.abs(equivalent - psi(p, q)) / psi(p, q)).toBeLessThan(0.01);
    // The thresholds quoted in METRICS §4.2.
    expect(psiEquivalentOfJs(0.134)).toBeCloseTo(0.1, 2);
    expect(psiEquivalentOfJs(0.212)).toBeCloseTo(0.25, 2);
  });
});
