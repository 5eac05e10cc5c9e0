import { logGamma } from './chi-square.js';

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** ln P(X = k) for X ~ BetaBinomial(m, α, β). */
export function betaBinomialLogPmf(k: number, m: number, alpha: number, beta: number): number {
  if (k < 0 || k > m) return Number.NEGATIVE_INFINITY;
  const logChoose = logGamma(m + 1) - logGamma(k + 1) - logGamma(m - k + 1);
  return logChoose + logBeta(k + alpha, m - k + beta) - logBeta(alpha, beta);
}

/**
 * P(X ≥ x) for X ~ BetaBinomial(m, α, β): the number of m new draws that land in a region whose probability is
 * itself uncertain, Beta(α, β). This is the exact law of how many production values fall outside a range cut at
 * order statistics of an n-value pilot sample (the range's coverage is a sum of Dirichlet spacings).
 */
export function betaBinomialUpperTail(x: number, m: number, alpha: number, beta: number): number {
  if (!(alpha > 0 && beta > 0)) throw new RangeError(`beta-binomial needs α, β > 0, got ${alpha}, ${beta}`);
  if (x <= 0) return 1;
  if (x > m) return 0;
  const mean = (m * alpha) / (alpha + beta);
  if (x <= mean) {
    // Below the mean the lower tail is the short sum.
    let lower = 0;
    for (let k = 0; k < x; k++) lower += Math.exp(betaBinomialLogPmf(k, m, alpha, beta));
    return Math.min(1, Math.max(0, 1 - lower));
  }
  // Above the mean the terms fall monotonically: stop once they no longer matter.
  let sum = 0;
  for (let k = x; k <= m; k++) {
    const term = Math.exp(betaBinomialLogPmf(k, m, alpha, beta));
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return Math.min(1, sum);
}
