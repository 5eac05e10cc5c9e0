/** Coefficient of the two-sample Kolmogorov–Smirnov critical value at α = 0.05. */
export const KS_COEFFICIENT_95 = 1.358;

/**
 * Kolmogorov–Smirnov distance D = sup_x |F_P(x) − F_Q(x)| evaluated at the given points.
 * For exact step CDFs the supremum is reached at a jump point, either at the point itself (F = share ≤ x)
 * or just before it (share < x); pass the strict CDFs to check both sides of every jump.
 */
export function ksDistance(
  points: Iterable<number>,
  cdfP: (x: number) => number,
  cdfQ: (x: number) => number,
  strictP?: (x: number) => number,
  strictQ?: (x: number) => number,
): number {
  let d = 0;
  for (const x of points) {
    d = Math.max(d, Math.abs(cdfP(x) - cdfQ(x)));
    if (strictP && strictQ) d = Math.max(d, Math.abs(strictP(x) - strictQ(x)));
  }
  return d;
}

/** Critical D of the two-sample KS test: c(α) · √((n + m) / (n · m)); 0.096 for n = m = 400 at α = 0.05. */
export function ksCritical(n: number, m: number, coefficient = KS_COEFFICIENT_95): number {
  if (!(n > 0 && m > 0)) throw new RangeError(`KS critical value needs n, m > 0, got n=${n}, m=${m}`);
  return coefficient * Math.sqrt((n + m) / (n * m));
}

/** KS with the noise floor of approximate CDFs (METRICS §4.3). */
export interface KsTest {
  readonly d: number;
  /** ε_P + ε_Q: the largest D the sketches' rank error alone can produce. */
  readonly noiseFloor: number;
  readonly critical: number;
  /** D − (ε_P + ε_Q) > critical. */
  readonly significant: boolean;
}

/** Judges a KS distance against the sampling critical value after removing the sketches' rank error. */
export function testKs(d: number, n: number, m: number, epsilonP: number, epsilonQ: number): KsTest {
  const critical = ksCritical(n, m);
  const noiseFloor = epsilonP + epsilonQ;
  return { d, noiseFloor, critical, significant: d - noiseFloor > critical };
}
