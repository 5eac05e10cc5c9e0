import type { ColumnSnapshot } from '../model/snapshot.js';
import { chiSquareTwoSample } from '../stats/contingency.js';
import { totalVariation, tvdExpectedUnderNoChange } from '../stats/distances.js';
import { expectedAbsoluteDifference, wilsonInterval } from '../stats/proportions.js';
import {
  FORMAT_CHANGED_CONFORMANCE,
  FORMAT_TVD_CRITICAL,
  FORMAT_TVD_FLAG,
  HYGIENE_DELTA_CRITICAL,
  HYGIENE_DELTA_FLAG,
  FORMAT_SIGNIFICANCE_P,
} from './drs-parameters.js';
import type { FindingDraft } from './finding-draft.js';
import { formatLabel, typeLabel } from './format-label.js';
import { percent } from './message-format.js';
import type { FormatEvidence } from './reality-report.js';

/** Format of one column pair: evidence, the parts of credit f_j, schema-relevant changes and findings. */
export interface FormatComparison {
  readonly evidence: FormatEvidence;
  /** max(0, TVD − E₀[TVD]): the format mass that moved beyond sampling noise. */
  readonly tvdAdjusted: number;
  /** min(1, (FCH_Q + e₀) / max(FCH_P, 0.01)). */
  readonly hygieneCredit: number;
  readonly halfWidth: number;
  /** The column type changed, and the format mix changed beyond noise. */
  readonly typeChanged: boolean;
  /** The dominant format changed and production mostly left the pilot's format. */
  readonly formatChanged: boolean;
  readonly findings: readonly FindingDraft[];
  /** Schema-dimension findings (type change). */
  readonly schemaFindings: readonly FindingDraft[];
}

/**
 * The profiler tells free text (three or more words) from short text, but a reader treats both alike: how
 * many words a value has is content, not spelling. So `free_text:X` counts as `text:X` here, keeping the case.
 */
export function formatFamily(name: string): string {
  return name.startsWith('free_text:') ? `text:${name.slice('free_text:'.length)}` : name;
}

function withFormatFamilies(column: ColumnSnapshot): ColumnSnapshot {
  const formats = new Map<string, number>();
  for (const [name, count] of column.formats) {
    const family = formatFamily(name);
    formats.set(family, (formats.get(family) ?? 0) + count);
  }
  let dominant: string | null = null;
  let sum = 0;
  for (const [name, count] of formats) {
    sum += count;
    if (dominant === null || count > (formats.get(dominant) as number)) dominant = name;
  }
  const consistency = dominant === null || sum === 0 ? 1 : (formats.get(dominant) as number) / sum;
  return {
    ...column,
    formats,
    dominantFormat: dominant,
    formatConsistency: consistency,
    formatHygiene: consistency * (1 - column.hygieneDefectShare) * (1 - column.variantRate),
  };
}

/** FCH_j = FC_j × (1 − h_j) × (1 − variant_rate_j) with FC over format families (see {@link formatFamily}). */
export function familyFormatHygiene(column: ColumnSnapshot): number {
  return withFormatFamilies(column).formatHygiene;
}

function total(formats: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const c of formats.values()) s += c;
  return s;
}

function shares(formats: ReadonlyMap<string, number>, keys: readonly string[], sum: number): number[] {
  return keys.map((k) => (sum > 0 ? (formats.get(k) ?? 0) / sum : 0));
}

const QUANTITY_FORMAT = /^(int|decimal:|number:|currency:|percent:)/;

/** Share of present values written as numbers (integers, decimals, grouped numbers, money, percentages). */
function quantityShare(formats: ReadonlyMap<string, number>, total: number): number {
  if (total === 0) return 0;
  let quantities = 0;
  for (const [name, count] of formats) if (QUANTITY_FORMAT.test(name)) quantities += count;
  return quantities / total;
}

function twoByTwoSignificant(a: number, n: number, b: number, m: number): boolean {
  return n > 0 && m > 0 && chiSquareTwoSample([a * n, (1 - a) * n], [b * m, (1 - b) * m]).pValue < FORMAT_SIGNIFICANCE_P;
}

/**
 * Compares the format mix of two columns (METRICS §2.5, §4.2): TVD over format names with its sampling
 * expectation removed, conformance to the pilot's dominant format, date-order mixing, hygiene and spelling
 * variants. Returns null when either side has no present values (nothing to compare). `lostQuantityType`
 * says the pilot's values were quantities and production's are not read as such.
 */
export function compareFormat(
  column: string,
  pilotColumn: ColumnSnapshot,
  productionColumn: ColumnSnapshot,
  lostQuantityType = false,
): FormatComparison | null {
  const pilot = withFormatFamilies(pilotColumn);
  const production = withFormatFamilies(productionColumn);
  const n = total(pilot.formats);
  const m = total(production.formats);
  if (n === 0 || m === 0) return null;
  const keys = [...new Set([...pilot.formats.keys(), ...production.formats.keys()])].sort();
  const p = shares(pilot.formats, keys, n);
  const q = shares(production.formats, keys, m);
  const tvd = totalVariation(p, q);
  // "No change" means production drawn from the pilot's mix: the expectation uses the pilot's shares.
  const tvdExpected = tvdExpectedUnderNoChange(p, n, m);
  const tvdAdjusted = Math.max(0, tvd - tvdExpected);
  const mixTest = chiSquareTwoSample(
    keys.map((k) => pilot.formats.get(k) ?? 0),
    keys.map((k) => production.formats.get(k) ?? 0),
  );
  const mixChanged = tvdAdjusted >= FORMAT_TVD_FLAG && mixTest.pValue < FORMAT_SIGNIFICANCE_P;
  const pilotDominant = pilot.dominantFormat;
  const productionDominant = production.dominantFormat;
  const conformance = pilotDominant === null ? null : (production.formats.get(pilotDominant) ?? 0) / m;

  const fchP = pilot.formatHygiene;
  const fchQ = production.formatHygiene;
  const fchAllowance = expectedAbsoluteDifference(fchP, n, m);
  const hygieneCredit = Math.min(1, (fchQ + fchAllowance) / Math.max(fchP, 0.01));
  const halfWidth = Math.min(
    1,
    tvdExpected + (wilsonInterval(fchP * n, n).halfWidth + wilsonInterval(fchQ * m, m).halfWidth) / Math.max(fchP, 0.01),
  );

  const formatChanged =
    mixChanged && pilotDominant !== productionDominant && conformance !== null && conformance < FORMAT_CHANGED_CONFORMANCE;
  // A column whose share of numbers merely crossed the 90% type threshold (decimal → mixed) has not changed
  // type unless that share really fell: at a few hundred rows an unchanged column crosses it by chance.
  const quantityP = quantityShare(pilot.formats, n);
  const quantityQ = quantityShare(production.formats, m);
  const lostQuantities =
    lostQuantityType &&
    (production.type !== 'mixed' && production.type !== 'text'
      ? true
      : quantityP - quantityQ >= FORMAT_TVD_FLAG && twoByTwoSignificant(quantityP, n, quantityQ, m));
  // A type change counts when the format mix moved beyond noise, or when production's values, though spelled
  // alike, are no longer read as quantities (e.g. integers that all have five digits read as codes).
  const typeChanged =
    (mixChanged || lostQuantities) && pilot.type !== production.type && pilot.type !== 'empty' && production.type !== 'empty';

  const toRecord = (s: number[]) => Object.fromEntries(keys.map((k, i) => [k, s[i]]).filter(([, v]) => (v as number) > 0));
  const evidence: FormatEvidence = {
    pilotType: pilot.type,
    productionType: production.type,
    pilotDominant,
    productionDominant,
    pilotFormats: toRecord(p),
    productionFormats: toRecord(q),
    tvd,
    tvdExpected,
    tvdAdjusted,
    conformance,
    pilotFormatHygiene: fchP,
    productionFormatHygiene: fchQ,
    pilotDateOrder: pilot.dateOrder,
    productionDateOrder: production.dateOrder,
  };

  // The format that gained the most share is what a person must handle.
  let gained = -1;
  for (let i = 0; i < keys.length; i++) if (gained < 0 || q[i] - p[i] > q[gained] - p[gained]) gained = i;
  const pilotDominantShare = pilotDominant === null ? 0 : (pilot.formats.get(pilotDominant) ?? 0) / n;
  const pilotWas = pilotDominant === null ? '' : `the pilot was ${percent(pilotDominantShare)} ${formatLabel(pilotDominant)}`;
  const baseEvidence = { tvd, tvdExpected, tvdAdjusted, conformance, pValue: mixTest.pValue, pilotDominant, productionDominant, pilotDominantShare };

  const findings: FindingDraft[] = [];
  if (formatChanged) {
    findings.push({
      code: 'FORMAT_CHANGED',
      dimension: 'format',
      severity: 'critical',
      message: `${column}: ${percent(q[keys.indexOf(productionDominant as string)])} of production values are ${formatLabel(productionDominant as string)}; ${pilotWas}.`,
      evidence: { ...baseEvidence, productionDominantShare: q[keys.indexOf(productionDominant as string)] },
    });
  } else if (mixChanged) {
    findings.push({
      code: 'FORMAT_MIX_DRIFT',
      dimension: 'format',
      severity: tvdAdjusted >= FORMAT_TVD_CRITICAL ? 'critical' : 'warning',
      message: `${column}: ${percent(q[gained])} of production values are ${formatLabel(keys[gained])} (pilot ${percent(p[gained])}); ${pilotWas}.`,
      evidence: { ...baseEvidence, gainedFormat: keys[gained], pilotShare: p[gained], productionShare: q[gained] },
    });
  }
  if (production.dateOrder === 'mixed' && pilot.dateOrder !== 'mixed') {
    findings.push({
      code: 'DATE_ORDER_MIXED',
      dimension: 'format',
      severity: 'critical',
      message: `${column}: production mixes day-first and month-first dates (some can only be DD/MM, others only MM/DD); the pilot did not.`,
      evidence: { pilotDateOrder: pilot.dateOrder, productionDateOrder: production.dateOrder },
    });
  }
  const hP = pilot.hygieneDefectShare;
  const hQ = production.hygieneDefectShare;
  if (hQ - hP >= HYGIENE_DELTA_FLAG && twoByTwoSignificant(hP, n, hQ, m)) {
    findings.push({
      code: 'HYGIENE_DEGRADED',
      dimension: 'format',
      severity: hQ - hP >= HYGIENE_DELTA_CRITICAL ? 'critical' : 'warning',
      message: `${column}: ${percent(hQ)} of production values have stray spaces, control or garbled characters, against ${percent(hP)} in the pilot.`,
      evidence: { pilotDefectShare: hP, productionDefectShare: hQ },
    });
  }
  const vP = pilot.variantRate;
  const vQ = production.variantRate;
  if (vQ - vP >= HYGIENE_DELTA_FLAG && twoByTwoSignificant(vP, n, vQ, m)) {
    findings.push({
      code: 'SPELLING_VARIANTS_INCREASED',
      dimension: 'format',
      severity: vQ - vP >= HYGIENE_DELTA_CRITICAL ? 'critical' : 'warning',
      message: `${column}: ${percent(vQ)} of production values are variant spellings of another value (case, accents, punctuation), against ${percent(vP)} in the pilot.`,
      evidence: { pilotVariantRate: vP, productionVariantRate: vQ },
    });
  }

  const schemaFindings: FindingDraft[] = [];
  if (typeChanged) {
    schemaFindings.push({
      code: 'TYPE_CHANGED',
      dimension: 'schema',
      severity: 'critical',
      message: `${column}: production values read as ${typeLabel(production.type)}; the pilot's were ${typeLabel(pilot.type)}.`,
      evidence: { pilotType: pilot.type, productionType: production.type, tvd, tvdAdjusted },
    });
  }
  return { evidence, tvdAdjusted, hygieneCredit, halfWidth, typeChanged, formatChanged, findings, schemaFindings };
}
