import { expect, it } from 'vitest';
import { isoDurationSeconds } from './iso-duration.js';

it('parses ISO-8601 durations to seconds (365-day years, 30-day months)', () => {
  const day = 86_400;
  expect(isoDurationSeconds('P7D')).toBe(7 * day);
  expect(isoDurationSeconds('PT12H')).toBe(12 * 3600);
  expect(isoDurationSeconds('P1DT12H30M15S')).toBe(day + 12 * 3600 + 30 * 60 + 15);
  expect(isoDurationSeconds('P2W')).toBe(14 * day);
  expect(isoDurationSeconds('P1Y2M')).toBe(365 * day + 60 * day);
  expect(isoDurationSeconds('PT0.5S')).toBe(0.5);
});

it('refuses what is not a duration', () => {
  for (const text of ['', 'P', 'PT', '7D', 'P7', '7 days', 'P1DT', 'p7d', 'P-1D']) expect(isoDurationSeconds(text), text).toBeUndefined();
});
