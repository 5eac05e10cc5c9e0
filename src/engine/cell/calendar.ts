/**
 * Proleptic Gregorian calendar arithmetic without `Date` objects: the classifier turns dates
 * into epoch seconds for every temporal cell, and `Date.UTC` both allocates nothing less and
 * maps years 0–99 to 1900–1999.
 */

/** True for Gregorian leap years. */
export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month `m` (1–12) of year `y`; 0 for a month outside 1–12. */
export function daysInMonth(y: number, m: number): number {
  switch (m) {
    case 1: case 3: case 5: case 7: case 8: case 10: case 12: return 31;
    case 4: case 6: case 9: case 11: return 30;
    case 2: return isLeapYear(y) ? 29 : 28;
    default: return 0;
  }
}

/** True when y-m-d is a calendar date (month 1–12, day 1–days in month). */
export function isValidDate(y: number, m: number, d: number): boolean {
  return d >= 1 && d <= daysInMonth(y, m);
}

// Days from 1970-01-01 to the first of each month of 1800–2199: real data lives there, and a
// look-up spares the hot path four floating-point divisions per date.
const TABLE_FIRST_YEAR = 1800;
const TABLE_YEARS = 400;
const MONTH_START = (() => {
  const t = new Float64Array(TABLE_YEARS * 12);
  for (let i = 0; i < t.length; i++) t[i] = civilDays(TABLE_FIRST_YEAR + Math.floor(i / 12), (i % 12) + 1, 1);
  return t;
})();

/**
 * Days from 1970-01-01 to y-m-d (negative before), for any year, after H. Hinnant's
 * `days_from_civil` (eras of 400 years, March-based years so the leap day comes last).
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const row = y - TABLE_FIRST_YEAR;
  if (row >= 0 && row < TABLE_YEARS) return MONTH_START[row * 12 + m - 1] + d - 1;
  return civilDays(y, m, d);
}

function civilDays(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = m > 2 ? m - 3 : m + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Expands a two-digit year by the POSIX `strptime` `%y` rule: 69–99 → 1969–1999, 00–68 →
 * 2000–2068.
 */
export function expandTwoDigitYear(yy: number): number {
  return yy >= 69 ? 1900 + yy : 2000 + yy;
}
