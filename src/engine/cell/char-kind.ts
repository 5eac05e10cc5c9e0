/**
 * Character tables shared by the cell classifier and the shape masks. Everything here works on
 * UTF-16 code units and allocates nothing after the first look-up of a code unit.
 */

/** Character kind bits, OR-ed over a value by the classifier's census pass. */
export const K_DIGIT = 1 << 0;
/** ASCII upper-case letter. */
export const K_UPPER = 1 << 1;
/** ASCII lower-case letter. */
export const K_LOWER = 1 << 2;
/** Any character of JS `\s` (ASCII or not). */
export const K_WS = 1 << 3;
export const K_PLUS = 1 << 4;
export const K_MINUS = 1 << 5;
export const K_DOT = 1 << 6;
export const K_COMMA = 1 << 7;
export const K_SLASH = 1 << 8;
export const K_COLON = 1 << 9;
export const K_AT = 1 << 10;
export const K_HASH = 1 << 11;
export const K_LPAREN = 1 << 12;
export const K_RPAREN = 1 << 13;
export const K_PERCENT = 1 << 14;
export const K_DOLLAR = 1 << 15;
export const K_APOS = 1 << 16;
/** ASCII punctuation or symbol without a bit of its own. */
export const K_PUNCT = 1 << 17;
/** C0 control other than TAB, LF and CR (VT and FF included), or DEL. */
export const K_CTRL = 1 << 18;
/** Any code unit ≥ 0x80. */
export const K_NONASCII = 1 << 19;
/** € £ ¥ ₹ (the `$` has its own bit). */
export const K_CURRENCY_SYM = 1 << 20;
/** A letter outside ASCII (any case, incl. astral letters). */
export const K_OTHER_LETTER = 1 << 21;
/** Whitespace other than U+0020. */
export const K_WS_OTHER = 1 << 22;
/** LF, CR, U+2028, U+2029. */
export const K_LINE_BREAK = 1 << 23;
/** `e` or `E` (an exponent is the only letter a unit-less number may contain). */
export const K_EXP = 1 << 24;
/** An ASCII letter other than `e`/`E`. */
export const K_NOT_EXP = 1 << 25;

/** Kind bits of the 128 ASCII code units. */
export const ASCII_KIND: Uint32Array = buildAsciiKinds();

function buildAsciiKinds(): Uint32Array {
  const t = new Uint32Array(128);
  for (let c = 0; c < 128; c++) {
    let k = 0;
    if (c >= 48 && c <= 57) k = K_DIGIT;
    else if (c >= 65 && c <= 90) k = K_UPPER | (c === 69 ? K_EXP : K_NOT_EXP);
    else if (c >= 97 && c <= 122) k = K_LOWER | (c === 101 ? K_EXP : K_NOT_EXP);
    else if (c === 32) k = K_WS;
    else if (c === 10 || c === 13) k = K_WS | K_WS_OTHER | K_LINE_BREAK;
    else if (c === 9) k = K_WS | K_WS_OTHER;
    else if (c === 11 || c === 12) k = K_WS | K_WS_OTHER | K_CTRL;
    else if (c < 32 || c === 127) k = K_CTRL;
    else {
      switch (c) {
        case 43: k = K_PLUS; break;
        case 45: k = K_MINUS; break;
        case 46: k = K_DOT; break;
        case 44: k = K_COMMA; break;
        case 47: k = K_SLASH; break;
        case 58: k = K_COLON; break;
        case 64: k = K_AT; break;
        case 35: k = K_HASH; break;
        case 40: k = K_LPAREN; break;
        case 41: k = K_RPAREN; break;
        case 37: k = K_PERCENT; break;
        case 36: k = K_DOLLAR; break;
        case 39: k = K_APOS; break;
        default: k = K_PUNCT;
      }
    }
    t[c] = k;
  }
  return t;
}

/**
 * True when the code unit belongs to JS regex `\s` (= what `String.prototype.trim` removes):
 * TAB, LF, VT, FF, CR, SPACE, U+00A0, U+1680, U+2000–U+200A (incl. U+2007 figure space),
 * U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
 */
export function isJsWhitespace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Letter categories of a BMP code unit, see {@link letterKind}. */
export const LK_NONE = 1;
export const LK_UPPER = 2;
export const LK_LOWER = 3;
export const LK_CASELESS = 4;
export const LK_DIGIT = 5;

// Filled on first use of each code unit: Unicode property regexes are far too slow per
// character, but a one-off test per distinct code unit costs nothing over a large file.
const LETTER_KIND = new Uint8Array(65536);
const RE_UPPER = /^[\p{Lu}\p{Lt}]$/u;
const RE_LOWER = /^\p{Ll}$/u;
const RE_LETTER = /^\p{L}$/u;
const RE_DIGIT = /^\p{Nd}$/u;

/**
 * Letter kind of a BMP code unit: LK_UPPER (Lu, Lt), LK_LOWER (Ll), LK_CASELESS (other
 * letters), LK_DIGIT (Nd) or LK_NONE. Surrogates are LK_NONE; use {@link astralLetterKind}.
 */
export function letterKind(c: number): number {
  let k = LETTER_KIND[c];
  if (k === 0) {
    if (c >= 0xd800 && c <= 0xdfff) k = LK_NONE;
    else {
      const ch = String.fromCharCode(c);
      if (RE_UPPER.test(ch)) k = LK_UPPER;
      else if (RE_LOWER.test(ch)) k = LK_LOWER;
      else if (RE_LETTER.test(ch)) k = LK_CASELESS;
      else if (RE_DIGIT.test(ch)) k = LK_DIGIT;
      else k = LK_NONE;
    }
    LETTER_KIND[c] = k;
  }
  return k;
}

/** Letter kind of an astral code point (rare: no cache). */
export function astralLetterKind(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (RE_UPPER.test(ch)) return LK_UPPER;
  if (RE_LOWER.test(ch)) return LK_LOWER;
  if (RE_LETTER.test(ch)) return LK_CASELESS;
  if (RE_DIGIT.test(ch)) return LK_DIGIT;
  return LK_NONE;
}

/**
 * Folds a code unit the way a JS regex with flags `iu` compares it with ASCII letters: A–Z to
 * a–z, and the two non-ASCII characters whose simple case folding is ASCII, U+017F (ſ) → s
 * and U+212A (Kelvin sign) → k. Every other code unit is returned as is.
 */
export function foldAscii(c: number): number {
  if (c >= 65 && c <= 90) return c | 32;
  if (c === 0x17f) return 115;
  if (c === 0x212a) return 107;
  return c;
}

/**
 * True when `raw[i…i+word.length)` equals `word` (lower-case ASCII) under {@link foldAscii}.
 * The caller guarantees that the range lies inside the string.
 */
export function matchesFolded(raw: string, i: number, word: string): boolean {
  for (let j = 0; j < word.length; j++) {
    if (foldAscii(raw.charCodeAt(i + j)) !== word.charCodeAt(j)) return false;
  }
  return true;
}
