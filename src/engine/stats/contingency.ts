import { chiSquareCdf } from './chi-square.js';

/** Pearson χ² test of homogeneity of two samples over the same categories. */
export interface ChiSquareTest {
  readonly statistic: number;
  /** (rows − 1)(categories − 1) over the categories seen on either side. */
  readonly df: number;
  readonly pValue: number;
  /** Cramér's V = √(χ² / (N · (min(2, K) − 1))): an effect size in [0, 1] that does not grow with N. */
  readonly cramersV: number;
}

/**
 * χ² on the 2×K table of counts. Categories empty on both sides are dropped; with fewer than 2 categories
 * the samples cannot differ (statistic 0, V 0).
 */
export function chiSquareTwoSample(countsP: readonly number[], countsQ: readonly number[]): ChiSquareTest {
  if (countsP.length !== countsQ.length) {
    throw new RangeError(`χ² needs count vectors of equal length, got ${countsP.length} and ${countsQ.length}`);
  }
  let n = 0;
  let m = 0;
  const keep: number[] = [];
  for (let i = 0; i < countsP.length; i++) {
    if (countsP[i] < 0 || countsQ[i] < 0) throw new RangeError(`χ² needs non-negative counts, got ${countsP[i]}, ${countsQ[i]}`);
    n += countsP[i];
    m += countsQ[i];
    if (countsP[i] + countsQ[i] > 0) keep.push(i);
  }
  const total = n + m;
  if (keep.length < 2 || n === 0 || m === 0) return { statistic: 0, df: Math.max(0, keep.length - 1), pValue: 1, cramersV: 0 };
  let statistic = 0;
  for (const i of keep) {
    const column = countsP[i] + countsQ[i];
    const eP = (n * column) / total;
    const eQ = (m * column) / total;
    statistic += (countsP[i] - eP) ** 2 / eP + (countsQ[i] - eQ) ** 2 / eQ;
  }
  const df = keep.length - 1;
  return {
    statistic,
    df,
    pValue: 1 - chiSquareCdf(statistic, df),
    cramersV: Math.sqrt(Math.min(1, statistic / total)),
  };
}
