import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type CsvBlockEvent,
  type CsvDataBlockEvent,
  readCsvBlocks,
  type ReadCsvBlocksOptions,
  SNIFF_BYTES,
} from './block-cutter.js';
import { CsvFormatError } from './csv-format-error.js';
import type { CsvDialect } from './dialect.js';
import { parseBlock } from './parse-block.js';

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

interface ReadResult {
  dialect: CsvDialect;
  blocks: CsvDataBlockEvent[];
  end: Extract<CsvBlockEvent, { kind: 'end' }>;
  rows: string[][];
  events: CsvBlockEvent['kind'][];
}

async function readAll(bytes: Uint8Array, options: ReadCsvBlocksOptions = {}, chunkSize = 1 << 20): Promise<ReadResult> {
  const events: CsvBlockEvent[] = [];
  for await (const event of readCsvBlocks(chunksOf(bytes, chunkSize), options)) events.push(event);
  const dialect = (events[0] as Extract<CsvBlockEvent, { kind: 'dialect' }>).dialect;
  const blocks = events.filter((e): e is CsvDataBlockEvent => e.kind === 'block');
  const rows = blocks.flatMap((b) => parseBlock(b.bytes, dialect).rows);
  const end = events[events.length - 1] as ReadResult['end'];
  return { dialect, blocks, end, rows, events: events.map((e) => e.kind) };
}

async function readError(bytes: Uint8Array, options: ReadCsvBlocksOptions = {}): Promise<CsvFormatError> {
  try {
    await readAll(bytes, options);
  } catch (error) {
    if (error instanceof CsvFormatError) return error;
    throw error;
  }
  throw new Error('expected a CsvFormatError');
}

function utf16(text: string, order: 'le' | 'be'): Buffer {
  const bytes = Buffer.from('\uFEFF' + text, 'utf16le');
  if (order === 'be') for (let i = 0; i < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
  return bytes;
}

describe('readCsvBlocks: event stream', () => {
  it('emits the dialect, then blocks that tile the data exactly, then the end', async () => {
    const header = 'id,name\n';
    const body = Array.from({ length: 200 }, (_, i) => `${i},"name\n${i}"\n`).join('');
    const bytes = Buffer.from(header + body);
    const result = await readAll(bytes, { blockBytes: 100 }, 37);
    expect(result.events[0]).toBe('dialect');
    expect(result.events.at(-1)).toBe('end');
    expect(result.end).toEqual({ kind: 'end', totalBytes: bytes.length, blocks: result.blocks.length });
    expect(result.blocks.map((b) => b.index)).toEqual(result.blocks.map((_, i) => i));
    // Blocks are contiguous, start after the header and cover the rest of the file byte for byte.
    let offset = Buffer.byteLength(header);
    for (const block of result.blocks) {
      expect(block.byteOffset).toBe(offset);
      offset += block.bytes.length;
    }
    expect(offset).toBe(bytes.length);
    expect(Buffer.concat(result.blocks.map((b) => b.bytes)).toString()).toBe(body);
    // Each block but possibly the last reaches the target size and ends on a record boundary.
    for (const block of result.blocks.slice(0, -1)) {
      expect(block.bytes.length).toBeGreaterThanOrEqual(100);
      expect(block.bytes[block.bytes.length - 1]).toBe(0x0a);
    }
    expect(result.rows).toHaveLength(200);
    expect(result.rows[123]).toEqual(['123', 'name\n123']);
  });

  it('makes a bigger block for a record longer than the block size', async () => {
    const long = 'x'.repeat(5000);
    const bytes = Buffer.from(`a,b\n1,"${long}"\n2,y\n`);
    const { blocks, rows } = await readAll(bytes, { blockBytes: 16 }, 100);
    expect(blocks[0].bytes.length).toBe(`1,"${long}"\n`.length);
    expect(rows).toEqual([['1', long], ['2', 'y']]);
  });

  it('lets the last block end without a newline', async () => {
    const { blocks, rows } = await readAll(Buffer.from('a,b\n1,2\n3,4'), { blockBytes: 4 });
    expect(Buffer.from(blocks.at(-1)!.bytes).toString()).toBe('3,4');
    expect(rows).toEqual([['1', '2'], ['3', '4']]);
  });

  it('cuts CR-only files on CR', async () => {
    const { dialect, blocks, rows } = await readAll(Buffer.from('a,b\r1,"x\ry"\r2,z\r'), { blockBytes: 1 });
    expect(dialect.newline).toBe('\r');
    expect(blocks.map((b) => Buffer.from(b.bytes).toString())).toEqual(['1,"x\ry"\r', '2,z\r']);
    expect(rows).toEqual([['1', 'x\ry'], ['2', 'z']]);
  });

  it('never splits a CRLF, whatever the block size and chunking', async () => {
    const text = 'a,b\r\n1,2\r\n"3\r\n",4\r\n5,6\r\n';
    for (let blockBytes = 1; blockBytes <= text.length; blockBytes++) {
      for (const chunk of [1, 2, 3, 1000]) {
        const { blocks, rows } = await readAll(Buffer.from(text), { blockBytes }, chunk);
        for (const block of blocks) {
          expect(block.bytes[0]).not.toBe(0x0a);
          expect(Buffer.from(block.bytes).toString().endsWith('\r\n')).toBe(true);
        }
        expect(rows).toEqual([['1', '2'], ['3\r\n', '4'], ['5', '6']]);
      }
    }
  });

  it('makes an unterminated quote run to the end of the file, as the last block', async () => {
    const text = 'a,b\n1,2\n3,"open\n4,5\n6,7\n';
    const { blocks } = await readAll(Buffer.from(text), { blockBytes: 1 });
    expect(blocks.map((b) => Buffer.from(b.bytes).toString())).toEqual(['1,2\n', '3,"open\n4,5\n6,7\n']);
    const parsed = parseBlock(blocks[1].bytes, (await readAll(Buffer.from(text))).dialect);
    expect(parsed.errors.map((e) => [e.code, e.row])).toEqual([['MissingQuotes', 0]]);
  });

  it('does not let a stray quote in an unquoted field glue the rest of the file together', async () => {
    // With bare quote parity the one quote below would put every later newline "inside quotes".
    const lines = ['1,12" pipe,ok', ...Array.from({ length: 49 }, (_, i) => `${i + 2},elbow,ok`)];
    const { blocks, rows } = await readAll(Buffer.from(`id,item,status\n${lines.join('\n')}\n`), { blockBytes: 64 });
    for (const block of blocks) expect(block.bytes.length).toBeLessThan(64 + 16);
    expect(blocks.length).toBeGreaterThanOrEqual(Math.floor(lines.join('\n').length / (64 + 16)));
    expect(rows).toHaveLength(50);
    expect(rows[0]).toEqual(['1', '12" pipe', 'ok']);
    expect(rows[49]).toEqual(['50', 'elbow', 'ok']);
  });

  it('keeps memory flat: a block is produced before reading much past it', async () => {
    const blockBytes = 4096;
    const chunk = 512;
    const bytes = Buffer.from('n,v\n' + Array.from({ length: 40000 }, (_, i) => `${i},"v${i}"\n`).join(''));
    let consumed = 0;
    async function* counting(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += chunk) {
        consumed = Math.min(bytes.length, i + chunk);
        yield bytes.subarray(i, i + chunk);
      }
    }
    let blocks = 0;
    for await (const event of readCsvBlocks(counting(), { blockBytes })) {
      if (event.kind !== 'block') continue;
      blocks++;
      expect(event.bytes.length).toBeLessThan(blockBytes + 64);
      // Past the sniffing sample at the start, never more than one block plus one chunk of
      // look-ahead has been pulled from the source.
      const blockEnd = event.byteOffset + event.bytes.length;
      expect(consumed).toBeLessThanOrEqual(Math.max(blockEnd + blockBytes + chunk, 4 + SNIFF_BYTES + chunk));
    }
    expect(blocks).toBeGreaterThan(bytes.length / (blockBytes + 64));
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield Buffer.from('a,b\n');
        for (let i = 0; ; i++) yield Buffer.from(`${i},x\n`);
      } finally {
        closed = true;
      }
    }
    for await (const event of readCsvBlocks(source(), { blockBytes: 64 })) {
      if (event.kind === 'block') break;
    }
    expect(closed).toBe(true);
  });

  it('rejects nonsensical options', async () => {
    await expect(readAll(Buffer.from('a\n1\n'), { blockBytes: 0 })).rejects.toThrow(RangeError);
  });
});

describe('readCsvBlocks: dialect', () => {
  it('reads semicolon-delimited files with decimal commas', async () => {
    const { dialect, rows } = await readAll(Buffer.from('name;price;qty\n"Müller; GmbH";1,50;3\nAcme;2,00;4\n'));
    expect(dialect.delimiter).toBe(';');
    expect(dialect.header).toEqual(['name', 'price', 'qty']);
    expect(rows).toEqual([['Müller; GmbH', '1,50', '3'], ['Acme', '2,00', '4']]);
  });

  it('reads tab-delimited files', async () => {
    const { dialect, rows } = await readAll(Buffer.from('a\tb, c\td\n1\t2, 3\t4\n'));
    expect(dialect.delimiter).toBe('\t');
    expect(dialect.header).toEqual(['a', 'b, c', 'd']);
    expect(rows).toEqual([['1', '2, 3', '4']]);
  });

  it('reads pipe-delimited files', async () => {
    const { dialect, rows } = await readAll(Buffer.from('a|b\n1|2\n'));
    expect(dialect.delimiter).toBe('|');
    expect(rows).toEqual([['1', '2']]);
  });

  it('repairs duplicate and empty header names and reports them', async () => {
    const { dialect } = await readAll(Buffer.from('id,,name,id,,id\n1,2,3,4,5,6\n'));
    expect(dialect.rawHeader).toEqual(['id', '', 'name', 'id', '', 'id']);
    expect(dialect.header).toEqual(['id', 'column_2', 'name', 'id_2', 'column_5', 'id_3']);
    expect(dialect.headerIssues).toEqual({
      duplicateNames: ['id'],
      emptyNames: 2,
      renamed: [
        { index: 1, from: '', to: 'column_2' },
        { index: 3, from: 'id', to: 'id_2' },
        { index: 4, from: '', to: 'column_5' },
        { index: 5, from: 'id', to: 'id_3' },
      ],
    });
  });

  it('reads LF records under a header saved with CRLF', async () => {
    const { dialect, rows, blocks } = await readAll(Buffer.from('id,name\r\n1,a\n2,b\n3,c\n'), { blockBytes: 1 });
    expect(dialect.newline).toBe('\n');
    expect(dialect.rawHeader).toEqual(['id', 'name']);
    expect(blocks).toHaveLength(3);
    expect(rows).toEqual([['1', 'a'], ['2', 'b'], ['3', 'c']]);
  });

  it('reads a header with a quoted name holding a newline and a delimiter', async () => {
    const { dialect, rows } = await readAll(Buffer.from('"first\nname","a,b"\r\nx,y\r\n'), { blockBytes: 1 });
    expect(dialect.newline).toBe('\r\n');
    expect(dialect.rawHeader).toEqual(['first\nname', 'a,b']);
    expect(rows).toEqual([['x', 'y']]);
  });

  it('reports a UTF-8 BOM, keeps it out of the header and counts it in offsets', async () => {
    const bytes = Buffer.concat([Uint8Array.of(0xef, 0xbb, 0xbf), Buffer.from('a,b\n1,2\n')]);
    const { dialect, blocks } = await readAll(bytes, {}, 1);
    expect(dialect).toMatchObject({ encoding: 'utf-8', bom: true, header: ['a', 'b'] });
    expect(dialect.headerIssues.renamed).toEqual([]);
    expect(blocks[0].byteOffset).toBe(3 + 4);
  });

  for (const order of ['le', 'be'] as const) {
    it(`transcodes UTF-16${order.toUpperCase()} with a BOM to UTF-8 blocks`, async () => {
      const text = 'name;city\r\n"Zoë ""Z""";Łódź\r\n😀;"東京\r\nTokyo"\r\n';
      for (const chunk of [1, 3, 64]) {
        const { dialect, blocks, rows } = await readAll(utf16(text, order), { blockBytes: 8 }, chunk);
        expect(dialect).toMatchObject({ encoding: `utf-16${order}`, bom: true, delimiter: ';', newline: '\r\n' });
        expect(dialect.header).toEqual(['name', 'city']);
        expect(rows).toEqual([['Zoë "Z"', 'Łódź'], ['😀', '東京\r\nTokyo']]);
        expect(Buffer.concat(blocks.map((b) => b.bytes)).toString('utf8')).toBe(text.slice('name;city\r\n'.length));
      }
    });
  }

  it('yields the dialect, no block and the end for a header-only file', async () => {
    for (const text of ['a,b,c\n', 'a,b,c', 'a;b\r\n']) {
      const { dialect, events, end } = await readAll(Buffer.from(text));
      expect(events).toEqual(['dialect', 'end']);
      expect(end.blocks).toBe(0);
      expect(dialect.header.length).toBeGreaterThan(1);
    }
  });
});

describe('readCsvBlocks: errors', () => {
  it('rejects an empty file, and one holding only a BOM or blank lines', async () => {
    for (const bytes of [new Uint8Array(0), Uint8Array.of(0xef, 0xbb, 0xbf), Buffer.from('\n\r\n \n')]) {
      expect((await readError(bytes)).code).toBe('EMPTY_FILE');
    }
  });

  it('rejects binary content, saying so, with the offset of the first NUL', async () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04\x14'), Buffer.alloc(30), Buffer.from('xl/workbook.xml')]);
    const error = await readError(zip);
    expect(error.code).toBe('NOT_CSV');
    expect(error.message).toMatch(/binary/);
    expect(error.message).toMatch(/xlsx/);
    expect(error.byteOffset).toBe(5);

    const other = await readError(Buffer.from('a,b\n1,\u0000\n'));
    expect(other.code).toBe('NOT_CSV');
    expect(other.byteOffset).toBe(6);
  });

  it('rejects a header record longer than maxHeaderBytes', async () => {
    const error = await readError(Buffer.from('x'.repeat(5000) + '\n1\n'), { maxHeaderBytes: 1000 });
    expect(error).toMatchObject({ code: 'HEADER_TOO_LONG', line: 1 });
    // At the limit it is fine.
    const ok = await readAll(Buffer.from('x'.repeat(999) + '\n1\n'), { maxHeaderBytes: 1000 });
    expect(ok.rows).toEqual([['1']]);
  });

  it('rejects a file whose header never ends because of an open quote', async () => {
    expect((await readError(Buffer.from('"a,b\n1,2\n'))).code).toBe('MALFORMED_HEADER');
    const long = Buffer.from('"a,b\n' + '1,2\n'.repeat(1000));
    expect((await readError(long, { maxHeaderBytes: 100 })).code).toBe('HEADER_TOO_LONG');
  });

  it('fails instead of buffering the rest of the file when a record never ends', async () => {
    const bytes = Buffer.from('a,b\n1,2\n3,"never closed\n' + '4,5\n'.repeat(5000));
    const events: CsvBlockEvent['kind'][] = [];
    let error: unknown;
    try {
      for await (const event of readCsvBlocks(chunksOf(bytes, 256), { blockBytes: 4, maxRecordBytes: 1000 })) {
        events.push(event.kind);
      }
    } catch (e) {
      error = e;
    }
    expect(events).toEqual(['dialect', 'block']);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect(error).toMatchObject({ code: 'RECORD_TOO_LONG', byteOffset: 8 });
    // The same file within the limit: the open quote runs to the end, as the last block.
    const { blocks } = await readAll(bytes, { blockBytes: 4, maxRecordBytes: bytes.length });
    expect(blocks).toHaveLength(2);
  });

  it('rejects a file whose first line is blank', async () => {
    expect((await readError(Buffer.from('\na,b\n1,2\n'))).code).toBe('EMPTY_HEADER');
  });
});

describe('readCsvBlocks + parseBlock on csv-spectrum', () => {
  const root = join(process.cwd(), 'node_modules', 'csv-spectrum');
  const names = readdirSync(join(root, 'csvs')).filter((f) => f.endsWith('.csv'));

  it('covers the whole suite', () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of names) {
    const name = basename(file, '.csv');
    it(`${name} parses as expected with block sizes from 1 byte to 8 MiB`, async () => {
      const bytes = readFileSync(join(root, 'csvs', file));
      const parsedJson: unknown = JSON.parse(readFileSync(join(root, 'json', `${name}.json`), 'utf8'));
      const expected = (Array.isArray(parsedJson) ? parsedJson : [parsedJson]) as Array<Record<string, string>>;
      if (name === 'location_coordinates') {
        // The suite's JSON has a different phone number than its CSV (max-mapper/csv-spectrum#20).
        expected[0]['Contact Phone Number'] = '2095257564';
      }
      for (const blockBytes of [1, 2, 3, 5, 8, 13, 21, 34, 64, 8 << 20]) {
        for (const chunk of [1, 7, 1 << 20]) {
          const { dialect, rows } = await readAll(bytes, { blockBytes }, chunk);
          const objects = rows.map((row) => Object.fromEntries(dialect.header.map((h, i) => [h, row[i]])));
          expect(objects, `blockBytes ${blockBytes} chunk ${chunk}`).toEqual(expected);
        }
      }
    });
  }
});

describe('the spreadsheet delimiter hint (`sep=;` alone on the first line)', () => {
  it('takes the delimiter from it and skips it: it is neither the header nor a row, and offsets still count it', async () => {
    const text = 'sep=;\r\nid;name\r\n1;a,b\r\n2;c\r\n';
    const { dialect, blocks, rows } = await readAll(new TextEncoder().encode(text), {}, 3);
    expect(dialect.delimiter).toBe(';');
    expect(dialect.header).toEqual(['id', 'name']);
    expect(rows).toEqual([
      ['1', 'a,b'],
      ['2', 'c'],
    ]);
    expect(blocks[0].byteOffset).toBe(text.indexOf('1;'));
  });

  it('is only a hint when it is the whole first line and names a delimiter the reader knows', async () => {
    for (const text of ['sep=;x\n1;2\n', 'sep=#\na\n', 'id,sep=;\n1,2\n']) {
      const { dialect } = await readAll(new TextEncoder().encode(text));
      expect(dialect.rawHeader.join('|')).toContain('sep=');
    }
  });
});
