import {
  daysFromCivil,
  expandTwoDigitYear,
  isValidDate,
} from './calendar.js';
import type { CellInfo } from './cell-info.js';
import { matchesFolded } from './char-kind.js';
import { CaseClass } from './hygiene.js';
import {
  TokenCase,
  DATE_SEP_AMPM,
  DATE_SEP_SEPARATOR_SHIFT,
  DATE_SEP_TIME_SHIFT,
  DATE_SEP_YEAR4,
  DATE_SEP_YEAR_FIRST,
  DateNamedForm,
  DateOrder,
  formatKey,
  ISO_SPACE,
  IsoZone,
  NAMED_CASE_SHIFT,
  NAMED_FULL_MONTH,
  NAMED_MONTH_DOT,
  TIME_AMPM_SHIFT,
  TimePrecision,
} from './format-key.js';
import { ValueClass } from './value-class.js';

/**
 * Hand-written recognisers for the temporal classes (iso_date, iso_datetime, date_sep,
 * date_named, time). Besides the shape of METRICS §2.1 each one checks the calendar and the
 * clock: `2023-02-30` or `25:61` are not dates or times, and fall through to later classes.
 * On success, parseIso, parseDateSep and parseTime also set `digitCount` and `caseClass`, which lets the
 * classifier skip its census pass for these strictly shaped values.
 */

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function twoDigits(raw: string, i: number): number {
  const a = raw.charCodeAt(i) - 48;
  const b = raw.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

function digitRunEnd(raw: string, i: number, e: number): number {
  while (i < e && isDigit(raw.charCodeAt(i))) i++;
  return i;
}

function runValue(raw: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + raw.charCodeAt(i) - 48;
  return v;
}

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** Fraction digits [from, to) as seconds; beyond 15 digits the rest is below a femtosecond. */
function fractionValue(raw: string, from: number, to: number): number {
  const end = to - from > 15 ? from + 15 : to;
  return runValue(raw, from, end) / POW10[end - from];
}

// Result of scanClock, in module scope so the hot path allocates nothing.
let clockSeconds = 0;
let clockPrecision = 0;
let clockAmPm = 0; // 0 none, 1 ' AM', 2 'AM'
let clockDigits = 0;
let clockCase = 0; // CaseClass of the AM/PM letters

/**
 * Reads `\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?` exactly to e and checks the clock
 * (hours 0–23, or 0–12 with AM/PM; minutes 0–59; seconds 0–60 for a leap second). Sets
 * clockSeconds (seconds since midnight), clockPrecision and clockAmPm; false if no match.
 */
function scanClock(raw: string, i: number, e: number): boolean {
  const hEnd = digitRunEnd(raw, i, e);
  const hLen = hEnd - i;
  if (hLen < 1 || hLen > 2 || hEnd >= e || raw.charCodeAt(hEnd) !== 58) return false;
  const h = runValue(raw, i, hEnd);
  clockDigits = hLen + 2;
  clockCase = CaseClass.NONE;
  let p = hEnd + 1;
  if (digitRunEnd(raw, p, e) !== p + 2) return false;
  const mi = twoDigits(raw, p);
  p += 2;
  let sec = 0;
  clockPrecision = TimePrecision.HM;
  if (p < e && raw.charCodeAt(p) === 58) {
    if (digitRunEnd(raw, p + 1, e) !== p + 3) return false;
    sec = twoDigits(raw, p + 1);
    p += 3;
    clockDigits += 2;
    clockPrecision = TimePrecision.HMS;
    if (p < e && raw.charCodeAt(p) === 46) {
      const fEnd = digitRunEnd(raw, p + 1, e);
      if (fEnd === p + 1) return false;
      sec += fractionValue(raw, p + 1, fEnd);
      clockDigits += fEnd - p - 1;
      p = fEnd;
      clockPrecision = TimePrecision.FRACTION;
    }
  }
  clockAmPm = 0;
  let pm = false;
  if (p < e) {
    if (raw.charCodeAt(p) === 32) {
      clockAmPm = 1;
      p++;
    } else clockAmPm = 2;
    if (p + 2 !== e) return false;
    const a0 = raw.charCodeAt(p);
    const m0 = raw.charCodeAt(p + 1);
    const a = a0 | 32;
    if ((a !== 97 && a !== 112) || (m0 | 32) !== 109) return false;
    pm = a === 112;
    // `PM` UPPER, `pm` lower, `Pm` Title (after a space or digit), `pM` mixed
    const upperA = a0 !== a;
    const upperM = m0 === 77;
    clockCase = upperA ? (upperM ? CaseClass.UPPER : CaseClass.TITLE) : upperM ? CaseClass.MIXED : CaseClass.LOWER;
  }
  if (mi > 59 || sec >= 61) return false;
  if (clockAmPm !== 0) {
    if (h > 12) return false;
    clockSeconds = ((h % 12) + (pm ? 12 : 0)) * 3600 + mi * 60 + sec;
  } else {
    if (h > 23) return false;
    clockSeconds = h * 3600 + mi * 60 + sec;
  }
  return true;
}

/**
 * iso_date `^\d{4}-\d{2}-\d{2}$` and iso_datetime
 * `^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$`, both with
 * a valid calendar date and clock. Returns the class id or -1.
 */
export function parseIso(raw: string, s: number, e: number, info: CellInfo): number {
  const len = e - s;
  if (len < 10 || raw.charCodeAt(s + 4) !== 45 || raw.charCodeAt(s + 7) !== 45) return -1;
  const y1 = twoDigits(raw, s);
  const y2 = twoDigits(raw, s + 2);
  const m = twoDigits(raw, s + 5);
  const d = twoDigits(raw, s + 8);
  if (y1 < 0 || y2 < 0 || m < 0 || d < 0) return -1;
  const y = y1 * 100 + y2;
  if (!isValidDate(y, m, d)) return -1;
  const days = daysFromCivil(y, m, d);
  if (len === 10) {
    info.epoch = days * 86400;
    info.format = formatKey(ValueClass.ISO_DATE, 0);
    info.digitCount = 8;
    info.caseClass = CaseClass.NONE;
    return ValueClass.ISO_DATE;
  }
  const t = raw.charCodeAt(s + 10);
  if (t !== 84 && t !== 116 && t !== 32) return -1;
  let p = s + 11;
  if (p + 5 > e || raw.charCodeAt(p + 2) !== 58) return -1;
  const h = twoDigits(raw, p);
  const mi = twoDigits(raw, p + 3);
  if (h < 0 || mi < 0 || h > 23 || mi > 59) return -1;
  p += 5;
  let sec = 0;
  let digitCount = 12;
  let precision: number = TimePrecision.HM;
  if (p < e && raw.charCodeAt(p) === 58) {
    sec = p + 3 <= e ? twoDigits(raw, p + 1) : -1;
    if (sec < 0 || sec > 60) return -1;
    p += 3;
    digitCount += 2;
    precision = TimePrecision.HMS;
    if (p < e && raw.charCodeAt(p) === 46) {
      const fEnd = digitRunEnd(raw, p + 1, e);
      if (fEnd === p + 1) return -1;
      sec += fractionValue(raw, p + 1, fEnd);
      digitCount += fEnd - p - 1;
      p = fEnd;
      precision = TimePrecision.FRACTION;
    }
  }
  let zone: number = IsoZone.NAIVE;
  let offset = 0;
  let z = 0;
  if (p < e) {
    z = raw.charCodeAt(p);
    if (z === 90 || z === 122) {
      if (p + 1 !== e) return -1;
      zone = IsoZone.Z;
    } else if (z === 43 || z === 45) {
      const oh = p + 3 <= e ? twoDigits(raw, p + 1) : -1;
      if (oh < 0 || oh > 23) return -1;
      let om = 0;
      p += 3;
      digitCount += 2;
      if (p === e) zone = IsoZone.OFFSET_BASIC;
      else {
        zone = IsoZone.OFFSET_BASIC;
        if (raw.charCodeAt(p) === 58) {
          zone = IsoZone.OFFSET;
          p++;
        }
        om = p + 2 === e ? twoDigits(raw, p) : -1;
        if (om < 0 || om > 59) return -1;
        digitCount += 2;
      }
      offset = (z === 45 ? -1 : 1) * (oh * 3600 + om * 60);
    } else return -1;
  }
  info.epoch = days * 86400 + h * 3600 + mi * 60 + sec - offset;
  info.tzUnspecified = zone === IsoZone.NAIVE;
  info.digitCount = digitCount;
  // the letters can only be the `T` and the `Z`, each after a digit: both cases → mixed
  const upper = (t === 84 ? 1 : 0) + (z === 90 ? 1 : 0);
  const lower = (t === 116 ? 1 : 0) + (z === 122 ? 1 : 0);
  info.caseClass = upper ? (lower ? CaseClass.MIXED : CaseClass.UPPER) : lower ? CaseClass.LOWER : CaseClass.NONE;
  info.format = formatKey(
    ValueClass.ISO_DATETIME,
    (t === 32 ? ISO_SPACE : 0) | (precision << 1) | (zone << 3),
  );
  return ValueClass.ISO_DATETIME;
}

/**
 * date_sep `^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$`, optionally followed by `,? ` and a
 * clock as in {@link scanClock} (`1/2/96 0:00`). At least one reading (day/month or
 * month/day) must be a calendar date. Order evidence: first field > 12 → dmy_only, second
 * > 12 → mdy_only, else `.` separator → dmy_only, else ambiguous. Returns the class id or -1.
 */
export function parseDateSep(raw: string, s: number, e: number, info: CellInfo): number {
  const aEnd = digitRunEnd(raw, s, e);
  if (aEnd - s === 4) return parseYearFirst(raw, s, e, aEnd, info);
  if (aEnd - s < 1 || aEnd - s > 2 || aEnd >= e) return -1;
  const sep = raw.charCodeAt(aEnd);
  if (sep !== 47 && sep !== 46 && sep !== 45) return -1;
  const bEnd = digitRunEnd(raw, aEnd + 1, e);
  if (bEnd - aEnd - 1 < 1 || bEnd - aEnd - 1 > 2 || bEnd >= e || raw.charCodeAt(bEnd) !== sep) return -1;
  const yEnd = digitRunEnd(raw, bEnd + 1, e);
  const yLen = yEnd - bEnd - 1;
  if (yLen !== 2 && yLen !== 4) return -1;
  let timeCode = 0;
  let ampm = false;
  let seconds = 0;
  let digitCount = yEnd - s - 2;
  let caseClass: number = CaseClass.NONE;
  if (yEnd < e) {
    let p = yEnd;
    if (raw.charCodeAt(p) === 44) p++;
    if (p >= e || raw.charCodeAt(p) !== 32) return -1;
    if (!scanClock(raw, p + 1, e)) return -1;
    timeCode = clockPrecision + 1;
    ampm = clockAmPm !== 0;
    seconds = clockSeconds;
    digitCount += clockDigits;
    caseClass = clockCase;
  }
  const a = runValue(raw, s, aEnd);
  const b = runValue(raw, aEnd + 1, bEnd);
  const yRaw = runValue(raw, bEnd + 1, yEnd);
  const y = yLen === 2 ? expandTwoDigitYear(yRaw) : yRaw;
  const dmyOk = isValidDate(y, b, a);
  const mdyOk = isValidDate(y, a, b);
  if (!dmyOk && !mdyOk) return -1;
  const order =
    a > 12 ? DateOrder.DMY_ONLY : b > 12 ? DateOrder.MDY_ONLY : sep === 46 ? DateOrder.DMY_ONLY : DateOrder.AMBIGUOUS;
  info.epochDmy = dmyOk ? daysFromCivil(y, b, a) * 86400 + seconds : NaN;
  info.epochMdy = mdyOk ? daysFromCivil(y, a, b) * 86400 + seconds : NaN;
  info.epoch = order === DateOrder.DMY_ONLY ? info.epochDmy : order === DateOrder.MDY_ONLY ? info.epochMdy : NaN;
  info.tzUnspecified = timeCode !== 0;
  info.dateOrder = order;
  info.digitCount = digitCount;
  info.caseClass = caseClass;
  const sepCode = sep === 47 ? 0 : sep === 46 ? 1 : 2;
  info.format = formatKey(
    ValueClass.DATE_SEP,
    order |
      (sepCode << DATE_SEP_SEPARATOR_SHIFT) |
      (yLen === 4 ? DATE_SEP_YEAR4 : 0) |
      (timeCode << DATE_SEP_TIME_SHIFT) |
      (ampm ? DATE_SEP_AMPM : 0),
  );
  return ValueClass.DATE_SEP;
}

/**
 * A year-first date with `/` or `.` (`2001/03/28`, `2001.3.28 06:53`), which only reads one way: year,
 * month, day. Its order is `DateOrder.NONE` with {@link DATE_SEP_YEAR_FIRST} set, and its instant is `epoch`
 * (there is no day/month evidence to weigh). `-` is left to the ISO recogniser.
 */
function parseYearFirst(raw: string, s: number, e: number, yEnd: number, info: CellInfo): number {
  if (yEnd >= e) return -1;
  const sep = raw.charCodeAt(yEnd);
  if (sep !== 47 && sep !== 46) return -1;
  const mEnd = digitRunEnd(raw, yEnd + 1, e);
  if (mEnd - yEnd - 1 < 1 || mEnd - yEnd - 1 > 2 || mEnd >= e || raw.charCodeAt(mEnd) !== sep) return -1;
  const dEnd = digitRunEnd(raw, mEnd + 1, e);
  if (dEnd - mEnd - 1 < 1 || dEnd - mEnd - 1 > 2) return -1;
  let timeCode = 0;
  let ampm = false;
  let seconds = 0;
  let digitCount = dEnd - s - 2;
  let caseClass: number = CaseClass.NONE;
  if (dEnd < e) {
    if (raw.charCodeAt(dEnd) !== 32 || !scanClock(raw, dEnd + 1, e)) return -1;
    timeCode = clockPrecision + 1;
    ampm = clockAmPm !== 0;
    seconds = clockSeconds;
    digitCount += clockDigits;
    caseClass = clockCase;
  }
  const y = runValue(raw, s, yEnd);
  const m = runValue(raw, yEnd + 1, mEnd);
  const d = runValue(raw, mEnd + 1, dEnd);
  if (!isValidDate(y, m, d)) return -1;
  info.epoch = daysFromCivil(y, m, d) * 86400 + seconds;
  info.epochDmy = NaN;
  info.epochMdy = NaN;
  info.tzUnspecified = timeCode !== 0;
  info.dateOrder = DateOrder.NONE;
  info.digitCount = digitCount;
  info.caseClass = caseClass;
  info.format = formatKey(
    ValueClass.DATE_SEP,
    DATE_SEP_YEAR_FIRST |
      ((sep === 47 ? 0 : 1) << DATE_SEP_SEPARATOR_SHIFT) |
      DATE_SEP_YEAR4 |
      (timeCode << DATE_SEP_TIME_SHIFT) |
      (ampm ? DATE_SEP_AMPM : 0),
  );
  return ValueClass.DATE_SEP;
}

/** Accepted month spellings (lower case), longest first so a prefix never shadows a name. */
const MONTH_SPELLINGS: ReadonlyArray<readonly [string, number]> = [
  ['september', 9], ['february', 2], ['november', 11], ['december', 12], ['january', 1], ['october', 10],
  ['august', 8], ['april', 4], ['march', 3], ['june', 6], ['july', 7], ['sept', 9],
  ['jan', 1], ['feb', 2], ['mar', 3], ['apr', 4], ['may', 5], ['jun', 6], ['jul', 7], ['aug', 8],
  ['sep', 9], ['oct', 10], ['nov', 11], ['dec', 12],
];

let monthLength = 0;
let monthFull = false;

/**
 * Month name or abbreviation at i (case-insensitive), which must be followed by `.` or a
 * space; sets monthLength/monthFull. Returns 1–12 or -1.
 */
function monthAt(raw: string, i: number, e: number): number {
  for (let k = 0; k < MONTH_SPELLINGS.length; k++) {
    const entry = MONTH_SPELLINGS[k];
    const word = entry[0];
    const month = entry[1];
    const end = i + word.length;
    if (end >= e) continue;
    const next = raw.charCodeAt(end);
    if ((next === 32 || next === 46) && matchesFolded(raw, i, word)) {
      monthLength = word.length;
      // `May` is both; three letters and `Sept` count as abbreviations
      monthFull = word.length > 3 && word !== 'sept';
      return month;
    }
  }
  return -1;
}

/** Case of a month token: lower, UPPER, Title or mixed (as {@link TokenCase}). */
function tokenCase(raw: string, i: number, len: number): number {
  let upper = 0;
  for (let k = 0; k < len; k++) {
    const c = raw.charCodeAt(i + k);
    // the token matched an ASCII month name under case folding, so its only non-ASCII
    // letters can be U+017F (lower case) and U+212A (upper case)
    if ((c >= 65 && c <= 90) || c === 0x212a) upper++;
  }
  if (upper === 0) return TokenCase.LOWER;
  if (upper === len) return TokenCase.UPPER;
  const c0 = raw.charCodeAt(i);
  return upper === 1 && ((c0 >= 65 && c0 <= 90) || c0 === 0x212a) ? TokenCase.TITLE : TokenCase.MIXED;
}

/**
 * date_named: `D Mon YYYY` and `Mon D, YYYY` (METRICS §2.1) and `Mon D YYYY` (as written in
 * real exports, e.g. `Jun 12 1998`); English month names or abbreviations (`Sept` too) with an
 * optional `.`, any case; single spaces; the day must exist in that month. Returns the class
 * id or -1.
 */
export function parseDateNamed(raw: string, s: number, e: number, info: CellInfo): number {
  let day: number;
  let month: number;
  let year: number;
  let form: number;
  let monthStart: number;
  let p: number;
  const c0 = raw.charCodeAt(s);
  if (isDigit(c0)) {
    const dEnd = digitRunEnd(raw, s, e);
    if (dEnd - s > 2 || dEnd >= e || raw.charCodeAt(dEnd) !== 32) return -1;
    day = runValue(raw, s, dEnd);
    monthStart = dEnd + 1;
    month = monthAt(raw, monthStart, e);
    if (month < 0) return -1;
    p = monthStart + monthLength;
    if (raw.charCodeAt(p) === 46) p++;
    if (raw.charCodeAt(p) !== 32) return -1;
    p++;
    form = DateNamedForm.DAY_MONTH_YEAR;
  } else {
    monthStart = s;
    month = monthAt(raw, s, e);
    if (month < 0) return -1;
    p = s + monthLength;
    if (raw.charCodeAt(p) === 46) p++;
    if (raw.charCodeAt(p) !== 32) return -1;
    const dEnd = digitRunEnd(raw, p + 1, e);
    if (dEnd - p - 1 < 1 || dEnd - p - 1 > 2 || dEnd >= e) return -1;
    day = runValue(raw, p + 1, dEnd);
    p = dEnd;
    form = DateNamedForm.MONTH_DAY_YEAR;
    if (raw.charCodeAt(p) === 44) {
      form = DateNamedForm.MONTH_DAY_COMMA_YEAR;
      p++;
    }
    if (raw.charCodeAt(p) !== 32) return -1;
    p++;
  }
  if (p + 4 !== e || digitRunEnd(raw, p, e) !== e) return -1;
  year = runValue(raw, p, e);
  if (!isValidDate(year, month, day)) return -1;
  const dot = raw.charCodeAt(monthStart + monthLength) === 46;
  info.epoch = daysFromCivil(year, month, day) * 86400;
  info.format = formatKey(
    ValueClass.DATE_NAMED,
    form |
      (monthFull ? NAMED_FULL_MONTH : 0) |
      (dot ? NAMED_MONTH_DOT : 0) |
      (tokenCase(raw, monthStart, monthLength) << NAMED_CASE_SHIFT),
  );
  return ValueClass.DATE_NAMED;
}

/** time `^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?$` with a valid clock; class id or -1. */
export function parseTime(raw: string, s: number, e: number, info: CellInfo): number {
  if (!scanClock(raw, s, e)) return -1;
  info.format = formatKey(ValueClass.TIME, clockPrecision | (clockAmPm << TIME_AMPM_SHIFT));
  info.digitCount = clockDigits;
  info.caseClass = clockCase;
  return ValueClass.TIME;
}
