/**
 * Hygiene flags of a cell (METRICS §2.4), OR-ed into `CellInfo.hygiene`. They are computed for
 * PRESENT and SENTINEL cells (0 for EMPTY and WHITESPACE); a column counts them over PRESENT
 * cells only.
 */

/** The raw value starts with JS `\s` (incl. NBSP, U+FEFF). */
export const LEADING_WS = 1 << 0;
/** The raw value ends with JS `\s`. */
export const TRAILING_WS = 1 << 1;
/** U+00A0, U+2007 or U+202F anywhere in the raw value. */
export const NBSP = 1 << 2;
/** Two consecutive non-line-breaking whitespace characters inside the trimmed value. */
export const DOUBLE_SPACE = 1 << 3;
/** U+FFFD, the mark a decoder leaves for bytes it could not decode. */
export const REPLACEMENT_CHAR = 1 << 4;
/** C0 control (U+0000–U+001F) other than TAB, LF and CR, or DEL (U+007F). */
export const C0_CONTROL = 1 << 5;
/** C1 control U+0080–U+009F. */
export const C1_CONTROL = 1 << 6;
/**
 * Zero-width character: U+200B, U+200C, U+2060, U+FEFF, or U+200D outside an emoji sequence
 * (after a surrogate pair or U+FE0F it joins emoji and is legitimate).
 */
export const ZERO_WIDTH = 1 << 7;
/**
 * UTF-8 read as Latin-1/windows-1252 (after ftfy's UTF8_DETECTOR_RE): a lead character in
 * U+00C2–U+00DF followed by U+0080–U+00BF or one of ‘’“”•–—€™…, or `â€` followed by
 * U+0080–U+00BF or one of ™œ“”˜.
 */
export const MOJIBAKE = 1 << 8;
/**
 * LF or CR inside the value. METRICS §2.4 counts every C0 control but TAB as a defect; line
 * breaks get their own bit so that a column of multi-line notes can tell them apart.
 */
export const LINE_BREAK = 1 << 9;

/** Every flag that METRICS §2.4 counts as a hygiene defect (C0 controls include line breaks there). */
export const HYGIENE_DEFECTS =
  LEADING_WS |
  TRAILING_WS |
  NBSP |
  DOUBLE_SPACE |
  REPLACEMENT_CHAR |
  C0_CONTROL |
  C1_CONTROL |
  ZERO_WIDTH |
  MOJIBAKE |
  LINE_BREAK;

/** Names of the flags, by bit position, for reports. */
export const HYGIENE_FLAG_NAMES: readonly string[] = Object.freeze([
  'leading_ws',
  'trailing_ws',
  'nbsp',
  'double_space',
  'replacement_char',
  'c0_control',
  'c1_control',
  'zero_width',
  'mojibake',
  'line_break',
]);

/**
 * Case class of the letters of a trimmed value, with Python's `str.istitle()` rule for Title:
 * an upper-case letter only after an uncased character, a lower-case one only after a cased one.
 * Letters without case (CJK, Arabic, …) and digits are uncased.
 *
 * - NONE: no cased letter. UPPER: cased letters, none lower-case. LOWER: none upper-case.
 * - TITLE: both, in title form (`Active`, `O'Brien`, `New York`). MIXED: anything else
 *   (`iPhone`, `Hello world`).
 */
export const CaseClass = Object.freeze({
  NONE: 0,
  UPPER: 1,
  LOWER: 2,
  TITLE: 3,
  MIXED: 4,
} as const);

const CASE_NAMES: readonly string[] = Object.freeze(['none', 'UPPER', 'lower', 'Title', 'mixed']);

/** Display name of a {@link CaseClass} id: `none`, `UPPER`, `lower`, `Title`, `mixed`. */
export function caseClassName(id: number): string {
  const name = CASE_NAMES[id];
  if (name === undefined) throw new RangeError(`caseClassName: unknown case class id ${id} (expected 0…4)`);
  return name;
}
