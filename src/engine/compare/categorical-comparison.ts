import type { MisraGries } from '../sketch/misra-gries.js';
import { chiSquareTwoSample } from '../stats/contingency.js';
import { lInfinity } from '../stats/distances.js';
import { goodTuringUnseenShare, testUnseenShare } from '../stats/good-turing.js';
import { jensenShannonDistance, psiEquivalentOfJs } from '../stats/jensen-shannon.js';
import { psiLevel, testPsi } from '../stats/psi.js';
import {
  CATEGORICAL_LINF_FLAG,
  CRAMERS_V_FLAG,
  FORMAT_SIGNIFICANCE_P,
  FORMAT_TVD_CRITICAL,
  MIN_DRIFT_VALUES,
  MIN_EXPECTED_PER_CATEGORY,
  NEW_CATEGORY_CRITICAL,
  NEW_CATEGORY_FLAG,
} from './drs-parameters.js';
import type { FindingDraft } from './finding-draft.js';
import { percent, quote } from './message-format.js';
import { distributionCredit } from './numeric-comparison.js';
import type { CategoricalEvidence, NewCategoryEvidence } from './reality-report.js';

/** Categorical comparison of one column pair. */
export interface CategoricalComparison {
  readonly drift: CategoricalEvidence | null;
  readonly newCategories: NewCategoryEvidence | null;
  /** d_j = drift credit × (1 − excess new-category share); null when neither part is assessable. */
  readonly credit: number | null;
  readonly halfWidth: number;
  /** Production share respelled beyond the expectation: format mass the format dimension charges. */
  readonly respelledExcess: number;
  /** Distribution-dimension findings. */
  readonly findings: readonly FindingDraft[];
  /** Format-dimension findings (respelled categories). */
  readonly formatFindings: readonly FindingDraft[];
}

/**
 * The key under which two spellings are one category: NFKC, trimmed, lower-case, single spaces.
 * How a value is spelled is the format dimension's business; which values occur is the distribution's.
 */
export function categoryKey(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

interface Dictionary {
  readonly n: number;
  /** Raw value → count estimate (midpoint of the Misra-Gries bound when approximate). */
  readonly raw: Map<string, number>;
  /** Category key → summed count estimate. */
  readonly byKey: Map<string, number>;
  /** Category key → its most frequent raw spelling. */
  readonly spelling: Map<string, string>;
  readonly exact: boolean;
  /** Largest under-count of a single count, as a share of n. */
  readonly error: number;
}

function dictionary(mg: MisraGries): Dictionary {
  const raw = new Map<string, number>();
  const byKey = new Map<string, number>();
  const spelling = new Map<string, string>();
  const exact = mg.exact();
  // An approximate counter f̂ lies in [f − err, f]: the midpoint estimate f̂ + err/2 keeps the tail bin unbiased.
  const bump = exact ? 0 : mg.err / 2;
  for (const [value, count] of mg.items()) {
    const c = count + bump;
    raw.set(value, c);
    const key = categoryKey(value);
    byKey.set(key, (byKey.get(key) ?? 0) + c);
    if (!spelling.has(key)) spelling.set(key, value);
  }
  return { n: mg.n, raw, byKey, spelling, exact, error: mg.n > 0 ? mg.err / mg.n : 0 };
}

/**
 * Compares two categorical columns from their frequent-value summaries (METRICS §4.2): JS distance (base 2)
 * and L∞ over categories with enough values plus one OTHER bin, χ² and Cramér's V; the share of production in
 * categories the pilot never had against the Good–Turing expectation (only when the pilot's dictionary is
 * exact); and values that are only another spelling of a pilot category. Values quoted in messages and
 * evidence go through `mask` (sensitive columns never show values in clear).
 */
export function compareCategorical(
  column: string,
  pilotValues: MisraGries,
  productionValues: MisraGries,
  pilotDictionaryExact: boolean,
  mask: (value: string) => string = (value) => value,
): CategoricalComparison {
  const P = dictionary(pilotValues);
  const Q = dictionary(productionValues);
  const findings: FindingDraft[] = [];
  const formatFindings: FindingDraft[] = [];

  const drift = P.n >= MIN_DRIFT_VALUES && Q.n >= MIN_DRIFT_VALUES ? categoricalDrift(P, Q, mask) : null;
  let driftCredit: number | null = null;
  let halfWidth = 0;
  if (drift) {
    const test = testPsi(drift.evidence.psiEquivalent, drift.evidence.bins, P.n, Q.n);
    const level = psiLevel(test);
    const linfBeyondNoise = drift.evidence.lInfinity - drift.evidence.lInfinityNoise >= CATEGORICAL_LINF_FLAG;
    // The L∞ route catches one category moving a lot while PSI stays moderate; it needs the stricter χ² level
    // because with two or three categories it is a plain test of proportions.
    const strongShift =
      linfBeyondNoise && drift.evidence.cramersV >= CRAMERS_V_FLAG && drift.evidence.pValue < FORMAT_SIGNIFICANCE_P;
    driftCredit = test.significant ? distributionCredit(test.psiAdjusted) : 1;
    // The χ² noise band in credit units: the most a difference still within the band could cost if it were
    // taken for drift (0 once the band lies below PSI 0.10, i.e. for a few hundred values or more).
    halfWidth = 1 - distributionCredit(Math.max(0, test.critical - test.expectedUnderNoChange));
    if (level !== 'none' || strongShift) {
      const shift = drift.evidence.largestShift;
      const detail = shift
        ? `; ${quote(shift.value)} is ${percent(shift.production)} of production values, ${percent(shift.pilot)} of the pilot's`
        : '';
      findings.push({
        code: 'CATEGORICAL_DRIFT',
        dimension: 'distribution',
        severity: level === 'drift' ? 'critical' : 'warning',
        message: `${column}: the mix of values changed (Jensen–Shannon distance ${drift.evidence.jsDistance.toFixed(2)}${detail}).`,
        evidence: { ...drift.evidence },
      });
    }
  }

  let newCategories: NewCategoryEvidence | null = null;
  let newExcess = 0;
  let respelledExcess = 0;
  if (pilotDictionaryExact && Q.n > 0 && P.n > 0) {
    const expected = goodTuringUnseenShare(P.raw.values());
    let unseen = 0;
    let respelled = 0;
    const examples: Array<{ value: string; count: number }> = [];
    const respelledExamples: Array<{ value: string; pilotValue: string; count: number }> = [];
    // Lower bounds: exact counters of production values (without the midpoint bump).
    for (const [value, count] of productionValues.items()) {
      if (P.raw.has(value)) continue;
      const key = categoryKey(value);
      const pilotSpelling = P.spelling.get(key);
      if (pilotSpelling !== undefined) {
        respelled += count;
        respelledExamples.push({ value: mask(value), pilotValue: mask(pilotSpelling), count });
      } else {
        unseen += count;
        examples.push({ value: mask(value), count });
      }
    }
    const unseenTest = testUnseenShare(unseen / Q.n, expected, Q.n, NEW_CATEGORY_FLAG, P.n);
    const respelledTest = testUnseenShare(respelled / Q.n, expected, Q.n, NEW_CATEGORY_FLAG, P.n);
    newExcess = unseenTest.excess;
    respelledExcess = respelledTest.excess;
    newCategories = {
      unseenShare: unseenTest.observed,
      expectedShare: expected,
      excess: unseenTest.excess,
      flagged: unseenTest.flagged,
      respelledShare: respelledTest.observed,
      respelledExcess: respelledTest.excess,
      respelledFlagged: respelledTest.flagged,
      examples: examples.slice(0, 10),
      respelledExamples: respelledExamples.slice(0, 10),
    };
    if (unseen > 0) {
      const list = examples.slice(0, 3).map((e) => quote(e.value)).join(', ');
      const more = examples.length > 3 ? ` and ${examples.length - 3} more` : '';
      const severity = !unseenTest.flagged ? 'info' : unseenTest.excess >= NEW_CATEGORY_CRITICAL ? 'critical' : 'warning';
      findings.push({
        code: 'NEW_CATEGORIES',
        dimension: 'distribution',
        severity,
        message:
          `${column}: ${percent(unseenTest.observed)} of production values are categories the pilot never had (${list}${more})` +
          (expected > 0 ? `; about ${percent(expected)} was expected from the pilot's rare values.` : '.'),
        evidence: { ...newCategories, respelledExamples: undefined },
      });
    }
    if (respelledTest.flagged) {
      const e = respelledExamples[0];
      formatFindings.push({
        code: 'SPELLING_CHANGED',
        dimension: 'format',
        severity: respelledTest.excess >= FORMAT_TVD_CRITICAL ? 'critical' : 'warning',
        message: `${column}: ${percent(respelledTest.observed)} of production values are the pilot's categories spelled differently (e.g. ${quote(e.value)} for ${quote(e.pilotValue)}).`,
        evidence: { respelledShare: respelledTest.observed, expectedShare: expected, examples: respelledExamples.slice(0, 10) },
      });
    }
  }

  const credit = drift === null && newCategories === null ? null : (driftCredit ?? 1) * (1 - newExcess);
  return { drift: drift?.evidence ?? null, newCategories, credit, halfWidth, respelledExcess, findings, formatFindings };
}

/** JS distance, L∞ and χ² over categories expected to hold ≥ 5 values in the smaller sample, the rest lumped. */
function categoricalDrift(P: Dictionary, Q: Dictionary, mask: (value: string) => string): { evidence: CategoricalEvidence } | null {
  const keys = [...new Set([...P.byKey.keys(), ...Q.byKey.keys()])];
  const smaller = Math.min(P.n, Q.n);
  const kept: string[] = [];
  for (const key of keys) {
    const pooledShare = ((P.byKey.get(key) ?? 0) + (Q.byKey.get(key) ?? 0)) / (P.n + Q.n);
    if (pooledShare * smaller >= MIN_EXPECTED_PER_CATEGORY) kept.push(key);
  }
  kept.sort();
  const countsP = kept.map((k) => P.byKey.get(k) ?? 0);
  const countsQ = kept.map((k) => Q.byKey.get(k) ?? 0);
  const otherP = Math.max(0, P.n - countsP.reduce((a, b) => a + b, 0));
  const otherQ = Math.max(0, Q.n - countsQ.reduce((a, b) => a + b, 0));
  if (otherP > 0 || otherQ > 0) {
    countsP.push(otherP);
    countsQ.push(otherQ);
  }
  if (countsP.length < 2) return null;
  const sumP = countsP.reduce((a, b) => a + b, 0);
  const sumQ = countsQ.reduce((a, b) => a + b, 0);
  const p = countsP.map((c) => c / sumP);
  const q = countsQ.map((c) => c / sumQ);
  const jsDistance = jensenShannonDistance(p, q);
  const psiEquivalent = psiEquivalentOfJs(jsDistance);
  const test = testPsi(psiEquivalent, countsP.length, P.n, Q.n);
  const chi = chiSquareTwoSample(countsP, countsQ);
  let largest = -1;
  for (let i = 0; i < kept.length; i++) if (largest < 0 || Math.abs(q[i] - p[i]) > Math.abs(q[largest] - p[largest])) largest = i;
  return {
    evidence: {
      n: P.n,
      m: Q.n,
      bins: countsP.length,
      jsDistance,
      psiEquivalent,
      psiAdjusted: test.psiAdjusted,
      psiCritical: test.critical,
      lInfinity: lInfinity(p, q),
      lInfinityNoise: P.error + Q.error,
      chiSquare: chi.statistic,
      pValue: chi.pValue,
      cramersV: chi.cramersV,
      largestShift:
        largest < 0
          ? null
          : { value: mask(P.spelling.get(kept[largest]) ?? Q.spelling.get(kept[largest]) ?? kept[largest]), pilot: p[largest], production: q[largest] },
    },
  };
}
