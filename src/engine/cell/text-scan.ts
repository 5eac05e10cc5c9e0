import type { CellInfo } from './cell-info.js';
import {
  ASCII_KIND,
  astralLetterKind,
  isJsWhitespace,
  K_LOWER,
  K_UPPER,
  letterKind,
  LK_LOWER,
  LK_UPPER,
  foldAscii,
  matchesFolded,
} from './char-kind.js';
import { BoolFamily, formatKey, PHONE_INTERNATIONAL, PHONE_PARENS, TokenCase } from './format-key.js';
import { CaseClass } from './hygiene.js';
import { ValueClass } from './value-class.js';

/*
 * Hand-written recognisers for the text-like classes of METRICS §2.1: bool, uuid, email, url,
 * phone, and words of ASCII letters. Each reads the trimmed range [s, e) of the raw string.
 */

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Python `istitle()` over [s, e): an upper-case letter only after an uncased character, a
 * lower-case one only after a cased one. Stops at the first violation.
 */
export function isTitle(raw: string, s: number, e: number): boolean {
  let prevCased = false;
  for (let i = s; i < e; i++) {
    const c = raw.charCodeAt(i);
    let lk: number;
    if (c < 128) {
      const k = ASCII_KIND[c];
      lk = k & K_UPPER ? LK_UPPER : k & K_LOWER ? LK_LOWER : 0;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < e) {
      const lo = raw.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        lk = astralLetterKind(((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000);
        i++;
      } else lk = 0;
    } else lk = letterKind(c);
    if (lk === LK_UPPER) {
      if (prevCased) return false;
      prevCased = true;
    } else if (lk === LK_LOWER) {
      if (!prevCased) return false;
    } else prevCased = false;
  }
  return true;
}

/**
 * A value made of ASCII letters only: bool, other_string, or free_text when longer than 64.
 * No other class can match such a value. Sets format, case class and digit count; returns -1
 * at the first character that is not an ASCII letter.
 */
export function wordShape(raw: string, s: number, e: number, out: CellInfo): number {
  let upper = 0;
  let lower = 0;
  for (let i = s; i < e; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 97 && c <= 122) lower++;
    else if (c >= 65 && c <= 90) upper++;
    else return -1;
  }
  const c0 = raw.charCodeAt(s);
  // one word is in title form when only its first letter is upper case
  const caseClass =
    upper === 0
      ? CaseClass.LOWER
      : lower === 0
        ? CaseClass.UPPER
        : upper === 1 && c0 <= 90
          ? CaseClass.TITLE
          : CaseClass.MIXED;
  out.caseClass = caseClass;
  out.digitCount = 0;
  const len = e - s;
  if (len <= 5) {
    const cls = parseBool(raw, s, e, caseClass, out);
    if (cls >= 0) return cls;
  }
  const cls = len > 64 ? ValueClass.FREE_TEXT : ValueClass.OTHER_STRING;
  out.format = formatKey(cls, caseClass);
  return cls;
}

/**
 * bool `^(true|false|yes|no|y|n|t|f)$` with flags `iu`; the variant keeps family and case.
 * Dispatches on the length: each length has one or two candidate tokens.
 */
export function parseBool(raw: string, s: number, e: number, caseClass: number, out: CellInfo): number {
  const first = foldAscii(raw.charCodeAt(s));
  let family: number;
  switch (e - s) {
    case 1:
      if (first === 121 || first === 110) family = BoolFamily.Y_N; // y n
      else if (first === 116 || first === 102) family = BoolFamily.T_F; // t f
      else return -1;
      break;
    case 2:
      if (first !== 110 || !matchesFolded(raw, s, 'no')) return -1;
      family = BoolFamily.YES_NO;
      break;
    case 3:
      if (first !== 121 || !matchesFolded(raw, s, 'yes')) return -1;
      family = BoolFamily.YES_NO;
      break;
    case 4:
      if (first !== 116 || !matchesFolded(raw, s, 'true')) return -1;
      family = BoolFamily.TRUE_FALSE;
      break;
    case 5:
      if (first !== 102 || !matchesFolded(raw, s, 'false')) return -1;
      family = BoolFamily.TRUE_FALSE;
      break;
    default:
      return -1;
  }
  const tokenCase =
    caseClass === CaseClass.LOWER
      ? TokenCase.LOWER
      : caseClass === CaseClass.UPPER
        ? TokenCase.UPPER
        : caseClass === CaseClass.TITLE
          ? TokenCase.TITLE
          : TokenCase.MIXED;
  out.format = formatKey(ValueClass.BOOL, family | (tokenCase << 2));
  return ValueClass.BOOL;
}

/**
 * uuid `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$` (any case); the variant
 * is the case of the hex letters. Also sets digitCount and caseClass (MIXED when both cases
 * occur: the caller checks whether that is in fact Title form).
 */
export function parseUuid(raw: string, s: number, out: CellInfo): number {
  if (
    raw.charCodeAt(s + 8) !== 45 ||
    raw.charCodeAt(s + 13) !== 45 ||
    raw.charCodeAt(s + 18) !== 45 ||
    raw.charCodeAt(s + 23) !== 45
  ) {
    return -1;
  }
  let up = 0;
  let low = 0;
  let hyphens = 0;
  for (let k = s; k < s + 36; k++) {
    const c = raw.charCodeAt(k);
    const h = c < 128 ? HEX_KIND[c] : 0;
    if (h === 0) return -1;
    low += (h >> 1) & 1;
    up += (h >> 2) & 1;
    hyphens += h >> 3;
  }
  if (hyphens !== 4) return -1;
  const caseClass = up === 0 ? (low === 0 ? CaseClass.NONE : CaseClass.LOWER) : low === 0 ? CaseClass.UPPER : CaseClass.MIXED;
  out.format = formatKey(ValueClass.UUID, caseClass);
  out.digitCount = 32 - up - low;
  out.caseClass = caseClass;
  return ValueClass.UUID;
}

// 1 digit, 2 a–f, 4 A–F, 8 hyphen.
const HEX_KIND = (() => {
  const t = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) t[c] = 1;
  for (let c = 97; c <= 102; c++) t[c] = 2;
  for (let c = 65; c <= 70; c++) t[c] = 4;
  t[45] = 8;
  return t;
})();

/**
 * email `^[^\s@]+@[^\s@]+\.[^\s@]{2,}$`. The caller checked: one `@` (at index `at`), no whitespace. Then the
 * local part must be non-empty and the domain must contain a `.` that has at least one
 * character before it (within the domain) and two after it.
 */
export function isEmail(raw: string, s: number, e: number, at: number): boolean {
  if (at === s) return false;
  for (let j = at + 2; j <= e - 3; j++) {
    if (raw.charCodeAt(j) === 46) return true;
  }
  return false;
}

/** url `^(https?|ftp)://[^\s/$.?#][^\s]*$` with flags `iu`; the caller checked: no whitespace. */
export function isUrl(raw: string, s: number, e: number): boolean {
  let p: number;
  if (e - s >= 8 && matchesFolded(raw, s, 'http')) {
    p = s + 4;
    if (matchesFolded(raw, p, 's')) p++;
  } else if (e - s >= 7 && matchesFolded(raw, s, 'ftp')) p = s + 3;
  else return false;
  if (p + 3 >= e || raw.charCodeAt(p) !== 58 || raw.charCodeAt(p + 1) !== 47 || raw.charCodeAt(p + 2) !== 47) {
    return false;
  }
  const c = raw.charCodeAt(p + 3);
  return c !== 47 && c !== 36 && c !== 46 && c !== 63 && c !== 35;
}

function isPhoneChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 40 || c === 41 || c === 46 || c === 45 || isJsWhitespace(c);
}

/**
 * phone: E.164 `^\+[1-9]\d{6,14}$`, or `^[+(]?[\d\s().-]{7,20}$` with ≥ 7 digits (METRICS
 * §2.1). The caller checked ≥ 7 digits. Variant: international (`+`), parentheses.
 */
export function parsePhone(raw: string, s: number, e: number, out: CellInfo): number {
  const len = e - s;
  const c0 = raw.charCodeAt(s);
  let from = s;
  let min = 7;
  let max = 20;
  if (c0 === 43) {
    from = s + 1;
    min = 8;
    max = 21;
    // E.164
    const c1 = raw.charCodeAt(s + 1);
    if (c1 >= 49 && c1 <= 57 && len >= 8 && len <= 16) {
      let k = s + 2;
      while (k < e && isDigitCode(raw.charCodeAt(k))) k++;
      if (k === e) {
        out.format = formatKey(ValueClass.PHONE, PHONE_INTERNATIONAL);
        return ValueClass.PHONE;
      }
    }
  } else if (c0 === 40) max = 21;
  if (len < min || len > max) return -1;
  let parens = false;
  for (let k = from; k < e; k++) {
    const c = raw.charCodeAt(k);
    if (!isPhoneChar(c)) return -1;
    if (c === 40) parens = true;
  }
  out.format = formatKey(ValueClass.PHONE, (c0 === 43 ? PHONE_INTERNATIONAL : 0) | (parens ? PHONE_PARENS : 0));
  return ValueClass.PHONE;
}
