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

/**
 * Variance of the Good–Turing estimate's error, N₁/N minus the true unseen mass, from the pilot's counts
 * (Esty 1983, "A normal limit law for a nonparametric estimator of the coverage of a random sample"):
 * (N₁ + 2N₂ − N₁²/N) / N². A long tail of values seen twice makes the estimate noisier than N₁ alone says.
 */
export function goodTuringVariance(counts: Iterable<number>): number {
  let total = 0;
  let once = 0;
  let twice = 0;
  for (const c of counts) {
    total += c;
    if (c === 1) once += 1;
    else if (c === 2) twice += 1;
  }
  return total > 0 ? Math.max(0, once + 2 * twice - (once * once) / total) / (total * total) : 0;
}

/**
 * How many standard deviations the unseen share must exceed its expectation by. Four, not three: the estimate
 * comes from the pilot's rare values and is skewed (a pilot that happened to see few singletons predicts too
 * little), and every categorical column of every report runs this test, so three would call chance a finding
 * in about one report in ten on a wide table.
 */
export const UNSEEN_SHARE_SIGMAS = 4;

/** Share of production values in categories the pilot never had, judged against the Good–Turing expectation. */
export interface UnseenShareTest {
  readonly observed: number;
  readonly expected: number;
  /** max(0, observed − expected). */
  readonly excess: number;
  /** Standard deviation of observed − expected: binomial √(e(1 − e)/m), plus the estimator's when given. */
  readonly sigma: number;
  /** observed > expected + 4σ (see {@link UNSEEN_SHARE_SIGMAS}). */
  readonly beyondNoise: boolean;
  /** excess ≥ minExcess (default 1%) and beyond noise (METRICS §4.2). */
  readonly flagged: boolean;
}

/**
 * Tests an observed unseen share among m production values against the expected share. When the expectation
 * is itself the Good–Turing estimate from the pilot, pass its error variance ({@link goodTuringVariance}): it is
 * added to the binomial one, so a small pilot's noisy estimate does not turn chance into a finding.
 */
export function testUnseenShare(observed: number, expected: number, m: number, minExcess = 0.01, estimatorVariance = 0): UnseenShareTest {
  const binomial = m > 0 ? (expected * (1 - expected)) / m : 0;
  const sigma = Math.sqrt(binomial + estimatorVariance);
  const excess = Math.max(0, observed - expected);
  const beyondNoise = observed > expected + UNSEEN_SHARE_SIGMAS * sigma;
  return { observed, expected, excess, sigma, beyondNoise, flagged: beyondNoise && excess >= minExcess };
}
