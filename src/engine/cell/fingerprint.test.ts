import { describe, expect, it } from 'vitest';
import { fingerprintKey, ngramFingerprintKey } from './fingerprint.js';

describe('fingerprintKey', () => {
  it.each([
    ['  Café, de Paris ', 'cafe de paris'],
    ['Paris de café', 'cafe de paris'],
    ['PARIS  DE CAFE.', 'cafe de paris'],
    ['the the cat', 'cat the'],
    ['Straße', 'strasse'],
    ['Æsir', 'aesir'],
    ['Søren Øster', 'oester soeren'],
    ['Œuvre', 'oeuvre'],
    ['Þór', 'thor'],
    ['Đorđe', 'dorde'],
    ['Łukasz', 'lukasz'],
    ['Zoë', 'zoe'],
    ['México', 'mexico'],
    ['ﬁle', 'file'],
    ['Ｆｕｌｌ', 'full'],
    ["O'Brien", 'obrien'],
    ['U.S.A.', 'usa'],
    ['a\u0000b\tc', 'ab c'],
    ['', ''],
    ['  ', ''],
    ['!!!', ''],
  ])('%j → %j', (value, key) => {
    expect(fingerprintKey(value)).toBe(key);
  });

  it('puts the gen-csv country spellings of the United States into two clusters, not six', () => {
    const keys = new Set(['US', 'us ', 'U.S.', 'USA', 'United States', 'united states'].map(fingerprintKey));
    expect([...keys].sort()).toEqual(['states united', 'us', 'usa']);
  });
});

describe('ngramFingerprintKey', () => {
  it('concatenates the sorted distinct 2-grams of the normalised text without whitespace', () => {
    // 2-grams of "paris": pa, ar, ri, is → sorted ar, is, pa, ri
    expect(ngramFingerprintKey('Paris')).toBe('arispari');
    expect(ngramFingerprintKey(' P a-r i s ')).toBe('arispari');
    expect(ngramFingerprintKey('Krzysztof')).toBe('krofrzsztoysztzy');
  });

  it('clusters transpositions that the word fingerprint keeps apart', () => {
    expect(fingerprintKey('Ashley Madison')).not.toBe(fingerprintKey('AshleyMadison'));
    expect(ngramFingerprintKey('Ashley Madison')).toBe(ngramFingerprintKey('AshleyMadison'));
  });

  it('supports other n and short values', () => {
    expect(ngramFingerprintKey('abcab', 3)).toBe('abcbcacab');
    expect(ngramFingerprintKey('a', 2)).toBe('a');
    expect(ngramFingerprintKey('', 2)).toBe('');
    expect(() => ngramFingerprintKey('x', 0)).toThrow(RangeError);
  });
});
