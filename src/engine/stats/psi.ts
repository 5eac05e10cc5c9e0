import { chiSquareQuantile } from './chi-square.js';

/** Bins of an empty share are floored here before taking logarithms (as Evidently does). */
export const PSI_EMPTY_BIN_FLOOR = 1e-4;

/**
 * Population stability index Σ (q_i − p_i) · ln(q_i / p_i) between two binned distributions given as shares.
 * Shares below the floor are raised to it so that a bin empty on one side costs a bounded amount: 1e-4 by
 * default (as Evidently), or per side (see {@link psiFloor}).
 *
 * @example psi([0.5, 0.5], [0.4, 0.6]) // = 0.1·ln(1.2) − 0.1·ln(0.8) ≈ 0.0405
 */
export function psi(
  expected: readonly number[],
  actual: readonly number[],
  floor: number | { readonly expected: number; readonly actual: number } = PSI_EMPTY_BIN_FLOOR,
): number {
  if (expected.length !== actual.length) {
    throw new RangeError(`psi needs bins of equal length, got ${expected.length} and ${actual.length}`);
  }
  const floorP = typeof floor === 'number' ? floor : floor.expected;
  const floorQ = typeof floor === 'number' ? floor : floor.actual;
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const p = Math.max(expected[i], floorP);
    const q = Math.max(actual[i], floorQ);
    sum += (q - p) * Math.log(q / p);
  }
  return sum;
}

/**
 * The empty-bin floor for a sample of `size` values: 1e-4, or half a value (0.5/size) when that is larger.
 * A bin that happens to be empty in a sample of 100 is then read as "under one value" rather than as a share of
 * 1e-4, which alone would add 0.69 to PSI and call drift on pure chance (a continuity correction).
 */
export function psiFloor(size: number): number {
  return size > 0 ? Math.max(PSI_EMPTY_BIN_FLOOR, 0.5 / size) : PSI_EMPTY_BIN_FLOOR;
}

/**
 * Shares of a distribution in the bins cut at `edges` (ascending, distinct): (−∞, e₁], (e₁, e₂], …, (e_last, ∞),
 * from its CDF F(x) = P(X ≤ x). Returns edges.length + 1 shares summing to 1.
 */
export function binSharesFromCdf(edges: readonly number[], cdf: (x: number) => number): number[] {
  const shares: number[] = [];
  let previous = 0;
  for (const edge of edges) {
    const at = Math.min(1, Math.max(previous, cdf(edge)));
    shares.push(at - previous);
    previous = at;
  }
  shares.push(1 - previous);
  return shares;
}

/** Sorted distinct edges from candidate cut points (e.g. pilot deciles, which repeat on discrete data). */
export function distinctEdges(cuts: readonly number[]): number[] {
  const sorted = cuts.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const out: number[] = [];
  for (const x of sorted) if (out.length === 0 || x > out[out.length - 1]) out.push(x);
  return out;
}

/** PSI with its sample-size correction (METRICS §4.2). */
export interface PsiTest {
  readonly psi: number;
  /** Number of bins B. */
  readonly bins: number;
  /** E₀[PSI] = (B − 1)(1/n + 1/m): the PSI two samples of one distribution show on average. */
  readonly expectedUnderNoChange: number;
  /** max(0, PSI − E₀): the effect size the score and the warn/drift thresholds read. */
  readonly psiAdjusted: number;
  /** χ²_{B−1, 0.99} · (1/n + 1/m): PSI below this is within sampling noise. */
  readonly critical: number;
  /** PSI beyond the critical value: the difference is not sampling noise. */
  readonly significant: boolean;
}

/**
 * Corrects a PSI measured on B bins between samples of n and m rows for its sampling expectation.
 * Under no change (1/n + 1/m)⁻¹ · PSI ≈ χ²_{B−1}, so small samples show PSI ≈ 0.1 with no drift at all.
 */
export function testPsi(psiValue: number, bins: number, n: number, m: number, confidence = 0.99): PsiTest {
  if (!(n > 0 && m > 0)) throw new RangeError(`PSI correction needs n, m > 0, got n=${n}, m=${m}`);
  const scale = 1 / n + 1 / m;
  const df = Math.max(1, bins - 1);
  const expectedUnderNoChange = bins > 1 ? (bins - 1) * scale : 0;
  const critical = bins > 1 ? chiSquareQuantile(confidence, df) * scale : 0;
  return {
    psi: psiValue,
    bins,
    expectedUnderNoChange,
    psiAdjusted: Math.max(0, psiValue - expectedUnderNoChange),
    critical,
    significant: bins > 1 && psiValue > critical,
  };
}

/** Default PSI thresholds on the corrected value (METRICS §4.2). */
export const PSI_WARN = 0.1;
export const PSI_DRIFT = 0.25;

/**
 * The call a corrected PSI supports: 'drift' at PSI_adj ≥ 0.25, 'warn' at ≥ 0.10, and 'none' below or whenever
 * the raw PSI is within the χ² noise band (small samples are not called drift).
 */
export function psiLevel(test: PsiTest): 'none' | 'warn' | 'drift' {
  if (!test.significant) return 'none';
  if (test.psiAdjusted >= PSI_DRIFT) return 'drift';
  if (test.psiAdjusted >= PSI_WARN) return 'warn';
  return 'none';
}
