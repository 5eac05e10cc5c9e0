import { describe, expect, it } from 'vitest';
import { duplicateNames, matchColumns, normalizeColumnName } from './column-matching.js';

describe('column matching', () => {
  it('normalises case, spacing and punctuation', () => {
    expect(normalizeColumnName('Cost Total $')).toBe(normalizeColumnName('Cost__Total_$'));
    expect(normalizeColumnName(' Ｃｒｅａｔｅｄ At ')).toBe('createdat');
    expect(normalizeColumnName('Phase of flight')).not.toBe(normalizeColumnName('When__Phase_of_flight'));
  });

  it('matches by map, then exact name, then normalised name', () => {
    const m = matchColumns(['id', 'Flight Date', 'Phase of flight', 'gone'], ['When__Phase_of_flight', 'Flight_Date', 'id', 'new'], {
      'Phase of flight': 'When__Phase_of_flight',
      nope: 'x',
    });
    expect(m.pairs).toEqual([
      { pilot: 'id', production: 'id', matchedBy: 'exact' },
      { pilot: 'Flight Date', production: 'Flight_Date', matchedBy: 'normalized' },
      { pilot: 'Phase of flight', production: 'When__Phase_of_flight', matchedBy: 'map' },
      { pilot: 'gone', production: null, matchedBy: null },
    ]);
    expect(m.extra).toEqual(['new']);
    expect(m.unusedMappings).toEqual(['nope']);
  });

  it('uses each production column once and prefers the exact name', () => {
    const m = matchColumns(['a', 'A'], ['A']);
    expect(m.pairs.find((p) => p.pilot === 'A')?.matchedBy).toBe('exact');
    expect(m.pairs.find((p) => p.pilot === 'a')?.production).toBeNull();
  });

  it('finds duplicate names', () => {
    expect(duplicateNames(['a', 'b', 'a', 'c', 'b', 'a'])).toEqual(['a', 'b']);
  });
});
