import { describe, expect, it } from 'vitest';
import { duration, number, percent, quote } from './message-format.js';
import { formatLabel, typeLabel } from './format-label.js';

describe('message figures', () => {
  it('writes shares without false precision', () => {
    expect(percent(0.35)).toBe('35%');
    expect(percent(0.024)).toBe('2.4%');
    expect(percent(0.0006)).toBe('0.06%');
    expect(percent(0.00001)).toBe('<0.01%');
    expect(percent(0)).toBe('0%');
    expect(percent(1)).toBe('100%');
  });

  it('writes durations in the largest sensible unit', () => {
    expect(duration(45 * 60)).toBe('45 minutes');
    expect(duration(30 * 3600)).toBe('30 hours');
    expect(duration(3 * 86_400)).toBe('3 days');
    expect(duration(400 * 86_400)).toBe('13 months');
    expect(duration(6.5 * 365.25 * 86_400)).toBe('6.5 years');
  });

  it('writes numbers and values readably', () => {
    expect(number(35_000_000)).toBe('35,000,000');
    expect(number(0.04213)).toBe('0.04213');
    expect(number(2e-5)).toBe('2.00e-5');
    expect(quote('x'.repeat(50))).toBe(`'${'x'.repeat(39)}…'`);
  });

  it('names the profiler formats and types in words', () => {
    expect(formatLabel('iso_date')).toBe('ISO 8601 (YYYY-MM-DD)');
    expect(formatLabel('date:MM/DD/YY HH:MM')).toBe('MM/DD/YY HH:MM');
    expect(formatLabel('text:lower')).toBe('lower-case text');
    expect(formatLabel('bool:yes/no:Title')).toBe('Yes/No booleans');
    expect(formatLabel('decimal:comma')).toBe('decimals with a comma (1,5)');
    expect(formatLabel('something:new')).toBe('something:new');
    expect(typeLabel('datetime')).toBe('date-times');
  });
});
