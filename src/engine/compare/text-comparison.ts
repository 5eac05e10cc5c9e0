import type { KllSketch } from '../sketch/kll.js';
import type { FindingDraft } from './finding-draft.js';
import { fixed, number } from './message-format.js';
import { distributionCredit, testDrift } from './numeric-comparison.js';
import type { LengthEvidence } from './reality-report.js';

/** Free text compared by the lengths of its values. */
export interface TextComparison {
  readonly evidence: LengthEvidence;
  /** d_j from the corrected PSI of the lengths, 1 unless drift is confirmed. */
  readonly credit: number;
  readonly halfWidth: number;
  readonly findings: readonly FindingDraft[];
}

/**
 * Compares free text by the distribution of its values' lengths (METRICS §8): which words a sample holds is
 * content, but text cut short, padded or replaced by codes changes its lengths. The same test as numbers:
 * PSI at the pilot's deciles after the sample-size correction, confirmed by KS beyond the sketches' error.
 * Hygiene (stray spaces, garbled characters) is judged with the formats. Null with fewer than 100 values a side.
 */
export function compareTextLengths(column: string, pilot: KllSketch, production: KllSketch): TextComparison | null {
  const drift = testDrift(pilot, production);
  if (drift === null) return null;
  const pilotMedian = pilot.quantile(0.5);
  const productionMedian = production.quantile(0.5);
  const evidence: LengthEvidence = {
    n: drift.n,
    m: drift.m,
    psi: drift.psi,
    psiAdjusted: drift.psiTest.psiAdjusted,
    psiCritical: drift.psiTest.critical,
    ks: drift.ks,
    ksCritical: drift.ksTest.critical,
    pilotMedianLength: pilotMedian,
    productionMedianLength: productionMedian,
    pilotMaxLength: pilot.max,
    productionMaxLength: production.max,
  };
  const findings: FindingDraft[] = [];
  if (drift.level !== 'none') {
    const direction = productionMedian < pilotMedian ? 'shorter' : productionMedian > pilotMedian ? 'longer' : 'of other lengths';
    findings.push({
      code: 'TEXT_LENGTH_DRIFT',
      dimension: 'distribution',
      severity: drift.level === 'drift' ? 'critical' : 'warning',
      message:
        `${column}: production's texts are ${direction} (median ${number(productionMedian)} characters, the pilot's ${number(pilotMedian)}; ` +
        `PSI ${fixed(drift.psiTest.psiAdjusted, 2)} after sample-size correction).`,
      evidence: { ...evidence },
    });
  }
  const credit = drift.confirmed ? distributionCredit(drift.psiTest.psiAdjusted) : 1;
  const halfWidth = 1 - distributionCredit(Math.max(0, drift.psiTest.critical - drift.psiTest.expectedUnderNoChange));
  return { evidence, credit, halfWidth, findings };
}
