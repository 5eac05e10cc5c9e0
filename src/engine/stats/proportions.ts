import { normalQuantile } from './chi-square.js';

/** Cohen's h = 2·asin√p₁ − 2·asin√p₂: effect size of a difference of proportions (0.2 small, 0.5 medium). */
export function cohenH(p1: number, p2: number): number {
  return 2 * Math.asin(Math.sqrt(clamp01(p1))) - 2 * Math.asin(Math.sqrt(clamp01(p2)));
}

/** A two-sided confidence interval of a proportion. */
export interface ProportionInterval {
  readonly low: number;
  readonly high: number;
  readonly halfWidth: number;
}

/**
 * Wilson score interval for `successes` out of `n` at the given confidence (default 95%).
 * Unlike the Wald interval it stays inside [0, 1] and does not collapse at p = 0 or 1.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): ProportionInterval {
  if (!(n > 0)) return { low: 0, high: 1, halfWidth: 0.5 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, center - halfWidth), high: Math.min(1, center + halfWidth), halfWidth };
}

/**
 * Expected |p̂ − q̂| of two samples of n and m from one population with share p: σ·√(2/π) with
 * σ = √(p(1 − p)(1/n + 1/m)). The amount a difference of shares shows with no change at all.
 */
export function expectedAbsoluteDifference(p: number, n: number, m: number): number {
  if (!(n > 0 && m > 0)) return 0;
  const q = clamp01(p);
  return Math.sqrt(q * (1 - q) * (1 / n + 1 / m)) * Math.sqrt(2 / Math.PI);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
