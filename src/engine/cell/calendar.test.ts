import { describe, expect, it } from 'vitest';
import { daysFromCivil, daysInMonth, expandTwoDigitYear, isValidDate } from './calendar.js';

describe('calendar', () => {
  it('counts days like Date.UTC for every day from year 1 to 2400 (sampled) and around the epoch', () => {
    const check = (y: number, m: number, d: number): void => {
      const dt = new Date(0);
      dt.setUTCFullYear(y, m - 1, d);
      expect(daysFromCivil(y, m, d) * 86400000, `${y}-${m}-${d}`).toBe(dt.getTime());
    };
    for (let y = 1; y <= 2400; y += 7) for (let m = 1; m <= 12; m++) check(y, m, daysInMonth(y, m));
    for (let y = 1965; y <= 1975; y++) for (let m = 1; m <= 12; m++) for (let d = 1; d <= daysInMonth(y, m); d++) check(y, m, d);
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(0, 1, 1)).toBe(-719528);
  });

  it('knows leap years and month lengths', () => {
    expect(isValidDate(2024, 2, 29)).toBe(true);
    expect(isValidDate(2023, 2, 29)).toBe(false);
    expect(isValidDate(1900, 2, 29)).toBe(false);
    expect(isValidDate(2000, 2, 29)).toBe(true);
    expect(isValidDate(2023, 4, 31)).toBe(false);
    expect(isValidDate(2023, 13, 1)).toBe(false);
    expect(isValidDate(2023, 1, 0)).toBe(false);
  });

  it('expands two-digit years by the POSIX strptime rule', () => {
    expect(expandTwoDigitYear(0)).toBe(2000);
    expect(expandTwoDigitYear(68)).toBe(2068);
    expect(expandTwoDigitYear(69)).toBe(1969);
    expect(expandTwoDigitYear(99)).toBe(1999);
  });
});
