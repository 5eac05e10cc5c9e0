import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { CsvDialect } from './dialect.js';
import { parseBlock, parseBlockRows } from './parse-block.js';
import { REAL_FIXTURES } from '../../test/support/real-fixtures.js';

function dialect(delimiter: CsvDialect['delimiter'], newline: CsvDialect['newline']): CsvDialect {
  return {
    encoding: 'utf-8',
    bom: false,
    delimiter,
    newline,
    quoteChar: '"',
    header: [],
    rawHeader: [],
    headerIssues: { duplicateNames: [], emptyNames: 0, renamed: [] },
  };
}

function collectRows(bytes: Uint8Array, d: CsvDialect) {
  const rows: string[][] = [];
  const indexes: number[] = [];
  const summary = parseBlockRows(bytes, d, (row, index) => {
    rows.push(row);
    indexes.push(index);
  });
  return { rows, indexes, summary };
}

const comma = dialect(',', '\n');

describe('parseBlock', () => {
  it('returns exactly the records: no extra row for the final newline, blank lines kept', () => {
    expect(parseBlock(Buffer.from('1,2\n\n3,"4\n5"\n'), comma).rows).toEqual([['1', '2'], [''], ['3', '4\n5']]);
    expect(parseBlock(Buffer.from('1,2\n3,4'), comma).rows).toEqual([['1', '2'], ['3', '4']]);
    expect(parseBlock(Buffer.from('1,""\n""\n'), comma).rows).toEqual([['1', ''], ['']]);
    expect(parseBlock(Buffer.from(''), comma).rows).toEqual([]);
  });

  it('uses the dialect delimiter and newline', () => {
    const d = dialect(';', '\r\n');
    expect(parseBlock(Buffer.from('a,b;"c\nd"\r\ne;f\r\n'), d).rows).toEqual([['a,b', 'c\nd'], ['e', 'f']]);
  });

  it('reports parse errors with the row index within the block', () => {
    const { rows, errors } = parseBlock(Buffer.from('1,2\n3,4\n5,"six\n'), comma);
    expect(rows).toEqual([['1', '2'], ['3', '4'], ['5', 'six\n']]);
    expect(errors).toEqual([{ code: 'MissingQuotes', message: expect.any(String), row: 2 }]);
    const invalid = parseBlock(Buffer.from('1,2\n3,"a"b",c\n'), comma);
    expect(invalid.errors.map((e) => [e.code, e.row])).toEqual([['InvalidQuotes', 1]]);
  });

  it('decodes a block that is not UTF-8 as windows-1252 and says where it broke', () => {
    const bytes = Buffer.concat([Buffer.from('ok,1\nR'), Uint8Array.of(0xae), Buffer.from(',2\n')]);
    expect(parseBlock(bytes, comma)).toEqual({
      rows: [['ok', '1'], ['R®', '2']],
      decodedAs: 'windows-1252',
      invalidUtf8Offset: 6,
      errors: [],
    });
  });
});

describe('parseBlockRows', () => {
  const cases: Array<[string, CsvDialect]> = [
    ['1,2\n\n3,"4\n5"\n', comma],
    ['1,2\n3,4', comma],
    ['1,""\n""\n', comma],
    ['', comma],
    ['1,2\n3,4\n5,"six\n', comma],
    ['1,2\n3,"a"b",c\n', comma],
    ['a;"b\r\nc"\r\n\r\nd;e\r\n', dialect(';', '\r\n')],
    ['a|b\rc|"d\r"\r', dialect('|', '\r')],
  ];

  it('hands the callback the same rows, indexes and errors as parseBlock returns', () => {
    for (const [text, d] of cases) {
      const bytes = Buffer.from(text);
      const whole = parseBlock(bytes, d);
      const { rows, indexes, summary } = collectRows(bytes, d);
      expect(rows, JSON.stringify(text)).toEqual(whole.rows);
      expect(indexes).toEqual(whole.rows.map((_, i) => i));
      expect(summary).toEqual({
        rowCount: whole.rows.length,
        decodedAs: whole.decodedAs,
        invalidUtf8Offset: whole.invalidUtf8Offset,
        errors: whole.errors,
      });
    }
  });

  it('reads no byte after onDecoded: bytes overwritten then still give the same rows', () => {
    const text = '1,"é\n2"\n3,4\n';
    const expected = parseBlock(Buffer.from(text), comma).rows;
    const bytes = Buffer.from(text);
    const rows: string[][] = [];
    let decodedCalls = 0;
    parseBlockRows(
      bytes,
      comma,
      (row) => {
        expect(decodedCalls).toBe(1);
        rows.push(row);
      },
      () => {
        decodedCalls++;
        bytes.fill(0x78);
      },
    );
    expect(decodedCalls).toBe(1);
    expect(rows).toEqual(expected);
    // windows-1252 text is decoded before the callback too
    const latin = Buffer.from([0x61, 0x2c, 0xe9, 0x0a]);
    const summary = parseBlockRows(latin, comma, (row) => rows.push(row), () => latin.fill(0));
    expect(summary.decodedAs).toBe('windows-1252');
    expect(rows.at(-1)).toEqual(['a', 'é']);
  });

  it('agrees with papaparse on a real file', () => {
    const path = join(REAL_FIXTURES, 'files', 'movies.csv');
    const text = readFileSync(path, 'utf8');
    const expected = Papa.parse<string[]>(text, { delimiter: ',', newline: '\n' }).data;
    expected.pop();
    const { rows } = collectRows(Buffer.from(text), comma);
    expect(rows).toEqual(expected);
  });
});
