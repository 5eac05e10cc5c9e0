/** Widest range of integers that `sortPrefix` counting-sorts. */
const COUNTING_SORT_RANGE = 1024;
/** Counts per value for the counting sort (module-level: allocated once, left zeroed). */
const valueCounts = new Int32Array(COUNTING_SORT_RANGE);

/**
 * Sorts a[0..length) ascending: beyond 32 items exactly as `Float64Array.prototype.sort` does;
 * up to 32 by insertion, which leaves −0 and 0 in their order and NaN in place (KLL, the user,
 * stores neither NaN nor −0).
 *
 * KLL sorts its level 0 at every compaction, which makes this the sketch's main cost, so
 * common inputs get a linear path: a prefix already in order (ids, timestamps of an
 * append-only export) is left as is, and one of integers within a range of 1,024 (string
 * lengths, digit counts, small quantities) is counting-sorted. Anything else, and any prefix
 * holding NaN or −0 (whose places only the generic sort defines), takes the generic sort.
 *
 * @example
 * const a = Float64Array.of(3, 1, 2, 9);
 * sortPrefix(a, 3); // a = [1, 2, 3, 9]
 */
export function sortPrefix(a: Float64Array, length: number): void {
  if (length <= 32) {
    insertionSort(a, length);
    return;
  }
  let sorted = true;
  let integral = true;
  let special = false;
  let min = a[0];
  let max = a[0];
  for (let i = 0; i < length; i++) {
    const v = a[i];
    if (i > 0 && v < a[i - 1]) sorted = false;
    if (v < min) min = v;
    else if (v > max) max = v;
    if (Math.floor(v) !== v) integral = false;
    if (v !== v || (v === 0 && 1 / v < 0)) special = true;
  }
  if (!special) {
    if (sorted) return;
    if (integral && max - min < COUNTING_SORT_RANGE) {
      for (let i = 0; i < length; i++) valueCounts[a[i] - min]++;
      let o = 0;
      for (let d = 0; d <= max - min; d++) {
        let c = valueCounts[d];
        if (c === 0) continue;
        valueCounts[d] = 0;
        const v = min + d;
        while (c-- > 0) a[o++] = v;
      }
      return;
    }
  }
  a.subarray(0, length).sort();
}

function insertionSort(a: Float64Array, length: number): void {
  for (let i = 1; i < length; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
