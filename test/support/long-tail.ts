/**
 * A long-tailed stream of `length` values: `v<i>` drawn with probability ∝ 1/(i+1)^s over `distinct`
 * values, from the uniform generator `random` (see random.ts), so that tests of frequency summaries
 * see a head of frequent values and a tail of rare ones, in random order.
 */
export function zipfStream(random: () => number, length: number, distinct: number, s: number): string[] {
  const weights = Array.from({ length: distinct }, (_, i) => 1 / (i + 1) ** s);
  const total = weights.reduce((a, w) => a + w, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) cumulative.push((acc += w / total));
  return Array.from({ length }, () => {
    const u = random();
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] >= u) hi = mid;
      else lo = mid + 1;
    }
    return `v${lo}`;
  });
}
