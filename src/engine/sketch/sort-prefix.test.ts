import { describe, expect, it } from 'vitest';
import { sortPrefix } from './sort-prefix.js';
import { createUniform as mulberry32 } from '../../../test/support/random.js';

/** Sorts a copy of the prefix with the built-in sort, leaves the rest: the expected result. */
function reference(values: Float64Array, length: number): Float64Array {
  const out = values.slice();
  out.subarray(0, length).sort();
  return out;
}

/** Same bits, so −0 and 0 are told apart. */
function sameArray(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe('sortPrefix', () => {
  const random = mulberry32(42);
  const shapes: Record<string, (i: number) => number> = {
    ascending: (i) => 1_000_000 + i,
    'ascending with ties': (i) => Math.floor(i / 3),
    descending: (i) => -i,
    'small integers': () => 5 + Math.floor(random() * 40),
    'integers spanning 1,023': (i) => (i === 0 ? 0 : i === 1 ? 1023 : Math.floor(random() * 1024)),
    'integers spanning 1,024': (i) => (i === 0 ? 0 : i === 1 ? 1024 : Math.floor(random() * 1025)),
    'negative integers': () => -Math.floor(random() * 300),
    'wide integers': () => Math.floor(random() * 1e12),
    decimals: () => Math.round(random() * 1e6) / 100,
    'zeros and negative zeros': () => (random() < 0.5 ? -0 : random() < 0.5 ? 0 : 1),
    'with NaN': () => (random() < 0.1 ? Number.NaN : Math.floor(random() * 10)),
    'with infinities': () => (random() < 0.1 ? Number.NEGATIVE_INFINITY : random() < 0.1 ? Number.POSITIVE_INFINITY : Math.floor(random() * 10)),
  };

  it('orders prefixes over 32 items exactly as Float64Array#sort does, whatever their shape', () => {
    for (const [shape, make] of Object.entries(shapes)) {
      for (const length of [33, 64, 200, 201, 1000]) {
        const values = Float64Array.from({ length: length + 5 }, (_, i) => make(i));
        const expected = reference(values, length);
        sortPrefix(values, length);
        expect(sameArray(values, expected), `${shape}, ${length}`).toBe(true);
      }
    }
  });

  it('sorts short prefixes by value and leaves the rest alone', () => {
    for (let length = 0; length <= 32; length++) {
      const values = Float64Array.from({ length: length + 3 }, () => Math.floor(random() * 20) - 5);
      const expected = reference(values, length);
      sortPrefix(values, length);
      expect(Array.from(values)).toEqual(Array.from(expected));
    }
  });

  it('leaves no counts behind between calls', () => {
    const a = Float64Array.from({ length: 100 }, (_, i) => (i * 37) % 50);
    const b = Float64Array.from({ length: 100 }, (_, i) => (i * 37) % 50);
    sortPrefix(a, 100);
    sortPrefix(b, 100);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(a)).toEqual(Array.from(reference(Float64Array.from({ length: 100 }, (_, i) => (i * 37) % 50), 100)));
  });
});
