import { describe, expect, it } from 'vitest';
import { chooseNewline, countLineEndings, detectNewline, normaliseHeader, sniffDelimiter } from './dialect.js';

describe('detectNewline', () => {
  const detect = (text: string, atEof = true) => detectNewline(Buffer.from(text), atEof);

  it('returns the first terminator and where the header ends', () => {
    expect(detect('a,b\n1,2\r\n')).toEqual({ newline: '\n', headerEnd: 4 });
    expect(detect('a,b\r\n1,2\n')).toEqual({ newline: '\r\n', headerEnd: 5 });
    expect(detect('a,b\r1,2\n')).toEqual({ newline: '\r', headerEnd: 4 });
  });

  it('skips newlines inside quoted names', () => {
    expect(detect('"a\nb";"c\r\nd"\r\n1;2')).toEqual({ newline: '\r\n', headerEnd: 14 });
    expect(detect('"x ""\n"" y"|z\r1|2')).toEqual({ newline: '\r', headerEnd: 14 });
  });

  it('treats a quote inside an unquoted name as data', () => {
    expect(detect('size",b\n1,2\n')).toEqual({ newline: '\n', headerEnd: 8 });
  });

  it('waits for more input when the answer depends on it', () => {
    expect(detect('a,b', false)).toBeNull();
    expect(detect('a,b\r', false)).toBeNull();
    expect(detect('"a\n', false)).toBeNull();
  });

  it('defaults to LF for a single record without terminator', () => {
    expect(detect('a,b')).toEqual({ newline: '\n', headerEnd: 3 });
    expect(detect('a,b\r')).toEqual({ newline: '\r', headerEnd: 4 });
  });
});

describe('countLineEndings and chooseNewline', () => {
  it('counts terminators outside quotes by kind', () => {
    const counts = countLineEndings(Buffer.from('a,b\r\n"x\ny",1\n2,"z\r\n"\r3,4\r\n5,6\r'));
    expect(counts).toEqual({ crlf: 2, lf: 1, cr: 1 });
  });

  it("keeps the header's newline unless CRLF sits over LF records", () => {
    expect(chooseNewline('\r\n', { crlf: 1, lf: 40, cr: 0 })).toBe('\n');
    expect(chooseNewline('\r\n', { crlf: 30, lf: 4, cr: 0 })).toBe('\r\n');
    expect(chooseNewline('\n', { crlf: 40, lf: 1, cr: 0 })).toBe('\n');
    expect(chooseNewline('\r', { crlf: 0, lf: 40, cr: 1 })).toBe('\r');
  });
});

describe('sniffDelimiter', () => {
  it('prefers the delimiter with the most consistent field count', () => {
    expect(sniffDelimiter('a;b;c\n1,5;2,5;3\n4;5;6\n', '\n', true)).toBe(';');
    expect(sniffDelimiter('a,b,c\n"x;y",2,3\n4,5,6\n', '\n', true)).toBe(',');
    expect(sniffDelimiter('a\tb\n1\t2\n', '\n', true)).toBe('\t');
    expect(sniffDelimiter('a|b|c\n1|2|3\n', '\n', true)).toBe('|');
  });

  it('ignores delimiters inside quoted fields', () => {
    expect(sniffDelimiter('name|note\n"a,b,c"|x\n"d,e,f"|y\n', '\n', true)).toBe('|');
  });

  it('breaks ties on consistency by field count, then in favour of the comma', () => {
    // Both split every record consistently; the tab finds the real columns.
    expect(sniffDelimiter('a\tb, c\td\n1\t2, 3\t4\n', '\n', true)).toBe('\t');
    // Same consistency and field count: comma.
    expect(sniffDelimiter('a,b;c\n1,2;3\n', '\n', true)).toBe(',');
  });

  it('falls back to the comma for a single column', () => {
    expect(sniffDelimiter('name\nalice\nbob\n', '\n', true)).toBe(',');
  });

  it('ignores the cut-off last record of an incomplete sample and blank lines', () => {
    expect(sniffDelimiter('a;b\n1;2\n\n3;4\n5', '\n', false)).toBe(';');
  });
});

describe('normaliseHeader', () => {
  it('leaves a clean header alone', () => {
    expect(normaliseHeader(['id', 'Name', 'name'])).toEqual({
      header: ['id', 'Name', 'name'],
      issues: { duplicateNames: [], emptyNames: 0, renamed: [] },
    });
  });

  it('drops a leading U+FEFF and reports it as a rename', () => {
    const { header, issues } = normaliseHeader(['\uFEFFid', 'x']);
    expect(header).toEqual(['id', 'x']);
    expect(issues.renamed).toEqual([{ index: 0, from: '\uFEFFid', to: 'id' }]);
  });

  it('names empty and blank columns by position', () => {
    const { header, issues } = normaliseHeader(['', 'a', '  ']);
    expect(header).toEqual(['column_1', 'a', 'column_3']);
    expect(issues.emptyNames).toBe(2);
  });

  it('never creates a name that is already in the header', () => {
    const { header, issues } = normaliseHeader(['a', 'a', 'a_2', '', 'column_4']);
    expect(header).toEqual(['a', 'a_3', 'a_2', 'column_4_2', 'column_4']);
    expect(new Set(header).size).toBe(header.length);
    expect(issues.duplicateNames).toEqual(['a']);
  });
});
