import { describe, expect, it } from 'vitest';
import { ColumnState } from './column-state.js';
import { finalizeColumn } from './finalize-column.js';
import { createUniform } from '../../../test/support/random.js';

function column(name: string, values: Array<string | undefined>) {
  const state = new ColumnState(1);
  for (const v of values) state.update(v);
  return finalizeColumn(state, name, 0, values.length);
}

const repeat = (value: string, n: number): string[] => Array.from({ length: n }, () => value);

describe('sentinels in context', () => {
  it('reads NA as North America in a column of continent codes', () => {
    const values = [...repeat('EU', 40), ...repeat('AS', 30), ...repeat('NA', 25), ...repeat('AF', 10), ...repeat('OC', 5), ...repeat('SA', 8)];
    const c = column('continent', values);
    expect(c.sentinels).toEqual([{ token: 'NA', count: 25, judgedAs: 'value' }]);
    expect(c.counts.sentinel).toBe(0);
    expect(c.counts.present).toBe(values.length);
    expect(c.distinct).toBe(6);
    expect(c.topValues.items().map(([v]) => v)).toContain('NA');
  });

  it('reads NA as Namibia among ISO country codes even when rare', () => {
    const codes = ['DE', 'FR', 'US', 'GB', 'IT', 'ES', 'PL', 'NL', 'BE', 'AT'];
    const values = [...codes.flatMap((c) => repeat(c, 20)), 'NA'];
    expect(column('iso_country', values).sentinels[0].judgedAs).toBe('value');
  });

  it('reads None as a damage category when it is an ordinary (here dominant) member', () => {
    const values = [...repeat('None', 89), ...repeat('Minor', 5), ...repeat('Substantial', 3), ...repeat('Medium', 2), 'Destroyed'];
    const c = column('damage', values);
    expect(c.sentinels).toEqual([{ token: 'None', count: 89, judgedAs: 'value' }]);
    expect(c.completeness).toBe(1);
  });

  it('reads NA as a null in numeric columns, rare outliers of categories and free text', () => {
    const numeric = column('mass', [...Array.from({ length: 50 }, (_, i) => String(3000 + i * 10)), 'NA', 'NA']);
    expect(numeric.sentinels[0].judgedAs).toBe('null');
    expect(numeric.counts.sentinel).toBe(2);
    expect(numeric.type).toBe('integer');

    const sex = column('sex', [...repeat('MALE', 168), ...repeat('FEMALE', 165), ...repeat('NA', 11)]);
    expect(sex.sentinels[0].judgedAs).toBe('null');
    expect(sex.counts.sentinel).toBe(11);

    const comments = column('comments', [...repeat('Nest never observed with full clutch.', 34), ...repeat('Not enough blood for isotopes.', 20), ...repeat('NA', 290)]);
    expect(comments.sentinels[0].judgedAs).toBe('null');
  });

  it('judges the same way for any split of the rows', () => {
    const values = [...repeat('EU', 40), ...repeat('NA', 25), ...repeat('AS', 30)];
    for (const cut of [1, 30, 50, 94]) {
      const a = new ColumnState(1);
      const b = new ColumnState(2);
      values.slice(0, cut).forEach((v) => a.update(v));
      values.slice(cut).forEach((v) => b.update(v));
      const merged = finalizeColumn(a.merge(b), 'continent', 0, values.length);
      expect(merged.sentinels).toEqual([{ token: 'NA', count: 25, judgedAs: 'value' }]);
    }
  });
});

describe('column types', () => {
  it('keeps identifiers as text: leading zeros, beyond 2^53, or one long digit length', () => {
    expect(column('zip', ['01234', '12345', '02115', '90210']).type).toBe('digit_code');
    expect(column('id', ['12345678901234567', '12345678901234568', '22345678901234569']).type).toBe('digit_code');
    expect(column('account', Array.from({ length: 40 }, (_, i) => String(700000 + i * 13))).type).toBe('digit_code');
    expect(column('year', ['1999', '2001', '2015', '1987']).type).toBe('integer');
  });

  it('widens along the lattice and calls a split column mixed', () => {
    expect(column('flag', ['0', '1', '1', '0']).type).toBe('boolean');
    expect(column('active', ['yes', 'no', 'Yes']).type).toBe('boolean');
    expect(column('n', ['1', '2', '3.5', '4']).type).toBe('decimal');
    expect(column('when', ['2024-01-01', '2024-01-02T10:00:00Z']).type).toBe('datetime');
    expect(column('half', ['1', '2', '3', 'a', 'b', 'c']).type).toBe('mixed');
    expect(column('empty', ['', ' ', '']).type).toBe('empty');
  });

  it('reads 10-digit integers in a time-named column as epoch seconds', () => {
    const c = column('created_at', ['1700000000', '1700003600', '1700007200']);
    expect(c.type).toBe('datetime');
    expect(c.timestamps?.max).toBe(1700007200);
    expect(c.timestamps?.role).toBe('event');
  });
});

describe('date order', () => {
  it('resolves DD/MM, MM/DD, mixed and ambiguous from the evidence', () => {
    expect(column('d', ['31/12/2020', '01/02/2020']).dateOrder).toBe('dmy');
    expect(column('d', ['12/31/2020', '01/02/2020']).dateOrder).toBe('mdy');
    expect(column('d', ['31/12/2020', '12/31/2020']).dateOrder).toBe('mixed');
    expect(column('d', ['01/02/2020', '03/04/2020']).dateOrder).toBe('ambiguous');
  });

  it('reads day-first dates with their resolved order', () => {
    const c = column('d', ['31/12/2020', '01/02/2020']);
    // 1 February 2020, not 2 January.
    expect(c.timestamps?.min).toBe(Date.UTC(2020, 1, 1) / 1000);
    expect(c.formats.get('date:DD/MM/YYYY')).toBe(2);
  });
});

describe('format consistency and hygiene', () => {
  it('takes the dominant format share and counts hygiene defects and spelling variants', () => {
    const c = column('city', ['Berlin', 'Berlin', 'berlin', ' Berlin', 'Munich', 'München']);
    expect(c.formatConsistency).toBeCloseTo(5 / 6, 12);
    expect(c.hygieneDefectShare).toBeCloseTo(1 / 6, 12);
    // `berlin` and ` Berlin` are spellings of `Berlin`: 2 of 6 present values.
    expect(c.variantRate).toBeGreaterThan(0);
  });
});

describe('classes a column must support (METRICS §2.1)', () => {
  it('reads NO among country codes as a code, and yes/no flags as booleans', () => {
    const codes = ['DE', 'FR', 'US', 'GB', 'IT', 'ES', 'PL', 'NL', 'BE', 'AT'];
    const countries = column('country', [...codes.flatMap((c) => repeat(c, 20)), ...repeat('NO', 6)]);
    expect(countries.type).toBe('text');
    expect([...countries.formats.keys()]).toEqual(['text:UPPER']);
    expect(countries.formatConsistency).toBe(1);
    const flags = column('active', [...repeat('yes', 60), ...repeat('no', 40), ...repeat('maybe', 5)]);
    expect(flags.type).toBe('boolean');
    expect(flags.formats.get('bool:yes/no:lower')).toBe(100);
  });

  it('reads codes that look like money (USD12) as codes unless the column is amounts', () => {
    const parts = column('part', [...Array.from({ length: 90 }, (_, i) => `AB${100 + i}`), 'USD12', 'EUR5', 'GBP30']);
    expect(parts.type).toBe('text');
    expect(parts.formats.has('currency:CCCN:int')).toBe(false);
    expect(parts.formats.get('text:UPPER')).toBe(93);
    const amounts = column('amount', Array.from({ length: 50 }, (_, i) => `USD ${10 + i}`));
    expect(amounts.type).toBe('currency');
  });

  it('does not mask negative decimals as phone numbers', () => {
    const latitudes = column('latitude', Array.from({ length: 60 }, (_, i) => (-33.9461111547 + i / 1000).toFixed(10)));
    expect(latitudes.type).toBe('decimal');
    expect(latitudes.sensitive).toBeNull();
  });

  it('finds no spelling variants among numbers (-5 and 5 are two values)', () => {
    const delays = column('delay', [...repeat('-5', 30), ...repeat('5', 30), ...repeat('0', 40)]);
    expect(delays.variantRate).toBe(0);
    const names = column('name', [...repeat('Acme', 30), ...repeat('ACME', 10), ...repeat('Globex', 60)]);
    expect(names.variantRate).toBeCloseTo(0.1, 12);
  });

  it('reads year-first dates with slashes as dates and times', () => {
    const c = column('date', Array.from({ length: 30 }, (_, i) => `2001/01/${String(1 + (i % 28)).padStart(2, '0')} 0${i % 10}:47`));
    expect(c.type).toBe('datetime');
    expect(c.dominantFormat).toBe('date:YYYY/MM/DD HH:MM');
    expect(c.timestamps?.min).toBe(Date.UTC(2001, 0, 1, 0, 47) / 1000);
    expect(c.role).toBe('temporal');
  });
});

describe('exact frequencies and bounds', () => {
  it('counts a column of thousands of distinct values exactly when its state allows, and knows its distinct count', () => {
    // a long tail: value i drawn with weight 1/(i+1), so values repeat from the start
    const random = createUniform(5);
    const weights = Array.from({ length: 3000 }, (_, i) => 1 / (i + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const values = Array.from({ length: 9000 }, () => {
      let u = random() * total;
      let i = 0;
      while (u > weights[i] && i < weights.length - 1) u -= weights[i++];
      return `city-${i}`;
    });
    const distinct = new Set(values).size;
    const state = new ColumnState(1, undefined, { topValuesExactLimit: 4096 });
    for (const v of values) state.update(v);
    const c = finalizeColumn(state, 'city', 0, values.length);
    expect(distinct).toBeGreaterThan(1000);
    expect(c.topValuesExact).toBe(true);
    expect(c.distinctExact).toBe(true);
    expect(c.distinct).toBe(distinct);
    expect(c.distinctBounds).toEqual({ low: distinct, high: distinct });
    expect(c.topValues.items()[0][1]).toBe(values.filter((v) => v === 'city-0').length);
  });

  it('gives an estimated distinct count with bounds that hold it', () => {
    const values = Array.from({ length: 20_000 }, (_, i) => `id-${String(i).padStart(5, "0")}`);
    const c = column('id', values);
    expect(c.distinctExact).toBe(false);
    expect(c.distinctBounds.low).toBeLessThanOrEqual(20_000);
    expect(c.distinctBounds.high).toBeGreaterThanOrEqual(20_000);
    expect(c.distinctBounds.high).toBeLessThanOrEqual(20_000);
    expect(c.role).toBe('identifier');
  });
});
