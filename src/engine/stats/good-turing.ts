/**
 * Good–Turing estimate of the share of future values that belong to categories not seen so far: N₁/N, the
 * share of observations whose value occurred exactly once. A random half of a long-tail column sees this
 * share of "new" values with no change at all.
 */
export function goodTuringUnseenShare(counts: Iterable<number>): number {
  let total = 0;
  let singletons = 0;
  for (const c of counts) {
    total += c;
    if (c === 1) singletons += 1;
  }
  return total > 0 ? singletons / total : 0;
}

/** Share of production values in categories the pilot never had, judged against the Good–Turing expectation. */
export interface UnseenShareTest {
  readonly observed: number;
  readonly expected: number;
  /** max(0, observed − expected). */
  readonly excess: number;
  /** Standard deviation of observed − expected: binomial √(e(1 − e)/m), plus the estimator's when given. */
  readonly sigma: number;
  /** observed > expected + 3σ. */
  readonly beyondNoise: boolean;
  /** excess ≥ minExcess (default 1%) and beyond noise (METRICS §4.2). */
  readonly flagged: boolean;
}

/**
 * Tests an observed unseen share among m production values against the expected share. When the expectation
 * is itself the Good–Turing estimate from a pilot of `pilotSize` values, its own sampling variance (about
 * N₁/N², the singleton count being roughly Poisson) is added to the binomial one, so a small pilot's noisy
 * estimate does not turn chance into a finding.
 */
export function testUnseenShare(observed: number, expected: number, m: number, minExcess = 0.01, pilotSize?: number): UnseenShareTest {
  const binomial = m > 0 ? (expected * (1 - expected)) / m : 0;
  const estimator = pilotSize !== undefined && pilotSize > 0 ? expected / pilotSize : 0;
  const sigma = Math.sqrt(binomial + estimator);
  const excess = Math.max(0, observed - expected);
  const beyondNoise = observed > expected + 3 * sigma;
  return { observed, expected, excess, sigma, beyondNoise, flagged: beyondNoise && excess >= minExcess };
}
