/**
 * Otmar Ertl's improved raw estimator for HyperLogLog ("New cardinality estimation algorithms
 * for HyperLogLog sketches", arXiv 1702.01284, Algorithm 6). It is unbiased over the whole
 * range without HLL++'s empirical bias tables or linear-counting switch-over thresholds.
 */

/** α∞ = 1 / (2 ln 2), the large-m limit of the HyperLogLog bias constant. */
const ALPHA_INF = 1 / (2 * Math.LN2);

/**
 * σ(x) = x + Σ_{k≥1} x^(2^k) · 2^(k−1), for x in [0, 1]; infinite at 1 (an empty sketch).
 * The loop stops when adding another term no longer changes the float64 sum.
 */
export function ertlSigma(x: number): number {
  if (x === 1) return Number.POSITIVE_INFINITY;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (z !== previous);
  return z;
}

/**
 * τ(x) = (1 − x − Σ_{k≥1} (1 − x^(2^−k))² · 2^−k) / 3, for x in [0, 1]; zero at both ends.
 */
export function ertlTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (z !== previous);
  return z / 3;
}

/**
 * Cardinality estimate from the register-value histogram of a HyperLogLog with 2^p registers
 * and 64-bit hashes: `histogram[r]` counts registers holding r, for r in 0..65−p.
 * Returns 0 for an empty sketch.
 */
export function ertlEstimate(histogram: ArrayLike<number>, p: number): number {
  const m = 2 ** p;
  const q = 64 - p;
  let z = m * ertlTau(1 - histogram[q + 1] / m);
  for (let k = q; k >= 1; k--) z = 0.5 * (z + histogram[k]);
  z += m * ertlSigma(histogram[0] / m);
  return (ALPHA_INF * m * m) / z;
}
