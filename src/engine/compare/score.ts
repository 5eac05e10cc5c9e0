import { DIMENSIONS, type Dimension, dimensionRecord } from './drs-parameters.js';
import type { DimensionRecord } from './reality-report.js';

/** One column's inputs to the score. */
export interface ScoredColumn {
  readonly name: string;
  /** a_j ≥ 0. */
  readonly importance: number;
  /** s_{d,j} in [0, 1], null when not assessable for this column. */
  readonly credits: DimensionRecord<number | null>;
  /** 95% half-width of each s_{d,j}. */
  readonly halfWidths: DimensionRecord<number>;
}

/** The score and its exact additive breakdown. */
export interface ScoreBreakdown {
  /** DRS = 100 · Σ_d w_d S_d / W over assessable dimensions (100 when nothing is assessable). */
  readonly score: number;
  /** 100 · S_d, null when no column with positive importance is assessable in d. */
  readonly dimensions: DimensionRecord<number | null>;
  /** w_d / W for assessable dimensions, 0 for the others. */
  readonly weights: DimensionRecord<number>;
  /** Per column, in input order: points lost in total and per dimension. */
  readonly columns: ReadonlyArray<{ readonly pointsLost: number; readonly pointsLostByDimension: DimensionRecord<number> }>;
  /** Conservative 95% half-width of the score, in points. */
  readonly halfWidth: number;
}

/**
 * The data-reality score (METRICS §5.2): S_d = Σ_j a_j s_{d,j} / Σ_j a_j over the columns assessable in d;
 * DRS = 100 · Σ_d w_d S_d / W with W the sum of weights of assessable dimensions. Points lost per column and
 * dimension are 100 · (w_d/W) · (a_j/Σa_d) · (1 − s_{d,j}), so they add up to 100 − DRS exactly (to rounding).
 */
export function computeScore(columns: readonly ScoredColumn[], weights: Readonly<Record<Dimension, number>>): ScoreBreakdown {
  const importanceSum: Record<Dimension, number> = dimensionRecord(() => 0);
  for (const c of columns) {
    for (const d of DIMENSIONS) if (c.importance > 0 && c.credits[d] !== null) importanceSum[d] += c.importance;
  }
  const assessable = DIMENSIONS.filter((d) => importanceSum[d] > 0 && weights[d] > 0);
  const W = assessable.reduce((s, d) => s + weights[d], 0);
  const share: Record<Dimension, number> = dimensionRecord(() => 0);
  for (const d of assessable) share[d] = weights[d] / W;

  const dimensions: Record<Dimension, number | null> = dimensionRecord(() => null);
  const sums: Record<Dimension, number> = dimensionRecord(() => 0);
  let halfWidth = 0;
  const perColumn = columns.map((c) => {
    const byDimension: Record<Dimension, number> = dimensionRecord(() => 0);
    let total = 0;
    for (const d of assessable) {
      const credit = c.credits[d];
      if (credit === null || c.importance <= 0) continue;
      const s = Math.min(1, Math.max(0, credit));
      const columnShare = c.importance / importanceSum[d];
      sums[d] += columnShare * s;
      const lost = 100 * share[d] * columnShare * (1 - s);
      byDimension[d] = lost;
      total += lost;
      halfWidth += 100 * share[d] * columnShare * c.halfWidths[d];
    }
    return { pointsLost: total, pointsLostByDimension: byDimension };
  });
  let score = 0;
  for (const d of assessable) {
    dimensions[d] = 100 * sums[d];
    score += share[d] * 100 * sums[d];
  }
  if (assessable.length === 0) score = 100;
  return { score, dimensions, weights: share, columns: perColumn, halfWidth: Math.min(100, halfWidth) };
}

/** x rounded to two decimals. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * The breakdown as it is served (METRICS §8): score and dimensions clamped to 0–100 and rounded to two decimals,
 * points lost rounded to hundredths by largest remainder so that, over all columns and dimensions, they add up
 * to exactly 100 − score in hundredths, and each column's total is the sum of its dimensions.
 */
export function roundBreakdown(breakdown: ScoreBreakdown): ScoreBreakdown {
  const score = round2(Math.min(100, Math.max(0, breakdown.score)));
  const target = Math.round((100 - score) * 100);
  const cells: Array<{ column: number; dimension: Dimension; units: number; remainder: number }> = [];
  breakdown.columns.forEach((c, column) => {
    for (const dimension of DIMENSIONS) {
      const scaled = Math.max(0, c.pointsLostByDimension[dimension]) * 100;
      const units = Math.floor(scaled + 1e-9);
      cells.push({ column, dimension, units, remainder: scaled - units });
    }
  });
  let missing = target - cells.reduce((s, cell) => s + cell.units, 0);
  for (const cell of [...cells].sort((a, b) => b.remainder - a.remainder)) {
    if (missing <= 0) break;
    if (cell.remainder <= 0) break;
    cell.units++;
    missing--;
  }
  const columns = breakdown.columns.map(() => {
    const byDimension: Record<Dimension, number> = dimensionRecord(() => 0);
    return { byDimension, units: 0 };
  });
  for (const cell of cells) {
    columns[cell.column].byDimension[cell.dimension] = cell.units / 100;
    columns[cell.column].units += cell.units;
  }
  const dimensions: Record<Dimension, number | null> = dimensionRecord(() => null);
  for (const d of DIMENSIONS) {
    const value = breakdown.dimensions[d];
    dimensions[d] = value === null ? null : round2(Math.min(100, Math.max(0, value)));
  }
  return {
    score,
    dimensions,
    weights: breakdown.weights,
    columns: columns.map((c) => ({ pointsLost: c.units / 100, pointsLostByDimension: c.byDimension })),
    halfWidth: round2(breakdown.halfWidth),
  };
}
