import type { ColumnSnapshot } from '../model/snapshot.js';
import { chiSquareTwoSample } from '../stats/contingency.js';
import { totalVariation, tvdExpectedUnderNoChange } from '../stats/distances.js';
import {
  DUPLICATE_CRITICAL,
  DUPLICATE_FLAG,
  DUPLICATE_FULL_LOSS,
  FORMAT_SIGNIFICANCE_P,
  FORMAT_TVD_CRITICAL,
  FORMAT_TVD_FLAG,
  SHAPE_COVERAGE,
} from './drs-parameters.js';
import type { FindingDraft } from './finding-draft.js';
import { fixed, number, percent, shareRange } from './message-format.js';
import { distributionCredit, testDrift } from './numeric-comparison.js';
import type { IdentifierEvidence } from './reality-report.js';

/** An identifier column pair: uniqueness (distribution dimension), shape and length (format dimension). */
export interface IdentifierComparison {
  readonly evidence: IdentifierEvidence;
  /** Distribution credit: 1 − excess duplicate share / 0.2, in [0, 1]. */
  readonly credit: number;
  /** Share of values that moved to another shape or length beyond noise (charged in the format dimension). */
  readonly shapeMoved: number;
  readonly findings: readonly FindingDraft[];
  readonly formatFindings: readonly FindingDraft[];
}

/** Bounds of the share of values that repeat an earlier one: 1 − distinct / present. */
function duplicateShare(column: ColumnSnapshot): { low: number; high: number } {
  const present = column.counts.present;
  if (present === 0) return { low: 0, high: 0 };
  return {
    low: Math.max(0, 1 - column.distinctBounds.high / present),
    high: Math.max(0, 1 - column.distinctBounds.low / present),
  };
}

/**
 * Compares an identifier column (METRICS §8): a key that gains duplicates in production is a finding of its
 * own. Under no change the duplicate share of a sample grows in proportion to its size (pairs of repeated
 * keys are found twice as often in a sample twice as large), so production is held to the pilot's share
 * scaled to production's size, taken at its upper bound, plus three binomial standard deviations; the
 * distinct counts' sketch bounds are carried into both shares. Shapes (or, without an exact shape summary,
 * lengths) are compared as formats are.
 */
export function compareIdentifier(column: string, pilot: ColumnSnapshot, production: ColumnSnapshot): IdentifierComparison {
  const n = pilot.counts.present;
  const m = production.counts.present;
  const dP = duplicateShare(pilot);
  const dQ = duplicateShare(production);
  const expected = n > 0 ? Math.min(1, (dP.high * m) / n) : 0;
  const noise = m > 0 ? 3 * Math.sqrt((Math.max(expected, 1 / m) * (1 - expected)) / m) : 0;
  const excess = Math.max(0, dQ.low - expected - noise);
  const evidence: IdentifierEvidence = {
    pilotDuplicateShare: dP.low,
    pilotDuplicateShareMax: dP.high,
    productionDuplicateShare: dQ.low,
    productionDuplicateShareMax: dQ.high,
    expectedDuplicateShare: expected,
    allowance: noise,
    excess,
    exact: pilot.distinctExact && production.distinctExact,
  };
  const findings: FindingDraft[] = [];
  if (excess >= DUPLICATE_FLAG && m > 0) {
    findings.push({
      code: 'DUPLICATE_KEYS',
      dimension: 'distribution',
      severity: excess >= DUPLICATE_CRITICAL ? 'critical' : 'warning',
      message:
        `${column}: ${shareRange(dQ.low, dQ.high)} of production values repeat another row's value in this identifier column, ` +
        `where the pilot's ${shareRange(dP.low, dP.high)} predicts at most ${percent(expected)} at production's size.`,
      evidence: { ...evidence },
    });
  }
  const credit = Math.max(0, Math.min(1, 1 - excess / DUPLICATE_FULL_LOSS));
  const shape = compareShapes(column, pilot, production);
  return { evidence, credit, shapeMoved: shape.moved, findings, formatFindings: shape.findings };
}

/** Shares of the shapes of an exact shape summary that covers most values, else null. */
function shapeCounts(column: ColumnSnapshot): Map<string, number> | null {
  const shapes = column.shapes;
  if (!shapes.exact() || column.counts.present === 0 || shapes.n < SHAPE_COVERAGE * column.counts.present) return null;
  return new Map(shapes.items());
}

function compareShapes(column: string, pilot: ColumnSnapshot, production: ColumnSnapshot): { moved: number; findings: FindingDraft[] } {
  const shapesP = shapeCounts(pilot);
  const shapesQ = shapeCounts(production);
  if (shapesP !== null && shapesQ !== null) {
    const keys = [...new Set([...shapesP.keys(), ...shapesQ.keys()])].sort();
    const n = pilot.shapes.n;
    const m = production.shapes.n;
    const p = keys.map((k) => (shapesP.get(k) ?? 0) / n);
    const q = keys.map((k) => (shapesQ.get(k) ?? 0) / m);
    const tvd = totalVariation(p, q);
    const tvdExpected = tvdExpectedUnderNoChange(p, n, m);
    const tvdAdjusted = Math.max(0, tvd - tvdExpected);
    const test = chiSquareTwoSample(
      keys.map((k) => shapesP.get(k) ?? 0),
      keys.map((k) => shapesQ.get(k) ?? 0),
    );
    if (tvdAdjusted < FORMAT_TVD_FLAG || test.pValue >= FORMAT_SIGNIFICANCE_P) return { moved: 0, findings: [] };
    let gained = 0;
    for (let i = 1; i < keys.length; i++) if (q[i] - p[i] > q[gained] - p[gained]) gained = i;
    return {
      moved: tvdAdjusted,
      findings: [
        {
          code: 'KEY_SHAPE_CHANGED',
          dimension: 'format',
          severity: tvdAdjusted >= FORMAT_TVD_CRITICAL ? 'critical' : 'warning',
          message: `${column}: ${percent(q[gained])} of production keys are shaped ${keys[gained]} (pilot ${percent(p[gained])}).`,
          evidence: { shape: keys[gained], pilotShare: p[gained], productionShare: q[gained], tvd, tvdExpected, tvdAdjusted, pValue: test.pValue },
        },
      ],
    };
  }
  const drift = testDrift(pilot.lengths, production.lengths);
  if (drift === null || drift.level === 'none') return { moved: 0, findings: [] };
  const pilotMedian = pilot.lengths.quantile(0.5);
  const productionMedian = production.lengths.quantile(0.5);
  return {
    moved: 1 - distributionCredit(drift.psiTest.psiAdjusted),
    findings: [
      {
        code: 'KEY_SHAPE_CHANGED',
        dimension: 'format',
        severity: drift.level === 'drift' ? 'critical' : 'warning',
        message: `${column}: production keys have other lengths (median ${number(productionMedian)} characters, the pilot's ${number(pilotMedian)}; PSI ${fixed(drift.psiTest.psiAdjusted, 2)} after sample-size correction).`,
        evidence: { pilotMedianLength: pilotMedian, productionMedianLength: productionMedian, psiAdjusted: drift.psiTest.psiAdjusted, ks: drift.ks, ksCritical: drift.ksTest.critical },
      },
    ],
  };
}
