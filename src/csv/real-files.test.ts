import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvBlocks } from './block-cutter.js';
import type { CsvDialect } from './dialect.js';
import { readFileChunks } from './file-source.js';
import { parseBlock } from './parse-block.js';
import { REAL_FIXTURES } from '../../test/support/real-fixtures.js';

/** Independently measured facts about each real file (see fixtures/real/README.md). */
interface Facts {
  file: string;
  bytes: number;
  encoding: string;
  bom: string | null;
  firstInvalidUtf8Offset: number | null;
  lineEndings: { crlf: number; lf: number; cr: number };
  delimiter: string;
  rows: number;
  cols: number;
  header: string[];
  fieldCountHistogram: Record<string, number>;
  emptyCells: number;
  columns: Array<{ name: string; empty: number; top: Array<[string, number]> }>;
}

const root = REAL_FIXTURES;
const factFiles = readdirSync(join(root, 'facts')).filter((f) => f.endsWith('.facts.json'));

interface FileRead {
  dialect: CsvDialect;
  rows: string[][];
  blocks: number;
  totalBytes: number;
  decodedAs: Set<string>;
  firstInvalidOffset: number | null;
}

async function readFile(path: string, blockBytes: number): Promise<FileRead> {
  let dialect: CsvDialect | undefined;
  const rows: string[][] = [];
  const decodedAs = new Set<string>();
  let firstInvalidOffset: number | null = null;
  let blocks = 0;
  let totalBytes = -1;
  for await (const event of readCsvBlocks(readFileChunks(path, 4096), { blockBytes })) {
    if (event.kind === 'dialect') dialect = event.dialect;
    else if (event.kind === 'block') {
      const parsed = parseBlock(event.bytes, dialect!);
      expect(parsed.errors).toEqual([]);
      rows.push(...parsed.rows);
      decodedAs.add(parsed.decodedAs);
      if (parsed.invalidUtf8Offset !== null && firstInvalidOffset === null) {
        firstInvalidOffset = event.byteOffset + parsed.invalidUtf8Offset;
      }
    } else {
      blocks = event.blocks;
      totalBytes = event.totalBytes;
    }
  }
  return { dialect: dialect!, rows, blocks, totalBytes, decodedAs, firstInvalidOffset };
}

function expectedNewline(endings: Facts['lineEndings']): string {
  if (endings.crlf > 0) return '\r\n';
  return endings.cr > 0 ? '\r' : '\n';
}

describe('real files', () => {
  it('has facts for every file', () => {
    expect(factFiles.length).toBe(readdirSync(join(root, 'files')).length);
  });

  for (const factFile of factFiles) {
    const facts = JSON.parse(readFileSync(join(root, 'facts', factFile), 'utf8')) as Facts;
    const path = join(root, 'files', facts.file);

    it(`${facts.file}: dialect, header, rows and cells match the measured facts`, async () => {
      for (const blockBytes of [1024, 64 * 1024, 8 << 20]) {
        const read = await readFile(path, blockBytes);
        const { dialect, rows } = read;
        expect(read.totalBytes).toBe(facts.bytes);
        expect(dialect.delimiter).toBe(facts.delimiter);
        expect(dialect.newline).toBe(expectedNewline(facts.lineEndings));
        expect(dialect.bom).toBe(facts.bom !== null);
        expect(dialect.encoding).toBe('utf-8');
        expect(dialect.rawHeader).toEqual(facts.header);
        expect(dialect.header).toEqual(facts.header);

        expect(rows).toHaveLength(facts.rows);
        const histogram: Record<string, number> = {};
        for (const row of rows) histogram[row.length] = (histogram[row.length] ?? 0) + 1;
        expect(histogram).toEqual(facts.fieldCountHistogram);

        // Cell contents: empty cells per column, and each column's most frequent value.
        const emptyPerColumn = facts.columns.map((_, c) => rows.filter((r) => r[c] === '').length);
        expect(emptyPerColumn).toEqual(facts.columns.map((c) => c.empty));
        expect(emptyPerColumn.reduce((a, b) => a + b, 0)).toBe(facts.emptyCells);
        facts.columns.forEach((column, c) => {
          const [value, count] = column.top[0];
          expect(rows.filter((r) => r[c] === value).length, `${column.name} = ${value}`).toBe(count);
        });

        if (facts.encoding === 'windows-1252') {
          expect(read.decodedAs).toContain('windows-1252');
          expect(read.firstInvalidOffset).toBe(facts.firstInvalidUtf8Offset);
        } else {
          expect([...read.decodedAs]).toEqual(['utf-8']);
          expect(read.firstInvalidOffset).toBeNull();
        }
        if (blockBytes === 1024 && facts.bytes > 4096) expect(read.blocks).toBeGreaterThan(1);
      }
    });
  }
});
