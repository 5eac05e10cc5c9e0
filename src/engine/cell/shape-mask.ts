import { xxh64Into } from '../sketch/xxh64.js';
import { astralLetterKind, isJsWhitespace, letterKind, LK_CASELESS, LK_DIGIT, LK_LOWER, LK_UPPER } from './char-kind.js';

/** Code points an L2 mask keeps before it is cut and ends with `…`. */
export const SHAPE_MASK_MAX_LENGTH = 24;

const CH_UPPER = 65; // 'A'
const CH_LOWER = 97; // 'a'
const CH_DIGIT = 57; // '9'
const CH_LETTER = 76; // 'L'
const CH_SPACE = 95; // '_'
const CH_ELLIPSIS = 0x2026;

/** Mask character of each ASCII code unit. */
const ASCII_MASK = (() => {
  const t = new Uint16Array(128);
  for (let c = 0; c < 128; c++) {
    if (c >= 48 && c <= 57) t[c] = CH_DIGIT;
    else if (c >= 65 && c <= 90) t[c] = CH_UPPER;
    else if (c >= 97 && c <= 122) t[c] = CH_LOWER;
    else if (c === 32 || (c >= 9 && c <= 13)) t[c] = CH_SPACE;
    else t[c] = c;
  }
  return t;
})();

// One buffer and one view per length, so building a mask allocates only the result string.
const BUFFER = new Uint16Array(2 * SHAPE_MASK_MAX_LENGTH + 1);
const VIEWS: number[][] = Array.from(
  { length: BUFFER.length + 1 },
  (_, n) => BUFFER.subarray(0, n) as unknown as number[],
);

// Masks repeat a lot (a column has few shapes), so recent ones are kept in a small
// direct-mapped cache: a hit returns the same string object and allocates nothing.
const CACHE_SLOTS = 4096;
const CACHE: Array<string | undefined> = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);

/** xxh64 halves of the cached masks, valid where CACHE_HASHED is 1 (see `shapeMaskL2Hashed`). */
const CACHE_HASHES = new Int32Array(2 * CACHE_SLOTS);
const CACHE_HASHED = new Uint8Array(CACHE_SLOTS);
/** Cache slot of the mask `fromBuffer` returned last. */
let lastSlot = 0;

function fromBuffer(n: number, hash: number): string {
  const slot = (lastSlot = (hash ^ (hash >>> 13)) & (CACHE_SLOTS - 1));
  const cached = CACHE[slot];
  if (cached !== undefined && cached.length === n) {
    let k = 0;
    while (k < n && cached.charCodeAt(k) === BUFFER[k]) k++;
    if (k === n) return cached;
  }
  const mask = String.fromCharCode.apply(null, VIEWS[n]);
  CACHE[slot] = mask;
  CACHE_HASHED[slot] = 0;
  return mask;
}

/**
 * {@link shapeMaskL2}, also writing the mask's xxh64 halves to `out` (as `xxh64Into` does). A
 * column has few shapes, so the hash comes from the mask cache almost always.
 */
export function shapeMaskL2Hashed(value: string, out: Int32Array): string {
  const mask = shapeMaskL2(value);
  const slot = lastSlot;
  if (CACHE_HASHED[slot] === 1 && CACHE[slot] === mask) {
    out[0] = CACHE_HASHES[2 * slot];
    out[1] = CACHE_HASHES[2 * slot + 1];
  } else {
    xxh64Into(mask, out);
    if (CACHE[slot] === mask) {
      CACHE_HASHES[2 * slot] = out[0];
      CACHE_HASHES[2 * slot + 1] = out[1];
      CACHE_HASHED[slot] = 1;
    }
  }
  return mask;
}

/**
 * Level-2 shape mask (METRICS §2.2): `A` upper-case letter, `a` lower-case letter, `L` letter
 * without case, `9` digit, `_` whitespace, anything else kept as is; lengths are kept, and
 * masks longer than 24 code points are cut there and end with `…`.
 *
 * @example
 * shapeMaskL2('INV-00123'); // 'AAA-99999'
 * shapeMaskL2('Zoë 7');     // 'Aaa_9'
 */
export function shapeMaskL2(value: string): string {
  let n = 0;
  let points = 0;
  let hash = 0;
  const len = value.length;
  for (let i = 0; i < len; i++) {
    if (points === SHAPE_MASK_MAX_LENGTH) {
      BUFFER[n++] = CH_ELLIPSIS;
      break;
    }
    points++;
    const c = value.charCodeAt(i);
    if (c < 128) {
      const m = ASCII_MASK[c];
      BUFFER[n++] = m;
      hash = (Math.imul(hash, 31) + m) | 0;
      continue;
    }
    if (isJsWhitespace(c)) {
      BUFFER[n++] = CH_SPACE;
      continue;
    }
    let kind: number;
    let pair = false;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const lo = value.charCodeAt(i + 1);
      pair = lo >= 0xdc00 && lo <= 0xdfff;
      kind = pair ? astralLetterKind(((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000) : 0;
    } else kind = letterKind(c);
    if (kind === LK_UPPER) BUFFER[n++] = CH_UPPER;
    else if (kind === LK_LOWER) BUFFER[n++] = CH_LOWER;
    else if (kind === LK_CASELESS) BUFFER[n++] = CH_LETTER;
    else if (kind === LK_DIGIT) BUFFER[n++] = CH_DIGIT;
    else {
      BUFFER[n++] = c;
      if (pair) BUFFER[n++] = value.charCodeAt(i + 1);
    }
    hash = (Math.imul(hash, 31) + BUFFER[n - 1]) | 0;
    if (pair) i++;
  }
  return fromBuffer(n, hash);
}

/**
 * Level-1 shape mask: the L2 mask with every run of one character (code point) collapsed to one.
 *
 * @example
 * shapeMaskL1(shapeMaskL2('INV-00123')); // 'A-9'
 */
export function shapeMaskL1(l2: string): string {
  const len = l2.length;
  if (len >= BUFFER.length) return collapseLong(l2);
  let n = 0;
  let prev = -1;
  let hash = 7;
  for (let i = 0; i < len; i++) {
    const c = l2.charCodeAt(i);
    // a literal astral character (two code units) is one character of the mask
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < len;
    const cp = pair ? c * 0x10000 + l2.charCodeAt(i + 1) : c;
    if (cp === prev) {
      if (pair) i++;
      continue;
    }
    prev = cp;
    BUFFER[n++] = c;
    hash = (Math.imul(hash, 31) + c) | 0;
    if (pair) {
      const lo = l2.charCodeAt(++i);
      BUFFER[n++] = lo;
      hash = (Math.imul(hash, 31) + lo) | 0;
    }
  }
  return fromBuffer(n, hash);
}

/** Run-collapse by code point for inputs longer than the shared buffer (not an L2 mask). */
function collapseLong(s: string): string {
  let out = '';
  let prev = '';
  for (const ch of s) {
    if (ch !== prev) out += ch;
    prev = ch;
  }
  return out;
}
