import { xxh64Hex, xxh64HexOf } from './xxh64.js';

/** Values longer than this many UTF-16 code units are stored under a short key. */
export const LONG_VALUE_LENGTH = 128;

/** How many leading code units of a long value its key keeps, so a person can recognise it. */
export const LONG_VALUE_PREFIX_LENGTH = 64;

/**
 * The key under which a sketch stores a value: the value itself, or for values longer than
 * 128 code units, `xxh64hex + ':' + first 64 code units`. This bounds what a dictionary of
 * values costs (free-text columns would otherwise keep whole paragraphs) while two long values
 * still collide only if their 64-bit hashes do.
 *
 * @example
 * valueKey('Paris'); // 'Paris'
 * valueKey('x'.repeat(200)); // '<16 hex digits>:xxxxxxxx… (64 x)'
 */
export function valueKey(value: string): string {
  return value.length > LONG_VALUE_LENGTH
    ? detachString(`${xxh64Hex(value)}:${value.slice(0, LONG_VALUE_PREFIX_LENGTH)}`)
    : value;
}

/**
 * {@link valueKey} of `value` given its xxh64 halves (as `xxh64Into` writes them), so a caller
 * that has already hashed the value does not hash it again.
 */
export function valueKeyFromHash(value: string, hi: number, lo: number): string {
  return value.length > LONG_VALUE_LENGTH
    ? detachString(`${xxh64HexOf(hi, lo)}:${value.slice(0, LONG_VALUE_PREFIX_LENGTH)}`)
    : value;
}

/** Strings shorter than this are always flat copies in V8 (its minimum sliced or cons length). */
const SHARED_STORAGE_MIN_LENGTH = 13;

/**
 * A copy of `value` that shares no storage with another string.
 *
 * A substring of a parsed chunk is a view into the whole chunk in V8 (a "sliced string"), so a
 * sketch that kept such a value as a key would keep the entire chunk in memory. Sketches call
 * this only when they store a new key, never per lookup.
 */
export function detachString(value: string): string {
  // V8 copies substrings and concatenations this short instead of making views, so they own
  // their storage already; skipping them spares an allocation per new short key.
  if (value.length < SHARED_STORAGE_MIN_LENGTH) return value;
  // Concatenation then slice forces V8 to flatten into a new string of length + 1.
  return ` ${value}`.slice(1);
}
