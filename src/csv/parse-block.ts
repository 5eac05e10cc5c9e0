import Papa from 'papaparse';
import type { CsvDialect } from './dialect.js';
import { type BlockTextEncoding, decodeBlock } from './encoding.js';

/** A problem the parser found in a block; the block's other rows are still returned. */
export interface BlockParseError {
  /** papaparse's code, e.g. `MissingQuotes` (a quoted field runs to the end of the block) or `InvalidQuotes`. */
  code: string;
  message: string;
  /** 0-based index, within the block, of the row the error belongs to. */
  row: number;
}

/** What a block holds once decoded and parsed. */
export interface ParsedBlock {
  /** Records as arrays of field strings, in order; blank lines are kept as `['']`. */
  rows: string[][];
  decodedAs: BlockTextEncoding;
  /** Offset within the block of the first byte that is not valid UTF-8, or null. */
  invalidUtf8Offset: number | null;
  errors: BlockParseError[];
}

/** Summary returned by `parseBlockRows` (the rows themselves went to the callback). */
export interface ParsedBlockSummary {
  rowCount: number;
  decodedAs: BlockTextEncoding;
  invalidUtf8Offset: number | null;
  errors: BlockParseError[];
}

/**
 * Decodes a block (see `decodeBlock`) and parses it with the file's dialect (prefer
 * `parseBlockRows` when the rows are consumed one by one). The empty record that
 * a final newline would otherwise produce is dropped, so the rows are exactly the block's records.
 * Parse problems do not throw; they are returned with their row.
 *
 * @example
 * const { rows, errors } = parseBlock(event.bytes, dialect);
 */
export function parseBlock(bytes: Uint8Array, dialect: CsvDialect): ParsedBlock {
  const { text, decodedAs, invalidUtf8Offset } = decodeBlock(bytes);
  const result = Papa.parse<string[]>(text, parseConfig(dialect));
  const rows = result.data;
  if (endsWithTerminatorRow(rows, text, dialect.newline)) rows.pop();
  const errors = result.errors.length === 0 ? [] : result.errors.map(toBlockError);
  return { rows, decodedAs, invalidUtf8Offset, errors };
}

/**
 * Like `parseBlock`, but hands each row to `onRow` as it is parsed instead of building the array of
 * all rows. The row array is fresh for every call, so the callback may keep it.
 *
 * This is the path for profiling: rows die young instead of a block's worth of them being promoted
 * to the old generation, which measured ~1.3-1.6x faster than `parseBlock` over a 250 MB file and
 * with a lower peak memory. `onDecoded`, if given, is called once the bytes are decoded, before
 * the first row: `bytes` are not read after it.
 *
 * @example
 * parseBlockRows(event.bytes, dialect, (row) => profile.update(row));
 */
export function parseBlockRows(
  bytes: Uint8Array,
  dialect: CsvDialect,
  onRow: (row: string[], index: number) => void,
  onDecoded?: () => void,
): ParsedBlockSummary {
  const { text, decodedAs, invalidUtf8Offset } = decodeBlock(bytes);
  // From here on only the decoded text is read: the caller may reuse or hand away the bytes.
  onDecoded?.();
  const errors: BlockParseError[] = [];
  // Each row is held back until the next one arrives: only at the end is it known whether the last
  // one is the artefact of a final newline.
  let held: string[] | null = null;
  let rowCount = 0;
  Papa.parse<string[]>(text, {
    ...parseConfig(dialect),
    step(result) {
      if (held !== null) onRow(held, rowCount++);
      held = result.data;
      for (const e of result.errors) errors.push({ code: e.code, message: e.message, row: rowCount });
    },
  });
  const last = held as string[] | null;
  if (last !== null && !(isEmptyRecord(last) && text.endsWith(dialect.newline))) onRow(last, rowCount++);
  return { rowCount, decodedAs, invalidUtf8Offset, errors };
}

/** papaparse settings for a block: the file's dialect, every field a string, blank lines kept. */
function parseConfig(dialect: CsvDialect): Papa.ParseConfig<string[]> {
  return {
    delimiter: dialect.delimiter,
    newline: dialect.newline,
    quoteChar: '"',
    header: false,
    skipEmptyLines: false,
    dynamicTyping: false,
  };
}

function endsWithTerminatorRow(rows: string[][], text: string, newline: string): boolean {
  return rows.length > 0 && isEmptyRecord(rows[rows.length - 1]) && text.endsWith(newline);
}

function isEmptyRecord(row: string[]): boolean {
  return row.length === 1 && row[0] === '';
}

function toBlockError(e: Papa.ParseError): BlockParseError {
  return { code: e.code, message: e.message, row: e.row ?? 0 };
}
