import {
  ASCII_KIND,
  astralLetterKind,
  isJsWhitespace,
  K_AT,
  K_CURRENCY_SYM,
  K_LINE_BREAK,
  K_LOWER,
  K_NONASCII,
  K_OTHER_LETTER,
  K_UPPER,
  K_WS,
  K_WS_OTHER,
  letterKind,
  LK_CASELESS,
  LK_LOWER,
  LK_UPPER,
} from './char-kind.js';
import { C1_CONTROL, MOJIBAKE, NBSP, REPLACEMENT_CHAR, ZERO_WIDTH } from './hygiene.js';

/**
 * What one pass over a trimmed value learns: the kinds of character present (bits of
 * char-kind.ts), digits, letter case in Python `istitle()` terms, whitespace runs and double
 * spaces, the `@` signs, and the hygiene defects that only non-ASCII characters can have.
 * A single mutable instance is reused for every cell.
 */
export interface Census {
  kinds: number;
  digits: number;
  /** Some upper-case letter follows a cased one, or some lower-case letter an uncased one. */
  titleBroken: boolean;
  /** Cased letters outside ASCII (ASCII ones show in `kinds`). */
  otherUpper: number;
  otherLower: number;
  /** Runs of whitespace inside the value. */
  wsRuns: number;
  /** Two non-line-breaking whitespace characters touch. */
  doubleSpace: boolean;
  atCount: number;
  atPos: number;
  /** Surrogate pairs (so code points = length − pairs). */
  pairs: number;
  /** NBSP, ZERO_WIDTH, C1_CONTROL, REPLACEMENT_CHAR and MOJIBAKE flags found inside. */
  hygiene: number;
}

/** The census of the last {@link takeCensus} call. */
export const census: Census = {
  kinds: 0,
  digits: 0,
  titleBroken: false,
  otherUpper: 0,
  otherLower: 0,
  wsRuns: 0,
  doubleSpace: false,
  atCount: 0,
  atPos: -1,
  pairs: 0,
  hygiene: 0,
};

/** Continuation characters of the first mojibake pattern: U+0080–U+00BF and ‘’“”•–—€™…. */
function isMojibakeContinuation(c: number): boolean {
  if (c >= 0x80 && c <= 0xbf) return true;
  switch (c) {
    case 0x2018: case 0x2019: case 0x201c: case 0x201d: case 0x2022:
    case 0x2013: case 0x2014: case 0x20ac: case 0x2122: case 0x2026:
      return true;
    default:
      return false;
  }
}

/** Characters that may follow `â€` in the second mojibake pattern: U+0080–U+00BF and ™œ“”˜. */
function isMojibakeAfterEuro(c: number): boolean {
  return (c >= 0x80 && c <= 0xbf) || c === 0x2122 || c === 0x153 || c === 0x201c || c === 0x201d || c === 0x2dc;
}

const LETTER = K_UPPER | K_LOWER;

/**
 * Takes the census of `raw[s…e)` (a trimmed, non-empty value) into {@link census}.
 *
 * ASCII, the common case, runs in a tight loop that tracks title case only until it is broken
 * (in running text that happens within a few characters); the first non-ASCII character hands
 * the rest of the value to a general loop.
 */
export function takeCensus(raw: string, s: number, e: number): void {
  let kinds = 0;
  let digits = 0;
  let titleBroken = false;
  let prevCased = false;
  let prevWs = false;
  let prevH = false;
  let wsRuns = 0;
  let doubleSpace = false;
  let atCount = 0;
  let atPos = -1;
  let i = s;
  // ASCII while title case still holds
  for (; i < e; i++) {
    const c = raw.charCodeAt(i);
    if (c > 127) break;
    const k = ASCII_KIND[c];
    kinds |= k;
    if (k & LETTER) {
      // an upper-case letter must follow an uncased character, a lower-case one a cased one
      if (((k & K_UPPER) !== 0) === prevCased) titleBroken = true;
      prevCased = true;
      prevWs = prevH = false;
      if (titleBroken) {
        i++;
        break;
      }
      continue;
    }
    prevCased = false;
    if (k & K_WS) {
      if (!prevWs) wsRuns++;
      prevWs = true;
      if (c === 32 || c === 9) {
        if (prevH) doubleSpace = true;
        prevH = true;
      } else prevH = false;
    } else {
      prevWs = prevH = false;
      digits += k & 1;
      if (k & K_AT && atCount++ === 0) atPos = i;
    }
  }
  // ASCII once title case is settled
  if (titleBroken) {
    for (; i < e; i++) {
      const c = raw.charCodeAt(i);
      if (c > 127) break;
      const k = ASCII_KIND[c];
      kinds |= k;
      if (k & LETTER) {
        prevWs = prevH = false;
        continue;
      }
      if (k & K_WS) {
        if (!prevWs) wsRuns++;
        prevWs = true;
        if (c === 32 || c === 9) {
          if (prevH) doubleSpace = true;
          prevH = true;
        } else prevH = false;
      } else {
        prevWs = prevH = false;
        digits += k & 1;
        if (k & K_AT && atCount++ === 0) atPos = i;
      }
    }
    prevCased = true; // irrelevant from here on
  }
  let hyg = 0;
  let otherUpper = 0;
  let otherLower = 0;
  let pairs = 0;
  // anything else, once a non-ASCII character has turned up
  for (; i < e; i++) {
    const c = raw.charCodeAt(i);
    if (c < 128) {
      const k = ASCII_KIND[c];
      kinds |= k;
      if (k & LETTER) {
        if (((k & K_UPPER) !== 0) === prevCased) titleBroken = true;
        prevCased = true;
        prevWs = prevH = false;
        continue;
      }
      prevCased = false;
      if (k & K_WS) {
        if (!prevWs) wsRuns++;
        prevWs = true;
        if (c === 32 || c === 9) {
          if (prevH) doubleSpace = true;
          prevH = true;
        } else prevH = false;
      } else {
        prevWs = prevH = false;
        digits += k & 1;
        if (k & K_AT && atCount++ === 0) atPos = i;
      }
      continue;
    }
    kinds |= K_NONASCII;
    if (isJsWhitespace(c)) {
      kinds |= K_WS | K_WS_OTHER;
      prevCased = false;
      if (!prevWs) wsRuns++;
      prevWs = true;
      if (c === 0x2028 || c === 0x2029) {
        kinds |= K_LINE_BREAK;
        prevH = false;
      } else {
        if (prevH) doubleSpace = true;
        prevH = true;
        if (c === 0xfeff) hyg |= ZERO_WIDTH;
        else if (c === 0xa0 || c === 0x2007 || c === 0x202f) hyg |= NBSP;
      }
      continue;
    }
    prevWs = prevH = false;
    if (c <= 0x9f) {
      hyg |= C1_CONTROL;
      prevCased = false;
      continue;
    }
    let lk: number;
    if (c >= 0xd800 && c <= 0xdbff) {
      const lo = i + 1 < e ? raw.charCodeAt(i + 1) : 0;
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        lk = astralLetterKind(((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000);
        pairs++;
        i++;
      } else lk = 0;
    } else {
      lk = letterKind(c);
      if (c >= 0xc2 && c <= 0xdf) {
        // the continuation may sit in trailing whitespace (`Â` + NBSP), so read past e
        if (isMojibakeContinuation(raw.charCodeAt(i + 1))) hyg |= MOJIBAKE;
      } else if (c === 0xe2) {
        if (raw.charCodeAt(i + 1) === 0x20ac && isMojibakeAfterEuro(raw.charCodeAt(i + 2))) hyg |= MOJIBAKE;
      } else if (c === 0x20ac || c === 0xa3 || c === 0xa5 || c === 0x20b9) kinds |= K_CURRENCY_SYM;
      else if (c === 0xfffd) hyg |= REPLACEMENT_CHAR;
      else if (c === 0x200b || c === 0x200c || c === 0x2060) hyg |= ZERO_WIDTH;
      else if (c === 0x200d) {
        // a zero-width joiner after an emoji (surrogate pair or U+FE0F) builds an emoji sequence
        const prev = i > s ? raw.charCodeAt(i - 1) : 0;
        if (!((prev >= 0xdc00 && prev <= 0xdfff) || prev === 0xfe0f)) hyg |= ZERO_WIDTH;
      }
    }
    if (lk === LK_UPPER || lk === LK_LOWER) {
      kinds |= K_OTHER_LETTER;
      const upper = lk === LK_UPPER;
      if (upper) otherUpper++;
      else otherLower++;
      if (upper === prevCased) titleBroken = true;
      prevCased = true;
    } else {
      if (lk === LK_CASELESS) kinds |= K_OTHER_LETTER;
      prevCased = false;
    }
  }
  census.kinds = kinds;
  census.digits = digits;
  census.titleBroken = titleBroken;
  census.otherUpper = otherUpper;
  census.otherLower = otherLower;
  census.wsRuns = wsRuns;
  census.doubleSpace = doubleSpace;
  census.atCount = atCount;
  census.atPos = atPos;
  census.pairs = pairs;
  census.hygiene = hyg;
}
