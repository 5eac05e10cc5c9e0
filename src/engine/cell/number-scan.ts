import type { CellInfo } from './cell-info.js';
import { isJsWhitespace } from './char-kind.js';
import {
  CURRENCY_CONVENTION_SHIFT,
  CURRENCY_PARENS,
  CURRENCY_SPACE,
  CURRENCY_SUFFIX,
  CURRENCY_UNIT_PARENS,
  CurrencyUnit,
  DEC_EXPONENT,
  DEC_LEADING_DOT,
  DEC_TRAILING_DOT,
  formatKey,
  GroupSeparator,
  NUM_PLUS,
  NumberConvention,
  PERCENT_PLUS,
  PERCENT_SPACE,
} from './format-key.js';
import { CaseClass } from './hygiene.js';
import { ValueClass } from './value-class.js';

/**
 * Hand-written recognisers for the numeric classes of METRICS §2.1 (int … percent). Each one
 * reads the trimmed range [s, e) of the raw string once and, on success, fills the class,
 * format and value of the cell (parseBareNumber also its digit count and case class, so the
 * classifier can skip its census pass); they never allocate unless a number needs more than
 * 15 significant digits or a power of ten beyond 1e22 (then `Number()` reads a normalised copy).
 */

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * ISO 4217 codes recognised as currency units (upper case only, so `usd 5` stays text).
 * A three-letter prefix that is not a currency (`INV 5`) must not turn a value into money.
 */
export const CURRENCY_CODES: readonly string[] = Object.freeze([
  'AED', 'ARS', 'AUD', 'BDT', 'BGN', 'BRL', 'CAD', 'CHF', 'CLP', 'CNY', 'COP', 'CZK', 'DKK', 'EGP',
  'EUR', 'GBP', 'HKD', 'HUF', 'IDR', 'ILS', 'INR', 'ISK', 'JPY', 'KES', 'KRW', 'KWD', 'MXN', 'MYR',
  'NGN', 'NOK', 'NZD', 'PEN', 'PHP', 'PKR', 'PLN', 'QAR', 'RON', 'RUB', 'SAR', 'SEK', 'SGD', 'THB',
  'TRY', 'TWD', 'UAH', 'USD', 'VND', 'ZAR',
]);

const CODE_TABLE = (() => {
  const t = new Uint8Array(26 * 26 * 26);
  for (const code of CURRENCY_CODES) {
    t[(code.charCodeAt(0) - 65) * 676 + (code.charCodeAt(1) - 65) * 26 + (code.charCodeAt(2) - 65)] = 1;
  }
  return t;
})();

/** Digit count and case class of a recognised bare number (its only letter can be an exponent `e`/`E`). */
function setStats(info: CellInfo, digitCount: number, caseClass: number): void {
  info.digitCount = digitCount;
  info.caseClass = caseClass;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpperAscii(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** Group separators of grouped_space: space, apostrophe, U+00A0, U+202F. */
function groupSpaceKind(c: number): number {
  if (c === 32) return GroupSeparator.SPACE;
  if (c === 39) return GroupSeparator.APOSTROPHE;
  if (c === 0xa0) return GroupSeparator.NBSP;
  if (c === 0x202f) return GroupSeparator.NNBSP;
  return -1;
}

/** Index past the run of ASCII digits starting at i (≤ e). */
function digitRunEnd(raw: string, i: number, e: number): number {
  while (i < e && isDigit(raw.charCodeAt(i))) i++;
  return i;
}

/** True when exactly three digits start at i and no digit follows them. */
function isGroupAt(raw: string, i: number, e: number): boolean {
  return i + 3 <= e && digitRunEnd(raw, i, i + 3) === i + 3 && (i + 3 === e || !isDigit(raw.charCodeAt(i + 3)));
}

/**
 * Unsigned value of the digits in [from, to), ignoring separators; digits after index
 * `decimalAt` (if ≥ 0) are fractional; `exp10` scales by a power of ten. Exact (= `Number()` of
 * the plain spelling): with ≤ 15 significant digits and a scale within ±22 both operands are
 * exact doubles and one IEEE operation rounds correctly (Clinger's fast path).
 */
function digitsValue(raw: string, from: number, to: number, decimalAt: number, exp10: number): number {
  let m = 0;
  let sig = 0;
  let frac = 0;
  for (let i = from; i < to; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) continue;
    if (decimalAt >= 0 && i > decimalAt) frac++;
    if (m === 0 && d === 0) continue;
    m = m * 10 + d;
    sig++;
  }
  const scale = exp10 - frac;
  if (sig <= 15 && scale >= -22 && scale <= 22) {
    return scale >= 0 ? m * POW10[scale] : m / POW10[-scale];
  }
  let text = '';
  for (let i = from; i < to; i++) {
    const c = raw.charCodeAt(i);
    if (isDigit(c)) text += raw[i];
    else if (i === decimalAt) text += '.';
  }
  return Number(text + 'e' + exp10);
}

/** Sign of the exponent digits in [from, to) (`e`, optional sign, digits), as a number. */
function exponentValue(raw: string, from: number, to: number): number {
  let i = from + 1;
  let neg = false;
  const c = raw.charCodeAt(i);
  if (c === 43 || c === 45) {
    neg = c === 45;
    i++;
  }
  let v = 0;
  for (; i < to; i++) v = Math.min(v * 10 + raw.charCodeAt(i) - 48, 1e9);
  return neg ? -v : v;
}

/**
 * Recognises the unit-less numbers: int `^[+-]?(0|[1-9]\d*)$`, digit_code `^0\d+$`, dec_dot
 * `^[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?$`, dec_comma `^[+-]?\d+,\d+$` (ambiguous_group when it
 * is `^[+-]?\d{1,3},\d{3}$`), grouped_us, grouped_eu and grouped_space (METRICS §2.1), in
 * that order. Returns the class id, or -1 (info untouched but for scratch fields).
 */
export function parseBareNumber(raw: string, s: number, e: number, info: CellInfo): number {
  let i = s;
  let c = raw.charCodeAt(i);
  let sign = 0; // 1 '+', -1 '-'
  if (c === 43 || c === 45) {
    sign = c === 43 ? 1 : -1;
    i++;
    if (i === e) return -1;
  }
  const d0Start = i;
  // the first run of digits, valued on the way: exact while it has at most 15 digits
  let m = 0;
  for (; i < e; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    m = m * 10 + d;
  }
  const d0 = i - d0Start;
  const neg = sign < 0;
  const plusFlag = sign > 0 ? NUM_PLUS : 0;
  if (i === e) {
    if (d0 === 0) return -1;
    if (d0 === 1 || raw.charCodeAt(d0Start) !== 48) {
      const v = d0 <= 15 ? m : digitsValue(raw, d0Start, e, -1, 0);
      info.num = neg ? -v : v;
      info.format = formatKey(ValueClass.INT, plusFlag);
      setStats(info, d0, CaseClass.NONE);
      return ValueClass.INT;
    }
    if (sign !== 0) return -1;
    info.num = d0 <= 15 ? m : digitsValue(raw, d0Start, e, -1, 0);
    info.format = formatKey(ValueClass.DIGIT_CODE, Math.min(d0, 1023));
    setStats(info, d0, CaseClass.NONE);
    return ValueClass.DIGIT_CODE;
  }
  c = raw.charCodeAt(i);
  if (c === 46) {
    // '.': dec_dot, or grouped_eu
    const dot = i;
    i = digitRunEnd(raw, i + 1, e);
    const f1 = i - dot - 1;
    if (d0 === 0 && f1 === 0) return -1;
    if (i === e) {
      const v = digitsValue(raw, d0Start, e, dot, 0);
      info.num = neg ? -v : v;
      info.format = formatKey(
        ValueClass.DEC_DOT,
        plusFlag | (d0 === 0 ? DEC_LEADING_DOT : 0) | (f1 === 0 ? DEC_TRAILING_DOT : 0),
      );
      setStats(info, d0 + f1, CaseClass.NONE);
      return ValueClass.DEC_DOT;
    }
    const n = raw.charCodeAt(i);
    if (n === 101 || n === 69) {
      const expAt = i;
      let j = i + 1;
      const sc = raw.charCodeAt(j);
      if (sc === 43 || sc === 45) j++;
      const k = digitRunEnd(raw, j, e);
      if (k === j || k !== e) return -1;
      const v = digitsValue(raw, d0Start, expAt, dot, exponentValue(raw, expAt, e));
      info.num = neg ? -v : v;
      info.format = formatKey(
        ValueClass.DEC_DOT,
        plusFlag | DEC_EXPONENT | (d0 === 0 ? DEC_LEADING_DOT : 0) | (f1 === 0 ? DEC_TRAILING_DOT : 0),
      );
      setStats(info, d0 + f1 + k - j, n === 101 ? CaseClass.LOWER : CaseClass.UPPER);
      return ValueClass.DEC_DOT;
    }
    if (d0 < 1 || d0 > 3 || f1 !== 3 || (n !== 46 && n !== 44)) return -1;
    return finishGrouped(raw, d0Start, i, e, 46, 44, neg, plusFlag, ValueClass.GROUPED_EU, info);
  }
  if (c === 44) {
    // ',': dec_comma / ambiguous_group, or grouped_us
    const comma = i;
    i = digitRunEnd(raw, i + 1, e);
    const f1 = i - comma - 1;
    if (d0 === 0 || f1 === 0) return -1;
    if (i === e) {
      if (d0 <= 3 && f1 === 3) {
        const grouped = digitsValue(raw, d0Start, e, -1, 0);
        const decimal = digitsValue(raw, d0Start, e, comma, 0);
        info.num = neg ? -grouped : grouped;
        info.numAlt = neg ? -decimal : decimal;
        info.format = formatKey(ValueClass.AMBIGUOUS_GROUP, plusFlag);
        setStats(info, d0 + f1, CaseClass.NONE);
        return ValueClass.AMBIGUOUS_GROUP;
      }
      const v = digitsValue(raw, d0Start, e, comma, 0);
      info.num = neg ? -v : v;
      info.format = formatKey(ValueClass.DEC_COMMA, plusFlag);
      setStats(info, d0 + f1, CaseClass.NONE);
      return ValueClass.DEC_COMMA;
    }
    const n = raw.charCodeAt(i);
    if (d0 > 3 || f1 !== 3 || (n !== 44 && n !== 46)) return -1;
    return finishGrouped(raw, d0Start, i, e, 44, 46, neg, plusFlag, ValueClass.GROUPED_US, info);
  }
  const firstSep = groupSpaceKind(c);
  if (firstSep < 0 || sign !== 0 || d0 === 0 || d0 > 3) return -1;
  // grouped_space: ^\d{1,3}([ '\u00A0\u202F]\d{3})+([.,]\d+)?$
  let separators = 0;
  while (i < e && groupSpaceKind(raw.charCodeAt(i)) >= 0) {
    if (!isGroupAt(raw, i + 1, e)) return -1;
    i += 4;
    separators++;
  }
  let mark = 0;
  let decimalAt = -1;
  if (i < e) {
    const m = raw.charCodeAt(i);
    if (m !== 46 && m !== 44) return -1;
    decimalAt = i;
    const k = digitRunEnd(raw, i + 1, e);
    if (k === i + 1 || k !== e) return -1;
    mark = m === 46 ? 1 : 2;
    separators++;
  }
  info.num = digitsValue(raw, d0Start, e, decimalAt, 0);
  info.format = formatKey(ValueClass.GROUPED_SPACE, firstSep | (mark << 2));
  setStats(info, e - d0Start - separators, CaseClass.NONE);
  return ValueClass.GROUPED_SPACE;
}

/**
 * Rest of grouped_us / grouped_eu after the first group (which ends at i): more groups with
 * `groupSep`, then optionally `decimalSep` and at least one digit, then the end.
 */
function finishGrouped(
  raw: string,
  d0Start: number,
  i: number,
  e: number,
  groupSep: number,
  decimalSep: number,
  neg: boolean,
  plusFlag: number,
  cls: number,
  info: CellInfo,
): number {
  let separators = 1;
  while (i < e && raw.charCodeAt(i) === groupSep) {
    if (!isGroupAt(raw, i + 1, e)) return -1;
    i += 4;
    separators++;
  }
  let decimalAt = -1;
  if (i < e) {
    if (raw.charCodeAt(i) !== decimalSep) return -1;
    separators++;
    decimalAt = i;
    const k = digitRunEnd(raw, i + 1, e);
    if (k === i + 1 || k !== e) return -1;
  }
  const v = digitsValue(raw, d0Start, e, decimalAt, 0);
  info.num = neg ? -v : v;
  info.format = formatKey(cls, plusFlag);
  setStats(info, e - d0Start - separators, CaseClass.NONE);
  return cls;
}

// Result of scanMoneyNumber, kept in module scope so the hot path allocates nothing.
let moneyConvention = 0;
let moneyValue = 0;

/**
 * Reads the unsigned number of a currency or percent value at i:
 * `\d{1,3}(,\d{3})+(\.\d+)?` | `\d{1,3}(\.\d{3})+(,\d+)?` | `\d{1,3}([ '\u00A0\u202F]\d{3})+([.,]\d+)?`
 * | `\d+([.,]\d+)?` | `\.\d+`. Returns the index past it or -1; sets moneyConvention/moneyValue.
 *
 * Greedy with a three-digit look-ahead is exact here: what may follow the number (`\s?` then a
 * unit, `%` or `)`) can never start with a digit, `,` or `.`, so a shorter reading never
 * succeeds where the longest one fails.
 */
function scanMoneyNumber(raw: string, i: number, e: number): number {
  const start = i;
  let p = digitRunEnd(raw, i, e);
  const d0 = p - i;
  if (d0 === 0) {
    if (raw.charCodeAt(p) !== 46) return -1;
    const k = digitRunEnd(raw, p + 1, e);
    if (k === p + 1) return -1;
    moneyConvention = NumberConvention.DOT;
    moneyValue = digitsValue(raw, start, k, p, 0);
    return k;
  }
  const c = p < e ? raw.charCodeAt(p) : -1;
  let mode = -1; // group separator class: 0 ',', 1 '.', 2 space-like
  if (d0 <= 3 && isGroupAt(raw, p + 1, e)) {
    if (c === 44) mode = 0;
    else if (c === 46) mode = 1;
    else if (groupSpaceKind(c) >= 0) mode = 2;
  }
  if (mode < 0) {
    if ((c === 46 || c === 44) && p + 1 < e && isDigit(raw.charCodeAt(p + 1))) {
      const k = digitRunEnd(raw, p + 1, e);
      moneyConvention = c === 46 ? NumberConvention.DOT : NumberConvention.COMMA;
      moneyValue = digitsValue(raw, start, k, p, 0);
      return k;
    }
    moneyConvention = NumberConvention.PLAIN;
    moneyValue = digitsValue(raw, start, p, -1, 0);
    return p;
  }
  let groups = 0;
  for (;;) {
    const sep = p < e ? raw.charCodeAt(p) : -1;
    const same = mode === 0 ? sep === 44 : mode === 1 ? sep === 46 : groupSpaceKind(sep) >= 0;
    if (!same || !isGroupAt(raw, p + 1, e)) break;
    p += 4;
    groups++;
  }
  let decimalAt = -1;
  const m = p < e ? raw.charCodeAt(p) : -1;
  const decimalOk = mode === 0 ? m === 46 : mode === 1 ? m === 44 : m === 46 || m === 44;
  if (decimalOk && p + 1 < e && isDigit(raw.charCodeAt(p + 1))) {
    decimalAt = p;
    p = digitRunEnd(raw, p + 1, e);
  }
  if (groups === 1 && decimalAt < 0 && mode !== 2) {
    // `1,234` reads like the bare ambiguous_group, `1.234` like the bare dec_dot
    if (mode === 0) {
      moneyConvention = NumberConvention.AMBIGUOUS_GROUP;
      moneyValue = digitsValue(raw, start, p, -1, 0);
    } else {
      moneyConvention = NumberConvention.DOT;
      moneyValue = digitsValue(raw, start, p, start + d0, 0);
    }
    return p;
  }
  moneyConvention =
    mode === 0 ? NumberConvention.GROUPED_US : mode === 1 ? NumberConvention.GROUPED_EU : NumberConvention.GROUPED_SPACE;
  moneyValue = digitsValue(raw, start, p, decimalAt, 0);
  return p;
}

let unitLength = 0;

/** Currency unit at i (`$ € £ ¥ ₹` or a listed ISO code), setting unitLength; -1 if none. */
function unitAt(raw: string, i: number, e: number): number {
  if (i >= e) return -1;
  const c = raw.charCodeAt(i);
  unitLength = 1;
  switch (c) {
    case 36: return CurrencyUnit.DOLLAR;
    case 0x20ac: return CurrencyUnit.EURO;
    case 0xa3: return CurrencyUnit.POUND;
    case 0xa5: return CurrencyUnit.YEN;
    case 0x20b9: return CurrencyUnit.RUPEE;
  }
  if (!isUpperAscii(c) || i + 3 > e) return -1;
  const c1 = raw.charCodeAt(i + 1);
  const c2 = raw.charCodeAt(i + 2);
  if (!isUpperAscii(c1) || !isUpperAscii(c2)) return -1;
  if (CODE_TABLE[(c - 65) * 676 + (c1 - 65) * 26 + (c2 - 65)] !== 1) return -1;
  unitLength = 3;
  return CurrencyUnit.CODE;
}

function currencyResult(info: CellInfo, value: number, variant: number): number {
  info.num = value;
  info.format = formatKey(ValueClass.CURRENCY, variant | (moneyConvention << CURRENCY_CONVENTION_SHIFT));
  return ValueClass.CURRENCY;
}

/**
 * Recognises currency and percent (METRICS §2.1, formalised in src/engine/cell/README.md):
 * `[+-]?U\s?N`, `U\s?[+-]N`, `[+-]?N\s?U`, `\((U\s?N|N\s?U|N)\)`, `U\s?\(N\)` and `[+-]?N\s?%`,
 * where U is `[$€£¥₹]` or a listed ISO 4217 code and N the number of {@link scanMoneyNumber}.
 * Parentheses make the value negative (accounting). Returns the class id or -1.
 */
export function parseMoney(raw: string, s: number, e: number, info: CellInfo): number {
  let p = s;
  const c = raw.charCodeAt(p);
  if (c === 40) {
    // accounting negative: ( U\s?N | N\s?U | N )
    if (raw.charCodeAt(e - 1) !== 41 || e - s < 3) return -1;
    const ie = e - 1;
    p = s + 1;
    const unit = unitAt(raw, p, ie);
    if (unit >= 0) {
      let q = p + unitLength;
      const sp = q < ie && isJsWhitespace(raw.charCodeAt(q)) ? 1 : 0;
      q += sp;
      if (scanMoneyNumber(raw, q, ie) !== ie) return -1;
      return currencyResult(info, -moneyValue, unit | CURRENCY_PARENS | (sp ? CURRENCY_SPACE : 0));
    }
    const end = scanMoneyNumber(raw, p, ie);
    if (end < 0) return -1;
    if (end === ie) return currencyResult(info, -moneyValue, CurrencyUnit.NONE | CURRENCY_PARENS);
    let q = end;
    const sp = isJsWhitespace(raw.charCodeAt(q)) ? 1 : 0;
    q += sp;
    const u2 = unitAt(raw, q, ie);
    if (u2 < 0 || q + unitLength !== ie) return -1;
    return currencyResult(info, -moneyValue, u2 | CURRENCY_SUFFIX | CURRENCY_PARENS | (sp ? CURRENCY_SPACE : 0));
  }
  let sign = 0;
  if (c === 43 || c === 45) {
    sign = c === 43 ? 1 : -1;
    p++;
  }
  const unit = unitAt(raw, p, e);
  if (unit >= 0) {
    let q = p + unitLength;
    const sp = q < e && isJsWhitespace(raw.charCodeAt(q)) ? 1 : 0;
    q += sp;
    const variant = unit | (sp ? CURRENCY_SPACE : 0);
    const n = raw.charCodeAt(q);
    if (sign === 0 && n === 40) {
      // U\s?\(N\)
      if (raw.charCodeAt(e - 1) !== 41 || scanMoneyNumber(raw, q + 1, e - 1) !== e - 1) return -1;
      return currencyResult(info, -moneyValue, variant | CURRENCY_UNIT_PARENS);
    }
    if (sign === 0 && (n === 43 || n === 45)) {
      sign = n === 43 ? 1 : -1;
      q++;
    }
    if (scanMoneyNumber(raw, q, e) !== e) return -1;
    return currencyResult(info, sign < 0 ? -moneyValue : moneyValue, variant);
  }
  const end = scanMoneyNumber(raw, p, e);
  if (end < 0 || end === e) return -1;
  let q = end;
  const sp = isJsWhitespace(raw.charCodeAt(q)) ? 1 : 0;
  q += sp;
  if (q === e) return -1;
  const value = sign < 0 ? -moneyValue : moneyValue;
  if (raw.charCodeAt(q) === 37) {
    if (q + 1 !== e) return -1;
    info.num = value;
    info.format = formatKey(
      ValueClass.PERCENT,
      moneyConvention | (sp ? PERCENT_SPACE : 0) | (sign > 0 ? PERCENT_PLUS : 0),
    );
    return ValueClass.PERCENT;
  }
  const u2 = unitAt(raw, q, e);
  if (u2 < 0 || q + unitLength !== e) return -1;
  return currencyResult(info, value, u2 | CURRENCY_SUFFIX | (sp ? CURRENCY_SPACE : 0));
}
