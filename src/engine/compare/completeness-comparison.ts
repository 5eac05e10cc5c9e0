import type { ColumnSnapshot } from '../model/snapshot.js';
import { chiSquareTwoSample } from '../stats/contingency.js';
import { cohenH, expectedAbsoluteDifference, wilsonInterval } from '../stats/proportions.js';
import { NULL_COHEN_H_FLAG, NULL_DELTA_CRITICAL, NULL_DELTA_FLAG, SIGNIFICANCE_P } from './drs-parameters.js';
import type { FindingDraft } from './finding-draft.js';
import { percent, quote } from './message-format.js';
import type { CompletenessEvidence } from './reality-report.js';

/** Completeness of one column pair: evidence, credit c_j and findings. */
export interface CompletenessComparison {
  readonly evidence: CompletenessEvidence;
  /** c_j = min(1, (C_Q + e₀) / max(C_P, 0.01)), e₀ the |ΔC| two samples of one population show on average. */
  readonly credit: number;
  /** 95% half-width of c_j (Wilson, both sides). */
  readonly halfWidth: number;
  readonly findings: readonly FindingDraft[];
}

/**
 * Compares completeness (METRICS §4.2 null-rate delta): flags an increase of missing cells when
 * Δ ≥ 0.05, Cohen's h ≥ 0.2 and the difference is beyond sampling noise (χ² p < 0.01).
 * Blank cells and placeholder tokens are reported apart, as their fixes differ.
 */
export function compareCompleteness(column: string, pilot: ColumnSnapshot, production: ColumnSnapshot): CompletenessComparison {
  const cP = pilot.completeness;
  const cQ = production.completeness;
  const n = pilot.rows;
  const m = production.rows;
  const delta = cP - cQ;
  const h = cohenH(cP, cQ);
  // Sampling allowance at the pilot's rate: what two samples of one population differ by on average.
  const allowance = expectedAbsoluteDifference(cP, n, m);
  const credit = m === 0 ? 0 : Math.min(1, (cQ + allowance) / Math.max(cP, 0.01));
  const halfWidth = Math.min(1, (wilsonInterval(cP * n, n).halfWidth + wilsonInterval(cQ * m, m).halfWidth) / Math.max(cP, 0.01));

  const evidence: CompletenessEvidence = {
    pilot: cP,
    production: cQ,
    delta,
    cohenH: h,
    pilotCounts: { ...pilot.counts },
    productionCounts: { ...production.counts },
  };

  const findings: FindingDraft[] = [];
  const significant = (a: number, b: number): boolean =>
    n > 0 && m > 0 && chiSquareTwoSample([a * n, (1 - a) * n], [b * m, (1 - b) * m]).pValue < SIGNIFICANCE_P;
  if (delta >= NULL_DELTA_FLAG && h >= NULL_COHEN_H_FLAG && significant(cP, cQ)) {
    const blankShare = (s: ColumnSnapshot) => (s.rows > 0 ? (s.counts.empty + s.counts.whitespace + s.counts.missingField) / s.rows : 0);
    const sentinelShare = (s: ColumnSnapshot) => (s.rows > 0 ? s.counts.sentinel / s.rows : 0);
    const blankDelta = blankShare(production) - blankShare(pilot);
    const sentinelDelta = sentinelShare(production) - sentinelShare(pilot);
    const parts: Array<'blank' | 'sentinel'> = sentinelDelta > blankDelta ? ['sentinel', 'blank'] : ['blank', 'sentinel'];
    for (const [i, part] of parts.entries()) {
      const pShare = part === 'blank' ? blankShare(pilot) : sentinelShare(pilot);
      const qShare = part === 'blank' ? blankShare(production) : sentinelShare(production);
      const partDelta = qShare - pShare;
      // The larger part carries the finding; the other gets its own only if it alone passes the flag.
      const passes =
        i === 0 ||
        (partDelta >= NULL_DELTA_FLAG && Math.abs(cohenH(1 - pShare, 1 - qShare)) >= NULL_COHEN_H_FLAG && significant(1 - pShare, 1 - qShare));
      if (!passes || partDelta <= 0) continue;
      const severity = delta >= NULL_DELTA_CRITICAL ? 'critical' : 'warning';
      if (part === 'blank') {
        findings.push({
          code: 'NULL_RATE_INCREASE',
          dimension: 'completeness',
          severity,
          message: `${column}: ${percent(qShare)} of production values are empty, against ${percent(pShare)} in the pilot.`,
          evidence: { pilotCompleteness: cP, productionCompleteness: cQ, delta, cohenH: h, pilotBlankShare: pShare, productionBlankShare: qShare },
        });
      } else {
        const tokens = production.sentinels.filter((s) => s.judgedAs === 'null').sort((a, b) => b.count - a.count);
        const examples = tokens.slice(0, 3).map((t) => quote(t.token)).join(', ');
        findings.push({
          code: 'SENTINEL_RATE_INCREASE',
          dimension: 'completeness',
          severity,
          message: `${column}: ${percent(qShare)} of production values are placeholders for a missing value${examples ? ` (${examples})` : ''}, against ${percent(pShare)} in the pilot.`,
          evidence: {
            pilotCompleteness: cP,
            productionCompleteness: cQ,
            delta,
            cohenH: h,
            pilotSentinelShare: pShare,
            productionSentinelShare: qShare,
            tokens: tokens.slice(0, 10).map((t) => ({ token: t.token, count: t.count })),
          },
        });
      }
    }
  }
  return { evidence, credit, halfWidth, findings };
}
