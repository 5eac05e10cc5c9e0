import { foldAscii, matchesFolded } from './char-kind.js';

/**
 * States of a cell (METRICS §1), evaluated in this order after MISSING_FIELD, which the row
 * reader decides (the row is shorter than the header) before a cell ever reaches the classifier.
 *
 * - EMPTY: zero-length string.
 * - WHITESPACE: only JS `\s` characters (this includes U+00A0, U+2007, U+202F and U+FEFF).
 * - SENTINEL: the trimmed value is one of {@link SENTINEL_TOKENS}, compared case-insensitively.
 * - PRESENT: anything else.
 */
export const CellState = Object.freeze({
  PRESENT: 0,
  EMPTY: 1,
  WHITESPACE: 2,
  SENTINEL: 3,
} as const);

/** One of the ids of {@link CellState}. */
export type CellStateId = (typeof CellState)[keyof typeof CellState];

/**
 * Tokens that make a cell a SENTINEL (missing value), in canonical lower case: pandas'
 * default `STR_NA_VALUES` without `""` (EMPTY covers it), deduplicated case-insensitively,
 * then the product's extensions. A cell's `sentinelId` indexes this list.
 *
 * The list only nominates candidates: a column may decide at finalize that a token is an
 * ordinary value (`NA` for Namibia, `None` as a damage category).
 */
export const SENTINEL_TOKENS: readonly string[] = Object.freeze([
  // pandas STR_NA_VALUES
  '-1.#ind',
  '1.#qnan',
  '1.#ind',
  '-1.#qnan',
  '#n/a n/a',
  '#n/a',
  'n/a',
  'na',
  '<na>',
  '#na',
  'null',
  'nan',
  '-nan',
  'none',
  // product extensions
  '-',
  '--',
  '?',
  'n.a.',
  'nil',
  '(null)',
  '(blank)',
  'undefined',
  'missing',
]);

/** Longest sentinel token, in UTF-16 code units. */
export const SENTINEL_MAX_LENGTH = SENTINEL_TOKENS.reduce((m, t) => Math.max(m, t.length), 0);

// Token ids bucketed by length, so a lookup compares against two or three candidates at most.
const BY_LENGTH: number[][] = (() => {
  const buckets: number[][] = [];
  for (let len = 0; len <= SENTINEL_MAX_LENGTH; len++) buckets.push([]);
  SENTINEL_TOKENS.forEach((t, id) => buckets[t.length].push(id));
  return buckets;
})();

// First characters of the tokens (ASCII, folded): most values are ruled out by one look-up.
const FIRST_CHARS = (() => {
  const t = new Uint8Array(128);
  for (const token of SENTINEL_TOKENS) {
    const c = token.charCodeAt(0);
    t[c] = 1;
    if (c >= 97 && c <= 122) t[c - 32] = 1;
  }
  return t;
})();

/**
 * Id of the sentinel token equal to `raw[start…end)` (case-insensitive, as JS regex `iu`), or -1.
 *
 * @example
 * matchSentinel(' N/A ', 1, 4); // SENTINEL_TOKENS.indexOf('n/a')
 */
export function matchSentinel(raw: string, start: number, end: number): number {
  const len = end - start;
  if (len > SENTINEL_MAX_LENGTH || len === 0) return -1;
  // no token starts with a letter that folds from a non-ASCII character (s, k)
  const c0 = raw.charCodeAt(start);
  if (c0 > 127 || FIRST_CHARS[c0] === 0) return -1;
  const ids = BY_LENGTH[len];
  const last = foldAscii(raw.charCodeAt(end - 1));
  const first = foldAscii(c0);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (TOKEN_FIRST[id] === first && TOKEN_LAST[id] === last && matchesFolded(raw, start, SENTINEL_TOKENS[id])) return id;
  }
  return -1;
}

const TOKEN_FIRST = SENTINEL_TOKENS.map((t) => t.charCodeAt(0));
const TOKEN_LAST = SENTINEL_TOKENS.map((t) => t.charCodeAt(t.length - 1));

/**
 * Spreadsheet error values (upper case as Excel writes them). Such a cell is PRESENT with class
 * ERROR_TOKEN: it is an invalid value, not a missing one. `#N/A` is not in this list: it is a
 * sentinel (pandas treats it as missing).
 */
export const ERROR_TOKENS: readonly string[] = Object.freeze([
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#GETTING_DATA',
  '#SPILL!',
  '#CALC!',
]);

const ERROR_TOKENS_LOWER = ERROR_TOKENS.map((t) => t.toLowerCase());

/** Id (index in {@link ERROR_TOKENS}) of the error token equal to `raw[start…end)`, case-insensitively, or -1. */
export function matchErrorToken(raw: string, start: number, end: number): number {
  const len = end - start;
  for (let i = 0; i < ERROR_TOKENS_LOWER.length; i++) {
    const t = ERROR_TOKENS_LOWER[i];
    if (t.length === len && matchesFolded(raw, start, t)) return i;
  }
  return -1;
}
