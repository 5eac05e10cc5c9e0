/**
 * The one reader of ISO-8601 durations in the product: workflow settings (freshness `warn_after` /
 * `error_after`, raw-data retention) are validated by the API and applied by the workers with it,
 * so a value the API accepts is never refused, or read differently, later.
 *
 * Grammar: `P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]`, upper case, at least one component, whole
 * numbers except the seconds (`PT0.5S`), no sign. `P`, `PT`, `P1DT`, `7D` and `p7d` are refused.
 *
 * Conversion to seconds uses fixed lengths, not the calendar: a minute is 60 s, an hour 3 600 s,
 * a day 86 400 s (UTC, no daylight-saving days), a week 7 days, a month 30 days and a year 365
 * days. So `P1M` is exactly `P30D` and `P1Y` is `P365D` (and `P12M`, 360 days, is shorter than
 * `P1Y`). Fixed lengths because the same setting is used where no single reference date exists:
 * freshness thresholds are compared with ages measured against each sample's own extraction time
 * and with the difference between two samples' ages, and `warn_after ≤ error_after` is checked
 * when the setting is written.
 */

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

/**
 * Seconds of an ISO-8601 duration, with months of 30 days and years of 365 days (see the module
 * comment); undefined when the text is not a duration of that grammar.
 *
 * @example
 * isoDurationSeconds('P1DT12H') // 129600
 * isoDurationSeconds('P1M') // 2592000 (30 days)
 * isoDurationSeconds('7 days') // undefined
 */
export function isoDurationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return y! * YEAR + mo! * MONTH + w! * WEEK + d! * DAY + h! * HOUR + mi! * MINUTE + s!;
}
