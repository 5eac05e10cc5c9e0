import { expect, it } from 'vitest';
import { isoDurationSeconds } from './iso-duration.js';

const day = 86_400;

it('parses ISO-8601 durations to seconds', () => {
  expect(isoDurationSeconds('P7D')).toBe(7 * day);
  expect(isoDurationSeconds('P30D')).toBe(30 * day);
  expect(isoDurationSeconds('PT12H')).toBe(12 * 3600);
  expect(isoDurationSeconds('PT90M')).toBe(90 * 60);
  expect(isoDurationSeconds('P1DT12H30M15S')).toBe(day + 12 * 3600 + 30 * 60 + 15);
  expect(isoDurationSeconds('P2W')).toBe(14 * day);
  expect(isoDurationSeconds('PT0.5S')).toBe(0.5);
});

it('counts a month as 30 days and a year as 365 days, whatever the date', () => {
  expect(isoDurationSeconds('P1M')).toBe(30 * day);
  expect(isoDurationSeconds('P1M')).toBe(isoDurationSeconds('P30D'));
  expect(isoDurationSeconds('P1Y')).toBe(365 * day);
  expect(isoDurationSeconds('P1Y2M')).toBe(365 * day + 60 * day);
  expect(isoDurationSeconds('P12M')).toBe(360 * day);
  // M before T is months, after T minutes.
  expect(isoDurationSeconds('P1MT1M')).toBe(30 * day + 60);
});

it('refuses what is not a duration of the grammar', () => {
  for (const text of ['', 'P', 'PT', '7D', 'P7', '7 days', 'P1DT', 'p7d', 'P-1D', ' P7D', 'P1.5D', 'PT5', 'P1D2M', 'P7DT']) {
    expect(isoDurationSeconds(text), text).toBeUndefined();
  }
});
