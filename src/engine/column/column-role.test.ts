import { describe, expect, it } from 'vitest';
import { decideRole, type RoleInput } from './column-role.js';

const base: RoleInput = {
  name: 'c',
  type: 'text',
  present: 1000,
  distinct: 10,
  distinctExact: true,
  quantity: false,
  temporal: false,
  freeText: 0,
  medianLength: 6,
  topShape: null,
};

describe('decideRole', () => {
  it('reads near-unique keys as identifiers, with the figures in the reason', () => {
    expect(decideRole({ ...base, type: 'digit_code', distinct: 1000 })).toEqual({ role: 'identifier', reason: '100% of 1,000 values distinct (digit_code)' });
    const codes = decideRole({ ...base, distinct: 990, distinctExact: false, topShape: { mask: 'AAA-99999', count: 950 } });
    expect(codes).toEqual({ role: 'identifier', reason: 'about 99% of 1,000 values distinct, 95% shaped AAA-99999' });
    expect(decideRole({ ...base, name: 'customer_id', type: 'integer', quantity: true, distinct: 1000 }).role).toBe('identifier');
    expect(decideRole({ ...base, type: 'uuid', distinct: 999 }).role).toBe('identifier');
  });

  it('keeps quantities numeric even when every value is distinct', () => {
    expect(decideRole({ ...base, name: 'latitude', type: 'decimal', quantity: true, distinct: 1000 })).toEqual({ role: 'numeric', reason: 'numbers (decimal)' });
    expect(decideRole({ ...base, name: 'amount', type: 'integer', quantity: true, distinct: 1000 }).role).toBe('numeric');
  });

  it('reads long, mostly distinct text as free text, and repeated phrases as categories', () => {
    const gloss = decideRole({ ...base, distinct: 980, freeText: 960, medianLength: 58 });
    expect(gloss.role).toBe('free_text');
    expect(gloss.reason).toBe('98% of 1,000 values distinct, median length 58, 96% of several words');
    expect(decideRole({ ...base, distinct: 700, freeText: 0, medianLength: 40 }).role).toBe('free_text');
    expect(decideRole({ ...base, distinct: 30, freeText: 1000, medianLength: 40 }).role).toBe('categorical');
  });

  it('leaves names without one shape, codes and flags categorical', () => {
    expect(decideRole({ ...base, distinct: 960, topShape: { mask: 'Aaaaaa', count: 120 } }).role).toBe('categorical');
    expect(decideRole({ ...base, distinct: 540 }).role).toBe('categorical');
    expect(decideRole({ ...base, type: 'boolean', distinct: 2 }).role).toBe('categorical');
  });

  it('reads dates and times as temporal, and too few values as categorical', () => {
    expect(decideRole({ ...base, type: 'datetime', temporal: true, distinct: 1000 })).toEqual({ role: 'temporal', reason: 'dates and times (datetime)' });
    expect(decideRole({ ...base, type: 'digit_code', present: 12, distinct: 12 })).toEqual({ role: 'categorical', reason: 'too few values (12) to tell more' });
  });
});
