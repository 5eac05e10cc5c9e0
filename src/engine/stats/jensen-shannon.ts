/**
 * Jensen–Shannon distance in base 2: √JSD with JSD = ½ KL(p‖M) + ½ KL(q‖M), M = (p + q)/2.
 * It is a metric in [0, 1] (1 = disjoint supports). Inputs are shares over the same categories; they are
 * normalised to sum 1 first so that lumped tails do not bias it.
 *
 * @example jensenShannonDistance([1, 0], [0, 1]) // = 1
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new RangeError(`JS distance needs equal lengths, got ${p.length} and ${q.length}`);
  const sp = sum(p);
  const sq = sum(q);
  if (!(sp > 0 && sq > 0)) throw new RangeError('JS distance needs two non-empty distributions');
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const mid = (a + b) / 2;
    if (a > 0) divergence += 0.5 * a * Math.log2(a / mid);
    if (b > 0) divergence += 0.5 * b * Math.log2(b / mid);
  }
  return Math.sqrt(Math.min(1, Math.max(0, divergence)));
}

/**
 * The PSI a JS distance corresponds to for small differences: PSI ≈ 8 ln 2 · JSd² (both are second-order in
 * p − q: PSI ≈ Σ (p − q)²/p, JSD_bits ≈ Σ (p − q)²/(8 ln 2 · p)). So JSd 0.134 ≈ PSI 0.10 and 0.212 ≈ 0.25.
 */
export function psiEquivalentOfJs(distance: number): number {
  return 8 * Math.LN2 * distance * distance;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
