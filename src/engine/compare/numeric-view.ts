import type { ColumnSnapshot, NumericSnapshot } from '../model/snapshot.js';
import { KllSketch } from '../sketch/kll.js';

const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The numeric values of a column: the profiler's numeric snapshot, or, when the profiler read the column as
 * something else (e.g. integers that all have five digits read as codes) but its value dictionary is exact and
 * at least 95% of it is plain numbers, a snapshot rebuilt from that dictionary (exact, since every value and
 * count is known). Null otherwise.
 */
export function numericView(column: ColumnSnapshot): NumericSnapshot | null {
  if (column.numeric !== null) return column.numeric;
  if (!column.topValuesExact) return null;
  const items = column.topValues.items();
  let total = 0;
  let numeric = 0;
  for (const [value, count] of items) {
    total += count;
    if (PLAIN_NUMBER.test(value.trim())) numeric += count;
  }
  if (total === 0 || numeric < 0.95 * total) return null;
  const sketch = new KllSketch();
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const [value, c] of items) {
    if (!PLAIN_NUMBER.test(value.trim())) continue;
    const x = Number(value);
    for (let i = 0; i < c; i++) sketch.update(x);
    count += c;
    sum += x * c;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = sum / count;
  let squares = 0;
  for (const [value, c] of items) if (PLAIN_NUMBER.test(value.trim())) squares += c * (Number(value) - mean) ** 2;
  return { count, min, max, mean, stddev: count > 1 ? Math.sqrt(squares / (count - 1)) : 0, sketch };
}
