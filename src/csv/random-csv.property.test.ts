import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readCsvBlocks } from './block-cutter.js';
import type { CsvDialect } from './dialect.js';
import { parseBlock } from './parse-block.js';
import { type CsvNewline, NO_RECORD_END, RecordScanner } from './record-scanner.js';
import { createUniform as prng } from '../../test/support/random.js';

interface RandomCsv {
  text: string;
  delimiter: string;
  newline: CsvNewline;
}

/**
 * A random CSV with everything that makes cutting hard: quoted fields holding delimiters, doubled
 * quotes and CR / LF / CRLF; stray quotes inside unquoted fields; whitespace or junk after a closing
 * quote; blank lines; multi-byte characters; with or without a final newline; sometimes an
 * unterminated quote at the end. `wellFormed` keeps to RFC 4180.
 */
function randomCsv(random: () => number, wellFormed: boolean): RandomCsv {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const delimiter = pick([',', ';', '\t', '|']);
  const newline = pick<CsvNewline>(['\n', '\r\n', '\r']);
  const columns = 1 + Math.floor(random() * 5);
  const plain = ['a', 'b', 'x', 'é', '😀', '1', '2', ' ', '-'];
  const unquoted = (): string => {
    let s = '';
    const n = Math.floor(random() * 6);
    for (let i = 0; i < n; i++) s += pick(plain);
    // A stray quote inside an unquoted field (12" pipe) is data, never the start of quoting.
    if (!wellFormed && s.length > 0 && random() < 0.15) s += '"' + pick(plain);
    return s;
  };
  const quoted = (): string => {
    let s = '';
    const n = Math.floor(random() * 8);
    for (let i = 0; i < n; i++) s += pick([...plain, delimiter, '""', '\n', '\r', '\r\n', ',', ';']);
    let field = `"${s}"`;
    if (!wellFormed) {
      const r = random();
      if (r < 0.08) field += pick([' ', '  ', '\t']);
      else if (r < 0.12) field = `"${s}"junk"${s}"`;
    }
    return field;
  };
  const field = (): string => (random() < 0.4 ? quoted() : unquoted());

  const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(delimiter);
  const records = [header];
  const rowCount = Math.floor(random() * 25);
  for (let r = 0; r < rowCount; r++) {
    if (random() < 0.05) records.push('');
    else records.push(Array.from({ length: columns }, field).join(delimiter));
  }
  let text = records.join(newline);
  if (random() < 0.6) text += newline;
  if (!wellFormed && random() < 0.1) text += `"unterminated${newline}x${delimiter}y`;
  return { text, delimiter, newline };
}

/** Record ends per papaparse parsing the whole text: `meta.cursor` after every record but the last. */
function papaparseRecordEnds(csv: RandomCsv): number[] {
  const cursors: number[] = [];
  Papa.parse<string[]>(csv.text, {
    delimiter: csv.delimiter,
    newline: csv.newline,
    quoteChar: '"',
    step: (result) => cursors.push(result.meta.cursor),
  });
  cursors.pop();
  // Cursors count UTF-16 code units; the scanner works on UTF-8 bytes.
  return cursors.map((c) => Buffer.byteLength(csv.text.slice(0, c), 'utf8'));
}

async function* chunked(bytes: Uint8Array, random: () => number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; ) {
    const size = 1 + Math.floor(random() * 40);
    yield bytes.subarray(i, i + size);
    i += size;
  }
}

describe('RecordScanner against papaparse', () => {
  it('finds exactly the record ends papaparse sees, for every minimum end', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const csv = randomCsv(prng(seed), seed % 2 === 0);
      const bytes = Buffer.from(csv.text);
      const ends = papaparseRecordEnds(csv);
      const scanner = new RecordScanner(csv.delimiter, csv.newline);
      for (let minEnd = 1; minEnd <= bytes.length + 1; minEnd++) {
        scanner.reset();
        const expected = ends.find((e) => e >= minEnd) ?? NO_RECORD_END;
        expect(scanner.findRecordEnd(bytes, minEnd, true), `seed ${seed} minEnd ${minEnd}`).toBe(expected);
      }
    }
  });

  it('gives the same answer when the bytes arrive a few at a time', () => {
    for (let seed = 1000; seed < 1300; seed++) {
      const random = prng(seed);
      const csv = randomCsv(random, seed % 2 === 0);
      const bytes = Buffer.from(csv.text);
      const ends = papaparseRecordEnds(csv);
      const minEnd = 1 + Math.floor(random() * bytes.length);
      const expected = ends.find((e) => e >= minEnd) ?? NO_RECORD_END;
      const scanner = new RecordScanner(csv.delimiter, csv.newline);
      let found = NO_RECORD_END;
      for (let seen = 0; seen < bytes.length && found === NO_RECORD_END; ) {
        seen = Math.min(bytes.length, seen + 1 + Math.floor(random() * 7));
        found = scanner.findRecordEnd(bytes.subarray(0, seen), minEnd, seen === bytes.length);
      }
      expect(found, `seed ${seed}`).toBe(expected);
    }
  });
});

describe('readCsvBlocks + parseBlock on random CSVs', () => {
  it('yields, over all blocks, exactly the records papaparse reads from the whole file', async () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = prng(seed * 7919);
      const csv = randomCsv(random, seed % 3 === 0);
      const bytes = Buffer.from(csv.text);
      const blockBytes = 1 + Math.floor(random() * (random() < 0.5 ? 16 : 200));

      let dialect: CsvDialect | undefined;
      const rows: string[][] = [];
      for await (const event of readCsvBlocks(chunked(bytes, random), { blockBytes })) {
        if (event.kind === 'dialect') dialect = event.dialect;
        else if (event.kind === 'block') rows.push(...parseBlock(event.bytes, dialect!).rows);
      }

      // The oracle uses the same dialect, so this checks the cutting, not the sniffing.
      const whole = Papa.parse<string[]>(csv.text, {
        delimiter: dialect!.delimiter,
        newline: dialect!.newline,
        quoteChar: '"',
      }).data;
      if (csv.text.endsWith(dialect!.newline)) whole.pop();
      const context = `seed ${seed} blockBytes ${blockBytes} ${JSON.stringify(csv.text)}`;
      expect(dialect!.rawHeader, context).toEqual(whole[0]);
      expect(rows, context).toEqual(whole.slice(1));
    }
  });

  it('detects the delimiter and newline the file was written with', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = prng(seed * 104729);
      const csv = randomCsv(random, true);
      const columns = csv.text.split(csv.newline)[0].split(csv.delimiter).length;
      let dialect: CsvDialect | undefined;
      for await (const event of readCsvBlocks(chunked(Buffer.from(csv.text), random))) {
        if (event.kind === 'dialect') dialect = event.dialect;
      }
      // A lone header line without a terminator shows no newline; `\n` is the documented default.
      const terminated = csv.text.includes(csv.newline);
      expect(dialect!.newline, `seed ${seed}`).toBe(terminated ? csv.newline : '\n');
      // With one column every delimiter fits equally well, and the comma is the documented default.
      expect(dialect!.delimiter, `seed ${seed}`).toBe(columns === 1 ? ',' : csv.delimiter);
    }
  });
});
