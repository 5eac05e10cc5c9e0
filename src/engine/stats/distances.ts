/** L∞ = max_i |p_i − q_i| (TFDV's infinity norm over the top categories). */
export function lInfinity(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new RangeError(`L∞ needs equal lengths, got ${p.length} and ${q.length}`);
  let d = 0;
  for (let i = 0; i < p.length; i++) d = Math.max(d, Math.abs(p[i] - q[i]));
  return d;
}

/** Total variation distance ½ Σ |p_i − q_i| (the share of mass that would have to move). */
export function totalVariation(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length) throw new RangeError(`TVD needs equal lengths, got ${p.length} and ${q.length}`);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - q[i]);
  return s / 2;
}

/**
 * Expected TVD between two samples of n and m values drawn from the same distribution with shares `shares`
 * (METRICS §5.2): each |p̂_f − q̂_f| is about normal with σ_f = √(p_f(1−p_f)(1/n + 1/m)), whose mean absolute
 * value is σ_f·√(2/π); halving the sum gives Σ_f √(p_f(1 − p_f)) · √(1/n + 1/m) / √(2π).
 */
export function tvdExpectedUnderNoChange(shares: readonly number[], n: number, m: number): number {
  if (!(n > 0 && m > 0)) return 0;
  let s = 0;
  for (const p of shares) if (p > 0 && p < 1) s += Math.sqrt(p * (1 - p));
  return (s * Math.sqrt(1 / n + 1 / m)) / Math.sqrt(2 * Math.PI);
}
