import { describe, expect, it } from 'vitest';
import { xxh64Into } from '../sketch/xxh64.js';
import { shapeMaskL1, shapeMaskL2, shapeMaskL2Hashed } from './shape-mask.js';

describe('shapeMaskL2', () => {
  it.each([
    ['INV-00123', 'AAA-99999'],
    ['01234', '99999'],
    ['1234', '9999'],
    ['us-ca', 'aa-aa'],
    ['Zoë 7', 'Aaa_9'],
    ['Łukasz', 'Aaaaaa'],
    ['東京 1', 'LL_9'],
    ['a\tb\u00a0c', 'a_a_a'],
    ['$1,234.56', '$9,999.99'],
    ['', ''],
    ['😀x', '😀a'],
    ['𝐀𝐛', 'Aa'],
    ['٣', '9'],
  ])('%j → %j', (value, mask) => {
    expect(shapeMaskL2(value)).toBe(mask);
  });

  it('keeps 24 code points and marks the cut with …', () => {
    expect(shapeMaskL2('x'.repeat(24))).toBe('a'.repeat(24));
    expect(shapeMaskL2('x'.repeat(25))).toBe('a'.repeat(24) + '…');
    expect(shapeMaskL2('😀'.repeat(30))).toBe('😀'.repeat(24) + '…');
  });

  it('agrees with a per-code-point regex mapping on mixed text', () => {
    const ref = (v: string): string => {
      const cps = [...v];
      const mapped = cps.slice(0, 24).map((ch) =>
        /\s/u.test(ch) ? '_' : /[\p{Lu}\p{Lt}]/u.test(ch) ? 'A' : /\p{Ll}/u.test(ch) ? 'a' : /\p{L}/u.test(ch) ? 'L' : /\p{Nd}/u.test(ch) ? '9' : ch,
      );
      return mapped.join('') + (cps.length > 24 ? '…' : '');
    };
    const samples = ['Hello, World! 123', 'São Paulo – SP', 'ИВАНОВ и.и.', 'ǅemal', 'a_b-c.d/e', "O'Brien #42", 'Ǆ'.repeat(30), '12:30 PM', 'ǈ\u0301x'];
    for (const s of samples) expect(shapeMaskL2(s), s).toBe(ref(s));
  });
});

describe('shape masks on many values (the mask cache must never return another value\'s mask)', () => {
  const refL2 = (v: string): string => {
    const cps = [...v];
    const mapped = cps.slice(0, 24).map((ch) =>
      /\s/u.test(ch) ? '_' : /[\p{Lu}\p{Lt}]/u.test(ch) ? 'A' : /\p{Ll}/u.test(ch) ? 'a' : /\p{L}/u.test(ch) ? 'L' : /\p{Nd}/u.test(ch) ? '9' : ch,
    );
    return mapped.join('') + (cps.length > 24 ? '…' : '');
  };
  const refL1 = (l2: string): string => [...l2].filter((ch, i, all) => i === 0 || ch !== all[i - 1]).join('');

  it('agrees with the reference for 20,000 seeded random values, twice in a row', () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const alphabet = [...'aZ9 -_.,/:#@€éÉ東😀\t'];
    const values = Array.from({ length: 20_000 }, () =>
      Array.from({ length: Math.floor(rnd() * 30) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''),
    );
    for (let round = 0; round < 2; round++) {
      for (const v of values) {
        const l2 = shapeMaskL2(v);
        expect(l2).toBe(refL2(v));
        expect(shapeMaskL1(l2)).toBe(refL1(l2));
      }
    }
  });
});

describe('shapeMaskL1', () => {
  it.each([
    ['AAA-99999', 'A-9'],
    ['Aaaaa_Aaaaa', 'Aa_Aa'],
    ['99999', '9'],
    ['', ''],
    ['a'.repeat(24) + '…', 'a…'],
  ])('%j → %j', (l2, l1) => {
    expect(shapeMaskL1(l2)).toBe(l1);
  });

  it('works on strings longer than a mask', () => {
    const s = 'ab'.repeat(40);
    expect(shapeMaskL1(s)).toBe(s);
    expect(shapeMaskL1('aab'.repeat(40))).toBe('ab'.repeat(40));
  });
});

describe('shapeMaskL2Hashed', () => {
  it('returns the L2 mask and its xxh64, from the cache or not, also after the slot was reused', () => {
    const out = new Int32Array(2);
    const expected = new Int32Array(2);
    const values = ['INV-00123', 'INV-00123', 'Zoë 7', 'AB-12', 'x'.repeat(40), 'INV-99999', 'Zoë 7'];
    for (let round = 0; round < 2; round++) {
      for (const value of values) {
        const mask = shapeMaskL2Hashed(value, out);
        expect(mask).toBe(shapeMaskL2(value));
        xxh64Into(mask, expected);
        expect([...out]).toEqual([...expected]);
        // L1 masks share the cache; the hash must never be one of another string.
        shapeMaskL1(mask);
      }
    }
  });
});
