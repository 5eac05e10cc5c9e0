import { describe, expect, it } from 'vitest';
import { classifyCell, createCellInfo } from './classify.js';
import {
  C0_CONTROL,
  C1_CONTROL,
  CaseClass,
  caseClassName,
  DOUBLE_SPACE,
  HYGIENE_DEFECTS,
  HYGIENE_FLAG_NAMES,
  LEADING_WS,
  LINE_BREAK,
  MOJIBAKE,
  NBSP,
  REPLACEMENT_CHAR,
  TRAILING_WS,
  ZERO_WIDTH,
} from './hygiene.js';

const info = createCellInfo();
const flagsOf = (raw: string): number => {
  classifyCell(raw, info);
  return info.hygiene;
};

describe('hygiene flags (METRICS §2.4)', () => {
  it.each([
    ['clean value', 0],
    [' x', LEADING_WS],
    ['x ', TRAILING_WS],
    ['\u00a0x', LEADING_WS | NBSP],
    ['x\u202f', TRAILING_WS | NBSP],
    ['a\u00a0b', NBSP],
    ['a\u2007b', NBSP],
    ['a  b', DOUBLE_SPACE],
    ['a \tb', DOUBLE_SPACE],
    ['a\u00a0 b', NBSP | DOUBLE_SPACE],
    ['a\n\nb', LINE_BREAK],
    ['a\r\nb', LINE_BREAK],
    ['a\u2028b', LINE_BREAK],
    ['x\n', TRAILING_WS | LINE_BREAK],
    ['a\tb', 0],
    ['a\ufffdb', REPLACEMENT_CHAR],
    ['a\u0001b', C0_CONTROL],
    ['a\u000bb', C0_CONTROL],
    ['a\u007fb', C0_CONTROL],
    ['a\u0085b', C1_CONTROL],
    ['a\u009fb', C1_CONTROL],
    ['a\u200bb', ZERO_WIDTH],
    ['a\u2060b', ZERO_WIDTH],
    ['a\u200db', ZERO_WIDTH],
    ['👨\u200d👩\u200d👧', 0],
    ['❤\ufe0f\u200d🔥', 0],
    ['\ufeffid', LEADING_WS | ZERO_WIDTH],
    ['cafÃ©', MOJIBAKE],
    ['Ã¼ber', MOJIBAKE],
    ['donâ€™t', MOJIBAKE],
    ['â€œhiâ€\u009d', MOJIBAKE | C1_CONTROL],
    ['Â\u00a0', MOJIBAKE | TRAILING_WS | NBSP],
    ['Ã…', MOJIBAKE],
    ['naïve café Ä Ã x', 0],
    ['Straße', 0],
  ])('%j', (raw, flags) => {
    expect(flagsOf(raw)).toBe(flags);
  });

  it('leaves EMPTY and WHITESPACE cells without flags', () => {
    expect(flagsOf('')).toBe(0);
    expect(flagsOf('  \u00a0 ')).toBe(0);
  });

  it('flags sentinel cells too, for the column to use or ignore', () => {
    expect(flagsOf(' N/A')).toBe(LEADING_WS);
  });

  it('names every flag bit and counts all of them as defects', () => {
    expect(HYGIENE_FLAG_NAMES).toHaveLength(10);
    expect(HYGIENE_DEFECTS).toBe((1 << 10) - 1);
  });
});

describe('case class', () => {
  it.each([
    ['ACTIVE', CaseClass.UPPER],
    ['active', CaseClass.LOWER],
    ['Active', CaseClass.TITLE],
    ['On Hold', CaseClass.TITLE],
    ["O'Brien", CaseClass.TITLE],
    ['Van der Berg', CaseClass.MIXED],
    ['iPhone', CaseClass.MIXED],
    ['Hello world', CaseClass.MIXED],
    ['A', CaseClass.UPPER],
    ['US-CA', CaseClass.UPPER],
    ['us-ca', CaseClass.LOWER],
    ['Us-Ca', CaseClass.TITLE],
    ['ÉCOLE', CaseClass.UPPER],
    ['Łódź', CaseClass.TITLE],
    ['1st', CaseClass.LOWER],
    ['42', CaseClass.NONE],
    ['東京', CaseClass.NONE],
    ['東京Tower', CaseClass.TITLE],
  ])('%j', (raw, cc) => {
    classifyCell(raw, info);
    expect(caseClassName(info.caseClass)).toBe(caseClassName(cc));
  });
});
