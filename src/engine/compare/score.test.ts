import { describe, expect, it } from 'vitest';
import { DIMENSION_WEIGHTS, DIMENSIONS } from './drs-parameters.js';
import { computeScore, type ScoredColumn } from './score.js';

const noWidth = { completeness: 0, format: 0, freshness: 0, schema: 0, distribution: 0 };

describe('computeScore', () => {
  it('weights dimensions and columns as METRICS §5.2 states, on a hand-checked case', () => {
    const columns: ScoredColumn[] = [
      { name: 'a', importance: 3, credits: { completeness: 0.5, format: 1, freshness: 0.8, schema: 1, distribution: null }, halfWidths: noWidth },
      { name: 'b', importance: 1, credits: { completeness: 1, format: 0, freshness: null, schema: 0.9, distribution: null }, halfWidths: noWidth },
    ];
    const r = computeScore(columns, DIMENSION_WEIGHTS);
    // Distribution is not assessable: W = 0.25 + 0.20 + 0.15 + 0.15 = 0.75.
    const sC = (3 * 0.5 + 1 * 1) / 4;
    const sF = (3 * 1 + 1 * 0) / 4;
    const sT = 0.8;
    const sS = (3 * 1 + 1 * 0.9) / 4;
    const expected = (100 * (0.25 * sC + 0.2 * sF + 0.15 * sT + 0.15 * sS)) / 0.75;
    expect(r.score).toBeCloseTo(expected, 10);
    expect(r.dimensions.distribution).toBeNull();
    expect(r.dimensions.completeness).toBeCloseTo(100 * sC, 10);
    expect(r.weights.distribution).toBe(0);
    expect(r.weights.completeness).toBeCloseTo(0.25 / 0.75, 12);
    // a loses (100·w_C/W)·(3/4)·0.5 in completeness.
    expect(r.columns[0].pointsLostByDimension.completeness).toBeCloseTo((100 * 0.25) / 0.75 * 0.75 * 0.5, 10);
    const totalLost = r.columns.reduce((s, c) => s + c.pointsLost, 0);
    expect(totalLost).toBeCloseTo(100 - r.score, 10);
    for (const c of r.columns) {
      expect(DIMENSIONS.reduce((s, d) => s + c.pointsLostByDimension[d], 0)).toBeCloseTo(c.pointsLost, 12);
    }
  });

  it('ignores columns of importance 0 and scores 100 when nothing is assessable', () => {
    const ignored: ScoredColumn = { name: 'x', importance: 0, credits: { completeness: 0, format: 0, freshness: 0, schema: 0, distribution: 0 }, halfWidths: noWidth };
    const r = computeScore([ignored], DIMENSION_WEIGHTS);
    expect(r.score).toBe(100);
    expect(Object.values(r.dimensions).every((v) => v === null)).toBe(true);
  });

  it('adds up the half-widths conservatively', () => {
    const c: ScoredColumn = { name: 'a', importance: 1, credits: { completeness: 1, format: 1, freshness: null, schema: 1, distribution: null }, halfWidths: { ...noWidth, completeness: 0.04, format: 0.02 } };
    const r = computeScore([c], DIMENSION_WEIGHTS);
    expect(r.halfWidth).toBeCloseTo(100 * ((0.25 / 0.6) * 0.04 + (0.2 / 0.6) * 0.02), 10);
  });
});
