import { describe, expect, it } from 'vitest';
import { classifyCell, createCellInfo, formatName } from './classify.js';
import { CellState, SENTINEL_TOKENS } from './cell-state.js';
import {
  C0_CONTROL,
  C1_CONTROL,
  CaseClass,
  DOUBLE_SPACE,
  LEADING_WS,
  LINE_BREAK,
  MOJIBAKE,
  NBSP,
  REPLACEMENT_CHAR,
  TRAILING_WS,
  ZERO_WIDTH,
} from './hygiene.js';
import { CURRENCY_CODES } from './number-scan.js';
import { ValueClass, valueClassName } from './value-class.js';
import { createUniform as mulberry32 } from '../../../test/support/random.js';

/*
 * Reference classifier: the regular expressions of METRICS §2.1, written out literally and
 * tried in METRICS order (first match wins), plus the calendar/clock validity the spec asks for.
 * Where METRICS describes a class in prose (currency, percent, iso_datetime, date_named,
 * free_text), the regex below is the formalisation documented in src/engine/cell/README.md.
 * The hand-written scanner must agree with it on every input.
 */

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const RE = {
  sentinel: SENTINEL_TOKENS.map((t) => new RegExp(`^${escapeRe(t)}$`, 'iu')),
  error: /^#(?:NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|GETTING_DATA|SPILL!|CALC!)$/iu,
  bool: /^(true|false|yes|no|y|n|t|f)$/iu,
  int: /^[+-]?(0|[1-9]\d*)$/u,
  digitCode: /^0\d+$/u,
  decDot: /^[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$/u,
  decComma: /^[+-]?\d+,\d+$/u,
  ambiguousGroup: /^[+-]?\d{1,3},\d{3}$/u,
  groupedUs: /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/u,
  groupedEu: /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/u,
  groupedSpace: /^\d{1,3}([ '\u00A0\u202F]\d{3})+([.,]\d+)?$/u,
  isoDate: /^(\d{4})-(\d{2})-(\d{2})$/u,
  isoDatetime: /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)?$/u,
  dateSep:
    /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?( ?[AaPp][Mm])?)?$/u,
  time: /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?( ?[AaPp][Mm])?$/u,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/u,
  url: /^(https?|ftp):\/\/[^\s/$.?#][^\s]*$/iu,
  phoneE164: /^\+[1-9]\d{6,14}$/u,
  phoneLoose: /^[+(]?[\d\s().-]{7,20}$/u,
};

const MON =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE_NAMED = new RegExp(`^(?:(\\d{1,2}) (${MON})\\.? (\\d{4})|(${MON})\\.? (\\d{1,2}),? (\\d{4}))$`, 'iu');
const NUM =
  "(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d{1,3}(?:\\.\\d{3})+(?:,\\d+)?|\\d{1,3}(?:[ '\\u00A0\\u202F]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?|\\.\\d+)";
const UNIT = `(?:[$€£¥₹]|${CURRENCY_CODES.join('|')})`;
const CURRENCY = new RegExp(
  `^(?:[+-]?${UNIT}\\s?(${NUM})|${UNIT}\\s?[+-](${NUM})|[+-]?(${NUM})\\s?${UNIT}|\\((?:${UNIT}\\s?(${NUM})|(${NUM})\\s?${UNIT}|(${NUM}))\\)|${UNIT}\\s?\\((${NUM})\\))$`,
  'u',
);
const PERCENT = new RegExp(`^[+-]?(${NUM})\\s?%$`, 'u');

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function refValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function refEpoch(y: number, m: number, d: number, seconds = 0): number {
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  dt.setUTCHours(0, 0, 0, 0);
  return dt.getTime() / 1000 + seconds;
}

function refClock(h: string, mi: string, sec: string | undefined, ampm: string | undefined): boolean {
  const hh = Number(h);
  if (Number(mi) > 59 || (sec !== undefined && Number(sec) > 60)) return false;
  return ampm ? hh <= 12 : hh <= 23;
}

function refClockSeconds(h: string, mi: string, sec: string | undefined, frac: string | undefined, ampm: string | undefined): number {
  let hh = Number(h);
  if (ampm) hh = (hh % 12) + (/p/i.test(ampm) ? 12 : 0);
  return hh * 3600 + Number(mi) * 60 + Number(sec ?? 0) + (frac ? Number('0' + frac) : 0);
}

/** Number of a NUM spelling, read by the convention its shape proves (US grouping first). */
function refMoneyValue(num: string): number {
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(num)) return Number(num.replace(/,/g, ''));
  if (/^\d{1,3}\.\d{3}$/.test(num)) return Number(num);
  if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(num)) return Number(num.replace(/\./g, '').replace(',', '.'));
  if (/^\d{1,3}([ '\u00A0\u202F]\d{3})+([.,]\d+)?$/u.test(num)) return Number(num.replace(/[ '\u00A0\u202F]/gu, '').replace(',', '.'));
  return Number(num.replace(',', '.'));
}

interface RefResult {
  state: number;
  sentinelId: number;
  cls: number;
  num: number;
  epoch: number;
  epochDmy: number;
  epochMdy: number;
  dateOrder: number;
}

function refClassify(raw: string): RefResult {
  const r: RefResult = { state: 0, sentinelId: -1, cls: -1, num: NaN, epoch: NaN, epochDmy: NaN, epochMdy: NaN, dateOrder: 0 };
  if (raw === '') return { ...r, state: CellState.EMPTY };
  if (/^\s+$/u.test(raw)) return { ...r, state: CellState.WHITESPACE };
  const v = raw.trim();
  r.sentinelId = RE.sentinel.findIndex((re) => re.test(v));
  r.state = r.sentinelId >= 0 ? CellState.SENTINEL : CellState.PRESENT;
  r.cls = refValueClass(v, r);
  return r;
}

function refValueClass(v: string, r: RefResult): number {
  let m: RegExpExecArray | null;
  if (RE.error.test(v)) return ValueClass.ERROR_TOKEN;
  if (RE.bool.test(v)) return ValueClass.BOOL;
  if (RE.int.test(v)) {
    r.num = Number(v);
    return ValueClass.INT;
  }
  if (RE.digitCode.test(v)) {
    r.num = Number(v);
    return ValueClass.DIGIT_CODE;
  }
  if (RE.decDot.test(v)) {
    r.num = Number(v);
    return ValueClass.DEC_DOT;
  }
  if (RE.decComma.test(v)) {
    r.num = RE.ambiguousGroup.test(v) ? Number(v.replace(',', '')) : Number(v.replace(',', '.'));
    return RE.ambiguousGroup.test(v) ? ValueClass.AMBIGUOUS_GROUP : ValueClass.DEC_COMMA;
  }
  if (RE.groupedUs.test(v)) {
    r.num = Number(v.replace(/,/g, ''));
    return ValueClass.GROUPED_US;
  }
  if (RE.groupedEu.test(v)) {
    r.num = Number(v.replace(/\./g, '').replace(',', '.'));
    return ValueClass.GROUPED_EU;
  }
  if (RE.groupedSpace.test(v)) {
    r.num = Number(v.replace(/[ '\u00A0\u202F]/gu, '').replace(',', '.'));
    return ValueClass.GROUPED_SPACE;
  }
  if ((m = CURRENCY.exec(v))) {
    const num = m.slice(1).find((g) => g !== undefined) as string;
    // NUM and units contain no '-' or '(': either is the sign or the accounting parentheses
    r.num = (v.includes('-') || v.includes('(') ? -1 : 1) * refMoneyValue(num);
    return ValueClass.CURRENCY;
  }
  if ((m = PERCENT.exec(v))) {
    r.num = (v.startsWith('-') ? -1 : 1) * refMoneyValue(m[1]);
    return ValueClass.PERCENT;
  }
  if ((m = RE.isoDate.exec(v)) && refValidDate(+m[1], +m[2], +m[3])) {
    r.epoch = refEpoch(+m[1], +m[2], +m[3]);
    return ValueClass.ISO_DATE;
  }
  if ((m = RE.isoDatetime.exec(v))) {
    const [, y, mo, d, h, mi, sec, frac, sign, oh, om] = m;
    const zoneOk = oh === undefined || (Number(oh) <= 23 && Number(om ?? 0) <= 59);
    if (refValidDate(+y, +mo, +d) && refClock(h, mi, sec, undefined) && zoneOk) {
      const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om ?? 0) * 60) : 0;
      r.epoch = refEpoch(+y, +mo, +d, refClockSeconds(h, mi, sec, frac, undefined)) - offset;
      return ValueClass.ISO_DATETIME;
    }
  }
  if ((m = RE.dateSep.exec(v))) {
    const [, a, sep, b, yRaw, h, mi, sec, frac, ampm] = m;
    const y = yRaw.length === 2 ? (Number(yRaw) >= 69 ? 1900 : 2000) + Number(yRaw) : Number(yRaw);
    const dmy = refValidDate(y, +b, +a);
    const mdy = refValidDate(y, +a, +b);
    const clockOk = h === undefined || refClock(h, mi, sec, ampm);
    if ((dmy || mdy) && clockOk) {
      const secs = h === undefined ? 0 : refClockSeconds(h, mi, sec, frac, ampm);
      r.epochDmy = dmy ? refEpoch(y, +b, +a, secs) : NaN;
      r.epochMdy = mdy ? refEpoch(y, +a, +b, secs) : NaN;
      r.dateOrder = +a > 12 ? 1 : +b > 12 ? 2 : sep === '.' ? 1 : 3;
      r.epoch = r.dateOrder === 1 ? r.epochDmy : r.dateOrder === 2 ? r.epochMdy : NaN;
      return ValueClass.DATE_SEP;
    }
  }
  if ((m = DATE_NAMED.exec(v))) {
    const day = Number(m[1] ?? m[5]);
    const monthWord = (m[2] ?? m[4]).toLowerCase().replace(/ſ/g, 's').replace(/\u212a/g, 'k');
    const month = MONTHS.indexOf(monthWord.slice(0, 3)) + 1;
    const year = Number(m[3] ?? m[6]);
    if (refValidDate(year, month, day)) {
      r.epoch = refEpoch(year, month, day);
      return ValueClass.DATE_NAMED;
    }
  }
  if ((m = RE.time.exec(v)) && refClock(m[1], m[2], m[3], m[5])) return ValueClass.TIME;
  if (RE.uuid.test(v)) return ValueClass.UUID;
  if (RE.email.test(v)) return ValueClass.EMAIL;
  if (RE.url.test(v)) return ValueClass.URL;
  if (RE.phoneE164.test(v) || (RE.phoneLoose.test(v) && (v.match(/\d/g) ?? []).length >= 7)) return ValueClass.PHONE;
  if ((/\s/u.test(v) && v.split(/\s+/u).length >= 3) || [...v].length > 64) return ValueClass.FREE_TEXT;
  return ValueClass.OTHER_STRING;
}

// ---------------------------------------------------------------- input generation

const rnd = mulberry32(20240611);
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join('');
const pad2 = (n: number): string => String(n).padStart(2, '0');
/** A number in [lo, hi], half of the time one of the boundary values a rule turns on. */
const edgy = (lo: number, hi: number, edges: readonly number[]): number => (rnd() < 0.5 ? pick(edges) : int(lo, hi));
const hour = (): number => edgy(0, 30, [0, 1, 11, 12, 13, 23, 24, 25]);
const minute = (): number => edgy(0, 65, [0, 59, 60, 61]);
const second = (): number => edgy(0, 65, [0, 59, 60, 61]);
const day = (): number => edgy(0, 33, [0, 1, 12, 13, 28, 29, 30, 31, 32]);
const month = (): number => edgy(0, 14, [0, 1, 2, 12, 13]);
const year4 = (): number => edgy(0, 9999, [0, 1900, 1969, 2000, 2023, 2024, 2100, 9999]);

const ALPHABET = [
  ...'0123456789012345678901234567890123456789',
  ...'+-.,/:%() $\'@#eEtTzZaApPmMxQ',
  '€', '£', '¥', '₹', '\u00a0', '\u202f', '\u2019', '\u2007', '\t', '\n', 'ſ', '\u212a', 'é', 'Â', '\u00a9', '\ufeff', 'ß',
];

const TEMPLATES: Array<() => string> = [
  () => pick(['true', 'FALSE', 'Yes', 'no', 'Y', 'n', 't', 'F', 'tRuE', 'yeſ', 'on', 'off', 'ja']),
  () => (rnd() < 0.3 ? pick(['+', '-']) : '') + (rnd() < 0.2 ? '0' : '') + digits(int(1, 22)),
  () => (rnd() < 0.3 ? '-' : '') + digits(int(0, 4)) + '.' + digits(int(0, 25)) + (rnd() < 0.3 ? pick(['e', 'E']) + pick(['', '+', '-']) + digits(int(0, 4)) : ''),
  () => (rnd() < 0.2 ? '-' : '') + digits(int(1, 5)) + ',' + digits(int(1, 5)),
  () => {
    const sep = pick([',', '.', ' ', "'", '\u00a0', '\u202f']);
    let s = digits(int(1, 4));
    for (let k = int(1, 4); k > 0; k--) s += (rnd() < 0.1 ? pick([',', '.', ' ']) : sep) + digits(rnd() < 0.85 ? 3 : int(2, 4));
    if (rnd() < 0.5) s += pick(['.', ',']) + digits(int(0, 3));
    return (rnd() < 0.2 ? pick(['-', '+']) : '') + s;
  },
  () => {
    const num = pick([digits(int(1, 4)), `${digits(int(1, 3))},${digits(3)}.${digits(2)}`, `${digits(1)}.${digits(3)},${digits(2)}`, `${digits(2)},${digits(2)}`, `.${digits(2)}`, `${digits(1)} ${digits(3)},${digits(2)}`, `${digits(1)},${digits(3)}`, `${digits(1)}.${digits(3)}`]);
    const unit = pick(['$', '€', '£', '¥', '₹', 'USD', 'EUR', 'CHF', 'ABC', 'usd', '%']);
    const sp = pick(['', '', ' ', '\u00a0', '  ']);
    const sign = pick(['', '', '', '-', '+']);
    switch (int(0, 5)) {
      case 0: return `${sign}${unit}${sp}${num}`;
      case 1: return `${unit}${sp}${sign}${num}`;
      case 2: return `${sign}${num}${sp}${unit}`;
      case 3: return `(${pick([`${unit}${sp}${num}`, `${num}${sp}${unit}`, num])})`;
      case 4: return `${unit}${sp}(${num})`;
      default: return `${sign}${num}${sp}%`;
    }
  },
  () => {
    const y = year4(), mo = month(), d = day();
    let s = `${String(y).padStart(4, '0')}-${pad2(mo)}-${pad2(d)}`;
    if (rnd() < 0.6) {
      s += pick(['T', 't', ' ', '_']) + `${pad2(hour())}:${pad2(minute())}`;
      if (rnd() < 0.7) s += `:${pad2(second())}` + (rnd() < 0.4 ? '.' + digits(int(0, 9)) : '');
      s += pick(['', 'Z', 'z', '+05:30', '-0800', '+02', '+24:00', '+23:59', '-05:60', '+5:30', 'UTC']);
    }
    return s;
  },
  () => {
    const sep = pick(['/', '.', '-']);
    const a = rnd() < 0.5 ? day() : month(), b = rnd() < 0.5 ? day() : month();
    const fa = rnd() < 0.5 ? pad2(a) : String(a), fb = rnd() < 0.5 ? pad2(b) : String(b);
    const y = pick([pad2(edgy(0, 99, [0, 68, 69, 99])), String(year4()).padStart(4, '0'), digits(3), digits(5)]);
    let s = `${fa}${sep}${fb}${rnd() < 0.9 ? sep : pick(['/', '.', '-'])}${y}`;
    if (rnd() < 0.4) s += pick([' ', ', ', 'T', ',']) + `${hour()}:${pad2(minute())}` + (rnd() < 0.4 ? `:${pad2(second())}` + (rnd() < 0.3 ? '.' + digits(int(0, 3)) : '') : '') + pick(['', '', ' AM', 'pm', ' Pm', ' XM']);
    return s;
  },
  () => {
    const mon = pick(['Jan', 'January', 'FEB', 'mar', 'Sept', 'Sep', 'September', 'May', 'June', 'Jul', 'Dec', 'Dez', 'Ju', 'ſep', 'Auguſt', 'Oct.']);
    const d = String(day());
    const y = pick([String(year4()), digits(2), digits(5)]);
    return pick([`${d} ${mon} ${y}`, `${mon} ${d}, ${y}`, `${mon} ${d} ${y}`, `${mon}. ${d}, ${y}`, `${d}-${mon}-${y}`, `${mon}  ${d} ${y}`]);
  },
  () => `${hour()}:${pad2(minute())}` + (rnd() < 0.5 ? `:${pad2(second())}` + (rnd() < 0.3 ? '.' + digits(int(0, 4)) : '') : '') + pick(['', '', ' AM', 'PM', ' pm', ' am ', 'a']),
  () => {
    const hex = (n: number) => Array.from({ length: n }, () => pick([...'0123456789abcdefABCDEFg'])).join('');
    return `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  },
  () => pick(['john', 'a.b', 'X', '']) + pick(['@', '@@', '', '@']) + pick(['mail', '.x', 'a.b', '']) + pick(['.com', '.c', '.co.uk', '', '.']) + pick(['', '', ' ', ';x@y.com']),
  () => pick(['http', 'https', 'HTTP', 'ftp', 'ftps', 'httpſ', 'file']) + pick(['://', ':/', '://']) + pick(['example.org', '/x', '.x', '$x', 'a b', 'x', '']) + pick(['', '/path?q=1', '#frag']),
  () => pick(['', '+', '(', '+1 ', '+44 ']) + digits(int(1, 4)) + pick([') ', '-', '.', ' ', '']) + digits(int(2, 4)) + pick(['-', ' ', '.', '']) + digits(int(2, 5)) + pick(['', '', ' x12', 'ext']),
  () => Array.from({ length: int(1, 5) }, () => pick(['the', 'Customer', 'IS', 'late', '1998Q1', 'KE-8264', 'O\'Brien', 'Zoë'])).join(pick([' ', '  ', '\t', '\u00a0', '-'])),
  () => pick(SENTINEL_TOKENS).split('').map((c) => (rnd() < 0.5 ? c.toUpperCase() : c)).join(''),
  () => pick(['#VALUE!', '#ref!', '#DIV/0!', '#NAME?', '#N/A', '#NUM!', '#NULL!', '#SPILL!', '#CALC!', '#GETTING_DATA', '#VALUE', '#div/0']),
  () => 'x'.repeat(int(60, 70)),
  () => {
    // mostly valid timestamps: mutations then probe each boundary of the rule
    const frac = rnd() < 0.4 ? '.' + digits(int(1, 9)) : '';
    const secs = rnd() < 0.8 ? `:${pad2(int(0, 59))}${frac}` : '';
    return `${int(1970, 2030)}-${pad2(int(1, 12))}-${pad2(int(1, 28))}${pick(['T', ' ', 't'])}${pad2(int(0, 23))}:${pad2(int(0, 59))}${secs}${pick(['', 'Z', '+01:00', '-0330', '+09'])}`;
  },
  () => {
    const [g, d] = pick([[',', '.'], ['.', ','], [' ', ','], ["'", '.'], ['\u00a0', ',']]);
    let s = String(int(1, 999));
    for (let k = int(1, 3); k > 0; k--) s += g + digits(3);
    return (rnd() < 0.2 ? '-' : '') + s + (rnd() < 0.5 ? d + digits(int(1, 3)) : '');
  },
];

function mutate(s: string): string {
  const ops = int(0, 2);
  for (let k = 0; k < ops; k++) {
    const i = int(0, s.length);
    switch (int(0, 4)) {
      case 0: s = s.slice(0, i) + pick(ALPHABET) + s.slice(i); break;
      case 1: s = s.slice(0, i) + s.slice(i + 1); break;
      case 2: s = s.slice(0, i) + pick(ALPHABET) + s.slice(i + 1); break;
      case 3: s = s.slice(0, i) + s.slice(i, i + 1) + s.slice(i); break;
      default: s = s.slice(0, i) + s.slice(i + 1, i + 2) + s.slice(i, i + 1) + s.slice(i + 2);
    }
  }
  return s;
}

function randomString(): string {
  const len = int(0, 12);
  let s = '';
  for (let k = 0; k < len; k++) s += pick(ALPHABET);
  return s;
}

function wrapWhitespace(s: string): string {
  const r = rnd();
  if (r < 0.8) return s;
  const ws = pick([' ', '  ', '\t', '\u00a0', '\n', '\ufeff', '\u2007']);
  return r < 0.9 ? ws + s : s + ws;
}

function generateInputs(count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const r = rnd();
    const base = r < 0.2 ? randomString() : pick(TEMPLATES)();
    out.push(wrapWhitespace(r < 0.2 || rnd() < 0.65 ? base : mutate(base)));
  }
  return out;
}

// ---------------------------------------------------------------- hygiene and case reference

function refHygiene(raw: string): number {
  if (raw === '' || /^\s+$/u.test(raw)) return 0;
  const v = raw.trim();
  let h = 0;
  if (/^\s/u.test(raw)) h |= LEADING_WS;
  if (/\s$/u.test(raw)) h |= TRAILING_WS;
  if (/[\u00A0\u2007\u202F]/u.test(raw)) h |= NBSP;
  if (/[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]{2}/u.test(v)) h |= DOUBLE_SPACE;
  if (/\uFFFD/u.test(raw)) h |= REPLACEMENT_CHAR;
  if (/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/u.test(raw)) h |= C0_CONTROL;
  if (/[\n\r\u2028\u2029]/u.test(raw)) h |= LINE_BREAK;
  if (/[\x80-\x9F]/u.test(raw)) h |= C1_CONTROL;
  if (/[\u200B\u200C\u2060\uFEFF]/u.test(raw) || /(?<![\uDC00-\uDFFF\uFE0F])\u200D/.test(raw)) h |= ZERO_WIDTH;
  if (
    /[\u00C2-\u00DF][\u0080-\u00BF\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u20AC\u2122\u2026]|\u00E2\u20AC[\u0080-\u00BF\u2122\u0153\u201C\u201D\u02DC]/u.test(raw)
  ) {
    h |= MOJIBAKE;
  }
  return h;
}

/** Case class by Python's `str.isupper/islower/istitle` rules over code points. */
function refCaseClass(v: string): number {
  let upper = 0;
  let lower = 0;
  let title = true;
  let prevCased = false;
  for (const ch of v) {
    const isUp = /[\p{Lu}\p{Lt}]/u.test(ch);
    const isLow = /\p{Ll}/u.test(ch);
    if (isUp) {
      upper++;
      if (prevCased) title = false;
    } else if (isLow) {
      lower++;
      if (!prevCased) title = false;
    }
    prevCased = isUp || isLow;
  }
  if (upper === 0) return lower === 0 ? CaseClass.NONE : CaseClass.LOWER;
  if (lower === 0) return CaseClass.UPPER;
  return title ? CaseClass.TITLE : CaseClass.MIXED;
}

// ---------------------------------------------------------------- the properties

const INPUTS = generateInputs(40_000);

function sameNumber(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** Epochs agree to the millisecond (fractions of seconds are summed in a different order). */
function closeEpoch(a: number, b: number): boolean {
  return (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) < 1e-3;
}

describe('classifyCell agrees with the METRICS regexes (reference implementation)', () => {
  it('covers every value class at least 50 times with the generated inputs', () => {
    const counts = new Array<number>(23).fill(0);
    for (const raw of INPUTS) {
      const cls = refClassify(raw).cls;
      if (cls >= 0) counts[cls]++;
    }
    const thin = counts.flatMap((n, id) => (n < 50 ? [`${valueClassName(id)}=${n}`] : []));
    expect(thin).toEqual([]);
  });

  it('gives the same state, sentinel, class, number, epochs and date order on 40,000 inputs', () => {
    const info = createCellInfo();
    const mismatches: string[] = [];
    for (const raw of INPUTS) {
      const ref = refClassify(raw);
      const state = classifyCell(raw, info);
      const got = {
        state,
        sentinelId: info.sentinelId,
        cls: info.valueClass,
        num: info.num,
        epoch: info.epoch,
        epochDmy: info.epochDmy,
        epochMdy: info.epochMdy,
        dateOrder: info.dateOrder,
      };
      const ok =
        got.state === ref.state &&
        got.sentinelId === ref.sentinelId &&
        got.cls === ref.cls &&
        sameNumber(got.num, ref.num) &&
        closeEpoch(got.epoch, ref.epoch) &&
        closeEpoch(got.epochDmy, ref.epochDmy) &&
        closeEpoch(got.epochMdy, ref.epochMdy) &&
        got.dateOrder === ref.dateOrder;
      if (!ok && mismatches.length < 20) {
        mismatches.push(`${JSON.stringify(raw)}: got ${JSON.stringify(got)} want ${JSON.stringify(ref)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('names every format key it produces distinctly (reports never merge two formats)', () => {
    const info = createCellInfo();
    const byName = new Map<string, number>();
    const clashes: string[] = [];
    for (const raw of INPUTS) {
      classifyCell(raw, info);
      if (info.format < 0) continue;
      const name = formatName(info.format);
      const seen = byName.get(name);
      if (seen === undefined) byName.set(name, info.format);
      else if (seen !== info.format && clashes.length < 10) clashes.push(`${name}: ${seen} vs ${info.format}`);
    }
    expect(byName.size).toBeGreaterThan(150);
    expect(clashes).toEqual([]);
  });

  it('computes hygiene flags, case class, trimmed value and code-point length like the regex reference', () => {
    const info = createCellInfo();
    const mismatches: string[] = [];
    const extra = ['Â\u00a0', 'cafÃ©', 'â€™', 'â€œquoteâ€\u009d', 'a\u200db', '👨\u200d👩', '\u200b', 'x\u0085y', 'a\ufffd', 'a\u0001b', 'a\x7fb', 'line\nbreak', 'A  B', 'a\u00a0\u00a0b', '𝐀𝐛c', 'ǅemal', 'İstanbul'];
    for (const raw of [...INPUTS, ...extra]) {
      classifyCell(raw, info);
      const present = raw !== '' && !/^\s+$/u.test(raw);
      const want = {
        hygiene: refHygiene(raw),
        caseClass: present ? refCaseClass(raw.trim()) : 0,
        trimmed: present ? raw.trim() : raw === '' ? '' : '',
        length: present ? [...raw.trim()].length : 0,
        digitCount: present ? (raw.trim().match(/\d/g) ?? []).length : 0,
        isAllDigits: present && /^\d+$/.test(raw.trim()),
      };
      const got = {
        hygiene: info.hygiene,
        caseClass: info.caseClass,
        trimmed: info.trimmed,
        length: info.length,
        digitCount: info.digitCount,
        isAllDigits: info.isAllDigits,
      };
      if (JSON.stringify(got) !== JSON.stringify(want) && mismatches.length < 20) {
        mismatches.push(`${JSON.stringify(raw)}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
