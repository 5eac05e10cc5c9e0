import type { MisraGries } from '../sketch/misra-gries.js';
import { chiSquareTwoSample } from '../stats/contingency.js';
import { lInfinity } from '../stats/distances.js';
import { goodTuringUnseenShare, goodTuringVariance, testUnseenShare } from '../stats/good-turing.js';
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
import { fixed, percent, quote, shareRange } from './message-format.js';
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

/**
 * A frequency summary read honestly: for every category key, bounds on its true count. An exact
 * summary gives each count twice; a Misra-Gries summary gives its counter and at most `err` more
 * (a key it does not track occurred at most `err` times). Never a midpoint taken for a count.
 */
interface Dictionary {
  readonly n: number;
  /** Raw value → guaranteed count (the exact count when `exact`). */
  readonly raw: Map<string, number>;
  /** Category key → guaranteed count, summed over its spellings. */
  readonly low: Map<string, number>;
  /** Category key → the most it can hold. */
  readonly high: Map<string, number>;
  /** Category key → its most frequent raw spelling. */
  readonly spelling: Map<string, string>;
  readonly exact: boolean;
  /** Largest under-count of one counter (0 when exact). */
  readonly err: number;
}

function dictionary(mg: MisraGries, nullTokens: ReadonlySet<string>): Dictionary {
  const raw = new Map<string, number>();
  const low = new Map<string, number>();
  const high = new Map<string, number>();
  const spelling = new Map<string, string>();
  const err = mg.err;
  let n = mg.n;
  for (const [value, count] of mg.items()) {
    if (nullTokens.has(value.trim())) {
      n -= count;
      continue;
    }
    raw.set(value, count);
    const key = categoryKey(value);
    low.set(key, (low.get(key) ?? 0) + count);
    high.set(key, Math.min(n, (high.get(key) ?? 0) + count + err));
    if (!spelling.has(key)) spelling.set(key, value);
  }
  return { n, raw, low, high, spelling, exact: mg.exact(), err };
}

/** Bounds of a key's count: what the summary tracks, or [0, err] for a key it does not. */
function countBounds(d: Dictionary, key: string): { low: number; high: number } {
  const low = d.low.get(key);
  return low === undefined ? { low: 0, high: d.err } : { low, high: d.high.get(key) as number };
}

/**
 * Compares two categorical columns from their frequent-value summaries (METRICS §4.2): JS distance (base 2)
 * and L∞ over categories with enough values plus one OTHER bin, χ² and Cramér's V; the share of production in
 * categories the pilot never had against the Good–Turing expectation (only when the pilot's dictionary is
 * exact); and values that are only another spelling of a pilot category. Values quoted in messages and
 * evidence go through `mask` (sensitive columns never show values in clear). `nullTokens` are placeholder
 * tokens either sample read as missing values.
 */
export function compareCategorical(
  column: string,
  pilotValues: MisraGries,
  productionValues: MisraGries,
  pilotDictionaryExact: boolean,
  mask: (value: string) => string = (value) => value,
  nullTokens: ReadonlySet<string> = new Set(),
): CategoricalComparison {
  // A placeholder token (`null`, `NA`) one sample read as a value and the other as a missing value is a
  // question of completeness, not a category that came or went: it is left out of both mixes.
  const P = dictionary(pilotValues, nullTokens);
  const Q = dictionary(productionValues, nullTokens);
  const findings: FindingDraft[] = [];
  const formatFindings: FindingDraft[] = [];

  const drift = P.n >= MIN_DRIFT_VALUES && Q.n >= MIN_DRIFT_VALUES ? categoricalDrift(P, Q, mask) : null;
  let driftCredit: number | null = null;
  let halfWidth = 0;
  if (drift) {
    const test = testPsi(drift.evidence.psiEquivalent, drift.evidence.bins, P.n, Q.n);
    const level = psiLevel(test);
    const linfBeyondNoise = drift.evidence.lInfinity >= CATEGORICAL_LINF_FLAG;
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
        ? `; ${quote(shift.value)} is ${shareRange(shift.production, shift.productionMax)} of production values, ${shareRange(shift.pilot, shift.pilotMax)} of the pilot's`
        : '';
      findings.push({
        code: 'CATEGORICAL_DRIFT',
        dimension: 'distribution',
        severity: level === 'drift' ? 'critical' : 'warning',
        message: `${column}: the mix of values changed (Jensen–Shannon distance ${fixed(drift.evidence.jsDistance, 2)}${detail}).`,
        evidence: { ...drift.evidence },
      });
    }
  }

  let newCategories: NewCategoryEvidence | null = null;
  let newExcess = 0;
  let respelledExcess = 0;
  if (pilotDictionaryExact && Q.n > 0 && P.n > 0) {
    const expected = goodTuringUnseenShare(P.raw.values());
    const estimatorVariance = goodTuringVariance(P.raw.values());
    let unseen = 0;
    let respelled = 0;
    const examples: Array<{ value: string; count: number }> = [];
    const respelledExamples: Array<{ value: string; pilotValue: string; count: number }> = [];
    // Guaranteed counts of production values.
    for (const [value, count] of Q.raw) {
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
    const unseenTest = testUnseenShare(unseen / Q.n, expected, Q.n, NEW_CATEGORY_FLAG, estimatorVariance);
    const respelledTest = testUnseenShare(respelled / Q.n, expected, Q.n, NEW_CATEGORY_FLAG, estimatorVariance);
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
      unseenValues: examples.length,
      examples: examples.slice(0, 10),
      respelledExamples: respelledExamples.slice(0, 10),
    };
    if (unseen > 0) {
      const list = examples.slice(0, 3).map((e) => quote(e.value)).join(', ');
      const more = examples.length > 3 ? ` and ${examples.length - 3} more` : '';
      const shown = examples.length > 3 ? { examplesNotQuoted: examples.length - 3 } : {};
      const severity = !unseenTest.flagged ? 'info' : unseenTest.excess >= NEW_CATEGORY_CRITICAL ? 'critical' : 'warning';
      findings.push({
        code: 'NEW_CATEGORIES',
        dimension: 'distribution',
        severity,
        message:
          `${column}: ${percent(unseenTest.observed)} of production values are categories the pilot never had (${list}${more})` +
          (expected > 0 ? `; about ${percent(expected)} was expected from the pilot's rare values.` : '.'),
        evidence: { ...newCategories, ...shown, respelledExamples: undefined },
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

/**
 * JS distance, L∞ and χ² over categories whose guaranteed counts predict ≥ 5 values in the smaller sample, the
 * rest lumped into OTHER. Where a summary is approximate, each category's share is only known within bounds:
 * the test then reads the pair of shares, within those bounds, that differ least (so the sketch's error can
 * never pass for drift), and the evidence quotes the bounds.
 */
function categoricalDrift(P: Dictionary, Q: Dictionary, mask: (value: string) => string): { evidence: CategoricalEvidence } | null {
  const smaller = Math.min(P.n, Q.n);
  const kept: string[] = [];
  for (const key of new Set([...P.low.keys(), ...Q.low.keys()])) {
    const pooledShare = ((P.low.get(key) ?? 0) + (Q.low.get(key) ?? 0)) / (P.n + Q.n);
    if (pooledShare * smaller >= MIN_EXPECTED_PER_CATEGORY) kept.push(key);
  }
  kept.sort();
  const p: number[] = [];
  const q: number[] = [];
  const bounds: Array<{ pLow: number; pHigh: number; qLow: number; qHigh: number }> = [];
  for (const key of kept) {
    const bp = countBounds(P, key);
    const bq = countBounds(Q, key);
    const b = { pLow: bp.low / P.n, pHigh: bp.high / P.n, qLow: bq.low / Q.n, qHigh: bq.high / Q.n };
    bounds.push(b);
    // The closest pair of shares the bounds allow.
    if (b.pHigh < b.qLow) {
      p.push(b.pHigh);
      q.push(b.qLow);
    } else if (b.qHigh < b.pLow) {
      p.push(b.pLow);
      q.push(b.qHigh);
    } else {
      const common = (Math.max(b.pLow, b.qLow) + Math.min(b.pHigh, b.qHigh)) / 2;
      p.push(common);
      q.push(common);
    }
  }
  const otherP = Math.max(0, 1 - p.reduce((a, x) => a + x, 0));
  const otherQ = Math.max(0, 1 - q.reduce((a, x) => a + x, 0));
  const shareP = otherP > 0 || otherQ > 0 ? [...p, otherP] : [...p];
  const shareQ = otherP > 0 || otherQ > 0 ? [...q, otherQ] : [...q];
  if (shareP.length < 2) return null;
  const jsDistance = jensenShannonDistance(shareP, shareQ);
  const psiEquivalent = psiEquivalentOfJs(jsDistance);
  const test = testPsi(psiEquivalent, shareP.length, P.n, Q.n);
  const chi = chiSquareTwoSample(
    shareP.map((x) => x * P.n),
    shareQ.map((x) => x * Q.n),
  );
  let largest = -1;
  for (let i = 0; i < kept.length; i++) if (largest < 0 || Math.abs(q[i] - p[i]) > Math.abs(q[largest] - p[largest])) largest = i;
  const exact = P.exact && Q.exact;
  return {
    evidence: {
      n: P.n,
      m: Q.n,
      bins: shareP.length,
      exact,
      sketchError: { pilot: P.err / P.n, production: Q.err / Q.n },
      jsDistance,
      psiEquivalent,
      psiAdjusted: test.psiAdjusted,
      psiCritical: test.critical,
      lInfinity: lInfinity(shareP, shareQ),
          chiSquare: chi.statistic,
      pValue: chi.pValue,
      cramersV: chi.cramersV,
      largestShift:
        largest < 0
          ? null
          : {
              value: mask(P.spelling.get(kept[largest]) ?? Q.spelling.get(kept[largest]) ?? kept[largest]),
              pilot: bounds[largest].pLow,
              pilotMax: bounds[largest].pHigh,
              production: bounds[largest].qLow,
              productionMax: bounds[largest].qHigh,
            },
    },
  };
}
