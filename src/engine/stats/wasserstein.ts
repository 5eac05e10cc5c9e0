/** The probabilities at which W1 is approximated: the midpoints of 100 equal rank slices. */
export function wassersteinProbabilities(count = 100): number[] {
  return Array.from({ length: count }, (_, i) => (i + 0.5) / count);
}

/**
 * Wasserstein-1 distance approximated from quantiles at the same probabilities:
 * W1 = ∫₀¹ |Q_P(u) − Q_Q(u)| du ≈ mean_i |Q_P(u_i) − Q_Q(u_i)|.
 */
export function wassersteinFromQuantiles(quantilesP: readonly number[], quantilesQ: readonly number[]): number {
  if (quantilesP.length !== quantilesQ.length || quantilesP.length === 0) {
    throw new RangeError(`W1 needs two equal, non-empty quantile lists, got ${quantilesP.length} and ${quantilesQ.length}`);
  }
  let sum = 0;
  for (let i = 0; i < quantilesP.length; i++) sum += Math.abs(quantilesP[i] - quantilesQ[i]);
  return sum / quantilesP.length;
}

/**
 * W1 divided by the pilot's standard deviation (as Evidently's normed Wasserstein; drift at 0.1).
 * Null when the pilot is constant and the distance is not 0 (no scale to normalise by); 0 when both agree.
 */
export function normalizedWasserstein(quantilesP: readonly number[], quantilesQ: readonly number[], stdP: number): number | null {
  const w = wassersteinFromQuantiles(quantilesP, quantilesQ);
  if (w === 0) return 0;
  if (!(stdP > 0)) return null;
  return w / stdP;
}
