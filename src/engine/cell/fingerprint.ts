/**
 * Spelling-variant keys after OpenRefine's key-collision clustering (METRICS §2.3): values whose
 * keys are equal are spellings of one thing (`Café`, `cafe`, `CAFE.`). They run at finalize over
 * bounded dictionaries, so they favour clarity over speed.
 */

// Letters that NFKD does not decompose into a base letter plus marks.
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'oe',
  œ: 'oe',
  þ: 'th',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ħ: 'h',
  ı: 'i',
  ŀ: 'l',
  ŧ: 't',
  ŋ: 'n',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'gu');

// Combining marks, modifier letters and modifier symbols (what is left of diacritics after NFKD).
const DIACRITICS_RE = /[\p{M}\p{Lm}\p{Sk}]/gu;
// Punctuation (Unicode P, plus the ASCII symbols Java's \p{Punct} also covers) and control
// characters other than whitespace (a tab or line break still separates words).
const PUNCT_CTRL_RE = /[\p{P}$+<=>^`|~]|[^\P{Cc}\s]/gu;
const WS_RE = /\s+/u;

/** Shared normalisation: trim, lower-case, strip diacritics, map special letters, drop punctuation and controls. */
function normalizeForKey(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .normalize('NFKD')
    .replace(DIACRITICS_RE, '')
    .replace(SPECIAL_RE, (ch) => SPECIAL_LETTERS[ch] ?? ch)
    .replace(PUNCT_CTRL_RE, '');
}

/**
 * Fingerprint key: normalise (trim, lower case, NFKD without diacritics/modifiers, ß→ss, æ→ae,
 * ø→oe, œ→oe, þ→th, đ→d, ł→l …, no punctuation or control characters), split on whitespace,
 * sort, drop duplicates, join with one space.
 *
 * @example
 * fingerprintKey('  Café, de Paris ');  // 'cafe de paris'
 * fingerprintKey('Paris de café');      // 'cafe de paris'
 */
export function fingerprintKey(value: string): string {
  const tokens = normalizeForKey(value).split(WS_RE).filter((t) => t !== '');
  return [...new Set(tokens)].sort().join(' ');
}

/**
 * N-gram fingerprint key: the same normalisation, all whitespace removed, then the sorted
 * distinct character n-grams (code points) concatenated. A value shorter than n keeps its
 * normalised text as key (OpenRefine would give every such value the empty key).
 *
 * @example
 * ngramFingerprintKey('Krzysztof');  // 'krofrzsztoysztzy' (kr, of, rz, sz, to, ys, zt, zy)
 * ngramFingerprintKey('Krzystof');   // 'krofrzstoystzy': close, but a different key
 */
export function ngramFingerprintKey(value: string, n = 2): string {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`ngramFingerprintKey: n must be a positive integer, got ${n}`);
  }
  const chars = [...normalizeForKey(value).replace(/\s+/gu, '')];
  if (chars.length < n) return chars.join('');
  const grams = new Set<string>();
  for (let i = 0; i + n <= chars.length; i++) grams.add(chars.slice(i, i + n).join(''));
  return [...grams].sort().join('');
}
