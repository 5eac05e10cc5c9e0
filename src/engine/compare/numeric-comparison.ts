import { type KllSketch, sketchRankError } from '../sketch/kll.js';
import type { NumericSnapshot } from '../model/snapshot.js';
import { ksDistance, type KsTest, testKs } from '../stats/ks.js';
import { betaBinomialUpperTail } from '../stats/beta-binomial.js';
import { binSharesFromCdf, distinctEdges, psi, psiFloor, psiLevel, type PsiTest, testPsi } from '../stats/psi.js';
import { normalizedWasserstein, wassersteinProbabilities } from '../stats/wasserstein.js';
import {
  MIN_DRIFT_VALUES,
  PSI_FULL_LOSS,
  PSI_NO_LOSS,
  RANGE_CRITICAL,
  RANGE_FLAG,
  RANGE_P_VALUE,
  RANGE_SOFT_HIGH,
  RANGE_SOFT_LOW,
  WASSERSTEIN_FLAG,
} from './drs-parameters.js';
import type { FindingDraft } from './finding-draft.js';
import { number, percent } from './message-format.js';
import type { NumericEvidence } from './reality-report.js';

/** Numeric drift of one column pair. */
export interface NumericComparison {
  readonly evidence: NumericEvidence;
  /** d_j: 1 unless drift is confirmed (PSI beyond its noise band and KS significant) with PSI_adj above 0.10. */
  readonly credit: number;
  /** Half-width of d_j from the PSI noise band. */
  readonly halfWidth: number;
  readonly findings: readonly FindingDraft[];
}

const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** The credit d_j of a corrected PSI (METRICS §5.2): 1 up to 0.10, 0 from 0.25, linear between. */
export function distributionCredit(psiAdjusted: number): number {
  return Math.min(1, Math.max(0, (PSI_FULL_LOSS - psiAdjusted) / (PSI_FULL_LOSS - PSI_NO_LOSS)));
}

/**
 * Compares two numeric columns from their KLL sketches (METRICS §4.2–4.3): PSI at the pilot's deciles with
 * the sample-size correction, KS at the union of retained values beyond the sketches' noise floor,
 * normalised W1 over 100 quantiles, and the share of production outside the pilot's range.
 * Null when either side has fewer than 100 values (drift is then not assessable).
 */
/** PSI at the pilot's deciles with its sample-size correction, confirmed by KS beyond the sketches' error. */
export interface DriftTest {
  readonly n: number;
  readonly m: number;
  readonly psi: number;
  readonly psiTest: PsiTest;
  readonly bins: number;
  /** KS distance D over the union of retained values. */
  readonly ks: number;
  readonly ksTest: KsTest;
  /** PSI beyond its noise band and KS significant: the distributions differ. */
  readonly confirmed: boolean;
  readonly level: 'none' | 'warn' | 'drift';
  readonly epsP: number;
  readonly epsQ: number;
}

/**
 * The distribution test of two quantile sketches (METRICS §4.2–4.3), shared by numbers and by the lengths of
 * text: null when either side has fewer than 100 values (drift is then not assessable).
 */
export function testDrift(P: KllSketch, Q: KllSketch): DriftTest | null {
  const n = P.n;
  const m = Q.n;
  if (n < MIN_DRIFT_VALUES || m < MIN_DRIFT_VALUES) return null;
  const edges = distinctEdges(P.quantiles(DECILES));
  const bins = edges.length + 1;
  const psiValue = psi(binSharesFromCdf(edges, (x) => P.cdf(x)), binSharesFromCdf(edges, (x) => Q.cdf(x)), {
    expected: psiFloor(n),
    actual: psiFloor(m),
  });
  const psiTest = testPsi(psiValue, bins, n, m);
  const points = new Set<number>([...P.retainedValues(), ...Q.retainedValues()]);
  const d = ksDistance(points, (x) => P.cdf(x), (x) => Q.cdf(x), (x) => P.cdfStrict(x), (x) => Q.cdfStrict(x));
  const epsP = sketchRankError(P);
  const epsQ = sketchRankError(Q);
  const ksTest = testKs(d, n, m, epsP, epsQ);
  // Drift is called when the corrected PSI says so and KS confirms the two distributions differ: each test alone
  // fires on 1% (PSI) or 5% (KS) of unchanged columns, which a wide table of small samples would show.
  const confirmed = psiTest.significant && ksTest.significant;
  return { n, m, psi: psiValue, psiTest, bins, ks: d, ksTest, confirmed, level: confirmed ? psiLevel(psiTest) : 'none', epsP, epsQ };
}

export function compareNumeric(column: string, pilot: NumericSnapshot, production: NumericSnapshot): NumericComparison | null {
  const P = pilot.sketch;
  const Q = production.sketch;
  const drift = testDrift(P, Q);
  if (drift === null) return null;
  const { n, m, psi: psiValue, psiTest, bins, ks: d, ksTest: ks, confirmed, level, epsP, epsQ } = drift;

  const u = wassersteinProbabilities();
  const w1 = normalizedWasserstein(P.quantiles(u), Q.quantiles(u), pilot.stddev);

  const outside = (s: KllSketch, lo: number, hi: number) => s.cdfStrict(lo) + (1 - s.cdf(hi));
  const softLo = P.quantile(RANGE_SOFT_LOW);
  const softHi = P.quantile(RANGE_SOFT_HIGH);
  const outsideRange = outside(Q, pilot.min, pilot.max);
  const outsideSoft = outside(Q, softLo, softHi);
  const pilotOutsideSoft = outside(P, softLo, softHi);

  const pilotMedian = P.quantile(0.5);
  const productionMedian = Q.quantile(0.5);
  const evidence: NumericEvidence = {
    n,
    m,
    psi: psiValue,
    psiAdjusted: psiTest.psiAdjusted,
    psiExpected: psiTest.expectedUnderNoChange,
    psiCritical: psiTest.critical,
    bins,
    ks: d,
    ksCritical: ks.critical,
    ksNoiseFloor: ks.noiseFloor,
    ksSignificant: ks.significant,
    wassersteinNormalized: w1,
    pilotMedian,
    productionMedian,
    pilotMean: pilot.mean,
    productionMean: production.mean,
    outsideRange,
    outsideSoftRange: outsideSoft,
    pilotOutsideSoftRange: pilotOutsideSoft,
  };

  const findings: FindingDraft[] = [];
  const driftEvidence = {
    psi: psiValue,
    psiAdjusted: psiTest.psiAdjusted,
    psiCritical: psiTest.critical,
    ks: d,
    ksCritical: ks.critical,
    wassersteinNormalized: w1,
    pilotMedian,
    productionMedian,
  };
  const medians = `median ${number(productionMedian)} in production, ${number(pilotMedian)} in the pilot`;
  if (level !== 'none') {
    findings.push({
      code: 'NUMERIC_DRIFT',
      dimension: 'distribution',
      severity: level === 'drift' ? 'critical' : 'warning',
      message: `${column}: the distribution of values shifted (PSI ${psiTest.psiAdjusted.toFixed(2)} after sample-size correction; ${medians}).`,
      evidence: driftEvidence,
    });
  } else if (ks.significant && w1 !== null && w1 >= WASSERSTEIN_FLAG) {
    findings.push({
      code: 'NUMERIC_DRIFT',
      dimension: 'distribution',
      severity: 'info',
      message: `${column}: a small but real shift of values (KS D ${d.toFixed(3)}, beyond the ${ks.critical.toFixed(3)} noise level; ${medians}).`,
      evidence: driftEvidence,
    });
  }

  // Under no change the production share outside a range cut at the pilot's order statistics of ranks r_lo and
  // r_hi is BetaBinomial: its coverage is a sum of r_lo + n + 1 − r_hi Dirichlet spacings. (Ties only make the
  // strict outside share smaller, so the test stays conservative on discrete data.) The sketches' rank error
  // is taken off the observed share first.
  const rankLo = Math.max(1, Math.ceil(RANGE_SOFT_LOW * n));
  const rankHi = Math.max(rankLo, Math.ceil(RANGE_SOFT_HIGH * n));
  const alpha = rankLo + n + 1 - rankHi;
  const beta = Math.max(1e-9, n + 1 - alpha);
  const expectedOutside = Math.max(pilotOutsideSoft, alpha / (n + 1));
  const observedCount = Math.max(0, Math.round((outsideSoft - epsP - epsQ) * m));
  const rangePValue = betaBinomialUpperTail(observedCount, m, alpha, beta);
  const rangeExcess = outsideSoft - expectedOutside - (epsP + epsQ);
  if (rangeExcess >= RANGE_FLAG && rangePValue < RANGE_P_VALUE) {
    findings.push({
      code: 'RANGE_VIOLATIONS',
      dimension: 'distribution',
      severity: rangeExcess >= RANGE_CRITICAL ? 'critical' : 'warning',
      message: `${column}: ${percent(outsideSoft)} of production values lie outside the pilot's usual range ${number(softLo)} to ${number(softHi)} (about ${percent(expectedOutside)} expected; ${percent(outsideRange)} beyond the pilot's min and max).`,
      evidence: {
        outsideSoftRange: outsideSoft,
        expectedOutside,
        pValue: rangePValue,
        outsideRange,
        softLow: softLo,
        softHigh: softHi,
        pilotMin: pilot.min,
        pilotMax: pilot.max,
      },
    });
  }

  const credit = confirmed ? distributionCredit(psiTest.psiAdjusted) : 1;
  // The χ² noise band in credit units: the most a difference still within the band could cost if it were
  // taken for drift (0 once the band lies below PSI 0.10, i.e. for a few hundred values or more).
  const halfWidth = 1 - distributionCredit(Math.max(0, psiTest.critical - psiTest.expectedUnderNoChange));
  return { evidence, credit, halfWidth, findings };
}
