import type { CellInfo } from './cell-info.js';
import { census, takeCensus } from './census.js';
import { CellState, matchErrorToken, matchSentinel, SENTINEL_MAX_LENGTH } from './cell-state.js';
import {
  isJsWhitespace,
  K_APOS,
  K_COLON,
  K_COMMA,
  K_CTRL,
  K_CURRENCY_SYM,
  K_DIGIT,
  K_DOLLAR,
  K_DOT,
  K_EXP,
  K_LINE_BREAK,
  K_LOWER,
  K_LPAREN,
  K_MINUS,
  K_NONASCII,
  K_NOT_EXP,
  K_OTHER_LETTER,
  K_PERCENT,
  K_PLUS,
  K_RPAREN,
  K_SLASH,
  K_UPPER,
  K_WS,
  K_WS_OTHER,
} from './char-kind.js';
import { formatKey } from './format-key.js';
import {
  C0_CONTROL,
  CaseClass,
  DOUBLE_SPACE,
  LEADING_WS,
  LINE_BREAK,
  NBSP,
  TRAILING_WS,
  ZERO_WIDTH,
} from './hygiene.js';
import { parseBareNumber, parseMoney } from './number-scan.js';
import { parseDateNamed, parseDateSep, parseIso, parseTime } from './temporal-scan.js';
import { isEmail, isTitle, isUrl, parseBool, parsePhone, parseUuid, wordShape } from './text-scan.js';
import { ValueClass } from './value-class.js';

export { createCellInfo, type CellInfo } from './cell-info.js';
export { dateSepFormat, formatName } from './format-key.js';

// Characters each recogniser can accept at all: a cell with any other kind skips it. These
// are necessary conditions only; the recognisers themselves are exact.
const LETTER_KINDS = K_UPPER | K_LOWER | K_OTHER_LETTER;
const WORD_KINDS = LETTER_KINDS | K_EXP | K_NOT_EXP | K_NONASCII;
const ANY_WS = K_WS | K_WS_OTHER | K_LINE_BREAK | K_CTRL; // `\s` includes LF, CR, VT and FF
const BARE_KINDS =
  K_DIGIT | K_PLUS | K_MINUS | K_DOT | K_COMMA | K_WS | K_WS_OTHER | K_APOS | K_NONASCII | K_EXP | K_LOWER | K_UPPER;
const MONEY_KINDS =
  K_DIGIT | K_PLUS | K_MINUS | K_DOT | K_COMMA | ANY_WS | K_APOS | K_LPAREN | K_RPAREN | K_PERCENT | K_DOLLAR |
  K_CURRENCY_SYM | K_NONASCII | K_UPPER | K_EXP | K_NOT_EXP;
const MONEY_MARKS = K_DOLLAR | K_CURRENCY_SYM | K_PERCENT | K_LPAREN | K_UPPER;
const PHONE_KINDS = K_DIGIT | ANY_WS | K_LPAREN | K_RPAREN | K_DOT | K_MINUS | K_PLUS | K_NONASCII;

// Recognisers strictShape already ran (and that failed), so classifyValue skips them.
const T_BARE = 1;
const T_ISO = 2;
const T_DATE_SEP = 4;
let strictTried = 0;
/** Hygiene found by strictShape inside a value (NBSP group separators). */
let strictHygiene = 0;

/** Hygiene flags of the whitespace trimmed off an edge, [from, to). */
function edgeFlags(raw: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) {
    const c = raw.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) h |= LINE_BREAK;
    else if (c === 11 || c === 12) h |= C0_CONTROL;
    else if (c === 0xa0 || c === 0x2007 || c === 0x202f) h |= NBSP;
    else if (c === 0xfeff) h |= ZERO_WIDTH;
  }
  return h;
}

function setNotPresent(out: CellInfo, state: number, trimmed: string): number {
  out.state = state;
  out.valueClass = -1;
  out.format = -1;
  out.hygiene = 0;
  out.caseClass = CaseClass.NONE;
  out.length = 0;
  out.trimmed = trimmed;
  out.isAllDigits = false;
  out.digitCount = 0;
  return state;
}

/** Fills the fields every PRESENT/SENTINEL cell gets besides class, format and values. */
function finishCell(out: CellInfo, raw: string, s: number, e: number, cls: number, hyg: number): number {
  out.valueClass = cls;
  out.hygiene = hyg;
  out.trimmed = s === 0 && e === raw.length ? raw : raw.slice(s, e);
  const sentinelId = e - s <= SENTINEL_MAX_LENGTH ? matchSentinel(raw, s, e) : -1;
  out.sentinelId = sentinelId;
  out.state = sentinelId >= 0 ? CellState.SENTINEL : CellState.PRESENT;
  return out.state;
}

/**
 * Recognisers whose success proves the whole value is made of a small fixed alphabet (bare
 * numbers, ISO and separated dates, times, uuids, words of ASCII letters) run before the
 * census: a match makes the census unnecessary, since such a value can have no hygiene defect
 * inside (NBSP group separators aside) and the recogniser knows its digits and letter case.
 * None of these shapes can match a class that comes earlier in METRICS order. Returns the
 * class or -1; records in strictTried what failed.
 */
function strictShape(raw: string, s: number, e: number, out: CellInfo): number {
  const len = e - s;
  const c0 = raw.charCodeAt(s);
  strictTried = 0;
  const digit0 = c0 >= 48 && c0 <= 57;
  if (digit0 || c0 === 45 || c0 === 43 || c0 === 46) {
    if (digit0 && len >= 10 && raw.charCodeAt(s + 4) === 45) {
      strictTried = T_ISO | T_BARE; // a '-' inside rules out every bare number
      return parseIso(raw, s, e, out);
    }
    strictTried = T_BARE;
    const cls = parseBareNumber(raw, s, e, out);
    if (cls >= 0) {
      if (cls === ValueClass.GROUPED_SPACE) {
        const nb = raw.indexOf('\u00a0', s);
        const nn = raw.indexOf('\u202f', s);
        if ((nb >= 0 && nb < e) || (nn >= 0 && nn < e)) strictHygiene = NBSP;
      }
      return cls;
    }
    if (digit0) {
      const c1 = raw.charCodeAt(s + 1);
      const c2 = raw.charCodeAt(s + 2);
      const c4 = raw.charCodeAt(s + 4);
      if (len >= 6 && (c1 === 47 || c1 === 46 || c1 === 45 || c2 === 47 || c2 === 46 || c2 === 45 || c4 === 47 || c4 === 46)) {
        strictTried |= T_DATE_SEP;
        const ds = parseDateSep(raw, s, e, out);
        if (ds >= 0) return ds;
      } else if (c1 === 58 || c2 === 58) {
        const t = parseTime(raw, s, e, out);
        if (t >= 0) return t;
      }
    }
  }
  if (len === 36 && raw.charCodeAt(s + 8) === 45) {
    const cls = parseUuid(raw, s, out);
    if (cls >= 0 && out.caseClass === CaseClass.MIXED && isTitle(raw, s, e)) out.caseClass = CaseClass.TITLE;
    return cls;
  }
  // single words (bool tokens, statuses, codes) are short; longer values rarely are one word
  if (len <= 16 && ((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) return wordShape(raw, s, e, out);
  return -1;
}

/**
 * Classifies one raw cell (METRICS §1, §2.1, §2.4): state, value class, format key, value,
 * epoch, hygiene flags and case class, written into `out` (see {@link CellInfo}).
 *
 * Values of a strict shape (numbers, ISO and separated dates, times, uuids, single words) are
 * recognised from their first characters in one pass that also yields their digits and case.
 * Any other value gets one census pass (kinds of character present, digits, title case,
 * whitespace runs, hygiene defects), which rules out most classes at once; the remaining
 * candidates are tried in METRICS order by exact hand-written recognisers. No regular
 * expression runs and nothing is allocated per cell, except the trimmed copy when there is
 * whitespace to trim.
 *
 * @example
 * const info = createCellInfo();
 * classifyCell(' 1.234,5 ', info); // CellState.PRESENT; info.valueClass === ValueClass.GROUPED_EU, info.num === 1234.5
 * @returns the cell state (also in `out.state`)
 */
export function classifyCell(raw: string, out: CellInfo): number {
  out.sentinelId = -1;
  out.dateOrder = 0;
  out.num = NaN;
  out.numAlt = NaN;
  out.epoch = NaN;
  out.epochDmy = NaN;
  out.epochMdy = NaN;
  out.tzUnspecified = false;
  const n = raw.length;
  if (n === 0) return setNotPresent(out, CellState.EMPTY, raw);
  let s = 0;
  while (s < n && isJsWhitespace(raw.charCodeAt(s))) s++;
  if (s === n) return setNotPresent(out, CellState.WHITESPACE, '');
  let e = n;
  while (isJsWhitespace(raw.charCodeAt(e - 1))) e--;
  const len = e - s;

  let hyg = 0;
  if (s > 0) hyg |= LEADING_WS | edgeFlags(raw, 0, s);
  if (e < n) hyg |= TRAILING_WS | edgeFlags(raw, e, n);

  strictHygiene = 0;
  const strict = strictShape(raw, s, e, out);
  if (strict >= 0) {
    out.length = len;
    out.isAllDigits = out.digitCount === len;
    return finishCell(out, raw, s, e, strict, hyg | strictHygiene);
  }

  takeCensus(raw, s, e);
  const kinds = census.kinds;
  const digits = census.digits;
  hyg |= census.hygiene;
  if (kinds & K_CTRL) hyg |= C0_CONTROL;
  if (kinds & K_LINE_BREAK) hyg |= LINE_BREAK;
  if (census.doubleSpace) hyg |= DOUBLE_SPACE;
  const hasUpper = (kinds & K_UPPER) !== 0 || census.otherUpper > 0;
  const hasLower = (kinds & K_LOWER) !== 0 || census.otherLower > 0;
  const caseClass = !hasUpper
    ? hasLower
      ? CaseClass.LOWER
      : CaseClass.NONE
    : !hasLower
      ? CaseClass.UPPER
      : census.titleBroken
        ? CaseClass.MIXED
        : CaseClass.TITLE;
  const codePoints = len - census.pairs;
  out.caseClass = caseClass;
  out.length = codePoints;
  out.digitCount = digits;
  out.isAllDigits = digits === len;
  const cls = classifyValue(raw, s, e, kinds, digits, caseClass, codePoints, out);
  return finishCell(out, raw, s, e, cls, hyg);
}

/** Value class of the trimmed range, trying the candidates the census leaves, in METRICS order. */
function classifyValue(
  raw: string,
  s: number,
  e: number,
  kinds: number,
  digits: number,
  caseClass: number,
  codePoints: number,
  out: CellInfo,
): number {
  const len = e - s;
  const c0 = raw.charCodeAt(s);
  let cls: number;

  if (c0 === 35) {
    const id = matchErrorToken(raw, s, e);
    if (id >= 0) {
      out.format = formatKey(ValueClass.ERROR_TOKEN, id);
      return ValueClass.ERROR_TOKEN;
    }
  }
  if (len <= 5 && (kinds & ~WORD_KINDS) === 0) {
    cls = parseBool(raw, s, e, caseClass, out);
    if (cls >= 0) return cls;
  }
  if (digits > 0) {
    if ((strictTried & T_BARE) === 0 && (kinds & ~BARE_KINDS) === 0) {
      cls = parseBareNumber(raw, s, e, out);
      if (cls >= 0) return cls;
    }
    // money needs a unit (symbol or upper-case code), `%` or accounting parentheses
    if ((kinds & ~MONEY_KINDS) === 0 && (kinds & MONEY_MARKS) !== 0) {
      cls = parseMoney(raw, s, e, out);
      if (cls >= 0) return cls;
    }
    // iso_date, iso_datetime and time: strictShape tries every value that can be one.
    // date_sep too, except after it took a value for an ISO date (`12-1-2020 1:00`).
    if ((strictTried & (T_ISO | T_DATE_SEP)) === T_ISO && digits >= 4) {
      cls = parseDateSep(raw, s, e, out);
      if (cls >= 0) return cls;
    }
    if (digits >= 5 && (kinds & LETTER_KINDS) !== 0 && (kinds & K_WS) !== 0) {
      cls = parseDateNamed(raw, s, e, out);
      if (cls >= 0) return cls;
    }
  }
  // uuid: strictShape tries every value that can be one
  if ((kinds & K_WS) === 0) {
    if (census.atCount === 1 && isEmail(raw, s, e, census.atPos)) {
      out.format = formatKey(ValueClass.EMAIL, caseClass);
      return ValueClass.EMAIL;
    }
    if ((kinds & K_COLON) !== 0 && (kinds & K_SLASH) !== 0 && isUrl(raw, s, e)) {
      out.format = formatKey(ValueClass.URL, caseClass);
      return ValueClass.URL;
    }
  }
  if (digits >= 7 && (kinds & ~PHONE_KINDS) === 0) {
    cls = parsePhone(raw, s, e, out);
    if (cls >= 0) return cls;
  }
  if (census.wsRuns >= 2 || codePoints > 64) {
    out.format = formatKey(ValueClass.FREE_TEXT, caseClass);
    return ValueClass.FREE_TEXT;
  }
  out.format = formatKey(ValueClass.OTHER_STRING, caseClass);
  return ValueClass.OTHER_STRING;
}
