import Papa from 'papaparse';
import { describeBinarySignature } from './binary-signature.js';
import { BlockBuffer, type BufferSupply } from './block-buffer.js';
import { CsvFormatError } from './csv-format-error.js';
import {
  chooseNewline,
  countLineEndings,
  type CsvDelimiter,
  type CsvDialect,
  DELIMITER_CANDIDATES,
  detectNewline,
  normaliseHeader,
  sniffDelimiter,
} from './dialect.js';
import { createUtf8Normaliser, decodeBlock, detectEncoding } from './encoding.js';
import { type CsvNewline, NO_RECORD_END, RecordScanner } from './record-scanner.js';

/** Default target size of a block: big enough to amortise per-block work, small enough to hold two. */
export const DEFAULT_BLOCK_BYTES = 8 * 1024 * 1024;
/** Default limit on the header record's length. */
export const DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;
/** Default limit on how far a block may grow past `blockBytes` to reach the end of a record. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;
/** How much of the start of a file is used to detect encoding, binary content and the delimiter. */
export const SNIFF_BYTES = 64 * 1024;

/** Options of `readCsvBlocks`. */
export interface ReadCsvBlocksOptions {
  /** A block is cut at the first record boundary at or after this many bytes. Default 8 MiB. */
  blockBytes?: number;
  /** The header record may not be longer than this. Default 1 MiB. */
  maxHeaderBytes?: number;
  /**
   * A block may grow this far past `blockBytes` to reach the end of a long record; beyond, the read
   * fails with RECORD_TOO_LONG instead of buffering the rest of the file. Default 64 MiB.
   */
  maxRecordBytes?: number;
  /**
   * Spare buffers to build blocks in before allocating new ones: a consumer that transfers each
   * block's buffer away (to a worker thread) and gets it back can hand it in again here, so a
   * long file runs on a few buffers instead of leaving one dead buffer per block to collect.
   */
  reuseBuffers?: BufferSupply;
}

/** First event: how to parse every block. */
export interface CsvDialectEvent {
  kind: 'dialect';
  dialect: CsvDialect;
}

/**
 * A run of whole data records. Every block but the last ends right after a record terminator; the
 * last may end without one (no final newline, or an unterminated quote running to the end).
 */
export interface CsvDataBlockEvent {
  kind: 'block';
  /** 0-based position of the block in the file. */
  index: number;
  /**
   * UTF-8 (or the source's single-byte encoding) bytes of the records. Nothing else lives in
   * their `ArrayBuffer` (which may be longer), so a consumer may transfer it to a worker thread.
   */
  bytes: Uint8Array;
  /**
   * Offset of `bytes[0]` in the source; for UTF-16 sources, in the transcoded UTF-8 stream
   * (which has no BOM).
   */
  byteOffset: number;
}

/** Last event. */
export interface CsvEndEvent {
  kind: 'end';
  /** Bytes read from the source, BOM and header included. */
  totalBytes: number;
  /** Number of block events emitted. */
  blocks: number;
}

/** Events of `readCsvBlocks`, in order: one dialect, zero or more blocks, one end. */
export type CsvBlockEvent = CsvDialectEvent | CsvDataBlockEvent | CsvEndEvent;

/**
 * Streams a CSV file as blocks of whole records, each parseable on its own with the dialect.
 *
 * The start of the input is examined once: encoding and BOM, binary content, newline style,
 * delimiter and the header record, which is returned in the dialect and is not part of any block.
 * The rest is cut, without parsing, at record boundaries (quote-aware, see `RecordScanner`) into
 * blocks of at least `blockBytes` (a single longer record makes a longer block). Memory holds about
 * two blocks whatever the file size: the one the consumer has, and the one being filled. Source
 * chunks are copied before the next is requested, so a source may reuse its buffer.
 *
 * @throws CsvFormatError with code EMPTY_FILE, NOT_CSV, HEADER_TOO_LONG, EMPTY_HEADER or
 *   MALFORMED_HEADER before any block is produced; RECORD_TOO_LONG when a record outgrows
 *   `maxRecordBytes` (blocks before it have been produced).
 *
 * @example
 * for await (const event of readCsvBlocks(readFileChunks('data.csv'))) {
 *   if (event.kind === 'dialect') dialect = event.dialect;
 *   else if (event.kind === 'block') handle(parseBlock(event.bytes, dialect));
 * }
 */
export async function* readCsvBlocks(
  source: AsyncIterable<Uint8Array>,
  options: ReadCsvBlocksOptions = {},
): AsyncGenerator<CsvBlockEvent, void, undefined> {
  const blockBytes = positiveInteger(options.blockBytes ?? DEFAULT_BLOCK_BYTES, 'blockBytes');
  const maxHeaderBytes = positiveInteger(options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES, 'maxHeaderBytes');
  const maxRecordBytes = positiveInteger(options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, 'maxRecordBytes');
  const iterator = source[Symbol.asyncIterator]();
  let eof = false;
  let totalBytes = 0;

  try {
    // Encoding: from the raw head, before any transcoding.
    const rawChunks: Uint8Array[] = [];
    let rawLength = 0;
    while (rawLength < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        eof = true;
        break;
      }
      // A copy: the source may reuse its buffer for the next chunk (see readFileChunks).
      rawChunks.push(new Uint8Array(next.value));
      rawLength += next.value.length;
    }
    totalBytes = rawLength;
    const rawHead = Buffer.concat(rawChunks, rawLength);
    if (rawLength === 0) throw new CsvFormatError('EMPTY_FILE', 'The file is empty.');
    const detected = detectEncoding(rawHead);
    // Offsets are reported in source bytes; a UTF-8 BOM is stripped before the cutter sees bytes.
    const baseOffset = detected.encoding === 'utf-8' && detected.bom ? 3 : 0;
    const normaliser = createUtf8Normaliser(detected);
    const pending = new BlockBuffer(blockBytes + SNIFF_BYTES, options.reuseBuffers);
    pending.append(normaliser.push(rawHead));
    if (eof) pending.append(normaliser.flush());

    const readMore = async (): Promise<void> => {
      const next = await iterator.next();
      if (next.done) {
        eof = true;
        pending.append(normaliser.flush());
        return;
      }
      totalBytes += next.value.length;
      pending.append(normaliser.push(next.value));
    };

    while (pending.length < SNIFF_BYTES && !eof) await readMore();
    if (pending.length === 0) throw new CsvFormatError('EMPTY_FILE', 'The file is empty (it holds only a byte order mark).');
    rejectBinary(pending.view(), rawHead, baseOffset);
    if (eof && isBlank(pending.view())) {
      throw new CsvFormatError('EMPTY_FILE', 'The file holds only blank lines.');
    }
    // A spreadsheet's delimiter hint (`sep=;` alone on the first line) names the delimiter; it is
    // neither the header nor data. Offsets after it still count its bytes.
    const hint = delimiterHint(pending.view());
    if (hint) pending.take(hint.length);
    const dataOffset = baseOffset + (hint?.length ?? 0);

    // Newline: the first terminator outside quotes. Rescanning only when the buffered head has
    // doubled keeps a long header from costing a rescan per (possibly tiny) chunk.
    let lineInfo: ReturnType<typeof detectNewline> = null;
    let scannedLength = -1;
    for (;;) {
      const head = pending.view();
      const capped = head.length > maxHeaderBytes + 2 ? head.subarray(0, maxHeaderBytes + 2) : head;
      if (eof || capped.length >= 2 * scannedLength || capped.length > maxHeaderBytes) {
        lineInfo = detectNewline(capped, eof && capped === head);
        scannedLength = capped.length;
        if (lineInfo !== null) break;
        if (capped.length > maxHeaderBytes) throw headerTooLong(maxHeaderBytes, dataOffset);
      }
      await readMore();
    }
    if (lineInfo.headerEnd > maxHeaderBytes) throw headerTooLong(maxHeaderBytes, dataOffset);

    // Delimiter: from the header and about SNIFF_BYTES of records after it.
    while (pending.length < lineInfo.headerEnd + SNIFF_BYTES && !eof) await readMore();
    const sampleBytes = sniffSample(pending.view(), lineInfo.headerEnd + SNIFF_BYTES, eof);
    const newline = chooseNewline(lineInfo.newline, countLineEndings(sampleBytes.bytes));
    const delimiter = hint?.delimiter ?? sniffDelimiter(decodeBlock(sampleBytes.bytes).text, newline, sampleBytes.complete);

    // Header: the first record, with the exact quoting rules the blocks will be cut with.
    const scanner = new RecordScanner(delimiter, newline);
    let headerEnd: number;
    for (;;) {
      const head = pending.view();
      const end = scanner.findRecordEnd(head, 1, eof);
      if (end !== NO_RECORD_END) {
        headerEnd = end;
        break;
      }
      if (head.length > maxHeaderBytes) throw headerTooLong(maxHeaderBytes, dataOffset);
      if (eof) {
        headerEnd = head.length;
        break;
      }
      await readMore();
    }
    if (headerEnd > maxHeaderBytes) throw headerTooLong(maxHeaderBytes, dataOffset);
    const rawHeader = parseHeaderRecord(pending.take(headerEnd), delimiter, newline);
    const { header, issues } = normaliseHeader(rawHeader);
    const dialect: CsvDialect = {
      encoding: detected.encoding,
      bom: detected.bom,
      delimiter,
      newline,
      quoteChar: '"',
      header,
      rawHeader,
      headerIssues: issues,
    };
    yield { kind: 'dialect', dialect };

    // Data: cut at the first record boundary at or after blockBytes.
    const maxBlockBytes = blockBytes + maxRecordBytes;
    scanner.reset();
    let index = 0;
    let byteOffset = dataOffset + headerEnd;
    for (;;) {
      const buffered = pending.length;
      if (buffered >= blockBytes || (eof && buffered > 0)) {
        const end = scanner.findRecordEnd(pending.view(), blockBytes, eof);
        const length = end !== NO_RECORD_END ? end : eof ? buffered : -1;
        // The same limit whether the long record arrived in one chunk or many.
        if (length === -1 ? buffered >= maxBlockBytes : length > maxBlockBytes) {
          throw new CsvFormatError(
            'RECORD_TOO_LONG',
            `No record ends between bytes ${byteOffset + blockBytes} and ${byteOffset + maxBlockBytes}: a record is ` +
              `longer than ${maxRecordBytes} bytes. Usually a quote opens a field and never closes, or the line ` +
              'endings change after the header.',
            { byteOffset },
          );
        }
        if (length !== -1) {
          yield { kind: 'block', index, bytes: pending.takeOwned(length), byteOffset };
          index++;
          byteOffset += length;
          scanner.reset();
          continue;
        }
      }
      if (eof) break;
      await readMore();
    }
    yield { kind: 'end', totalBytes, blocks: index };
  } finally {
    // Stops the source (closes the file) when the consumer leaves early or an error is thrown.
    if (!eof) await iterator.return?.();
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`readCsvBlocks: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * The delimiter hint spreadsheets write and read: `sep=` and one delimiter alone on the first line
 * (`sep=;`), with the line's length including its terminator; null when the file has none.
 */
export function delimiterHint(head: Uint8Array): { delimiter: CsvDelimiter; length: number } | null {
  if (head.length < 6) return null;
  const prefix = String.fromCharCode(head[0], head[1], head[2], head[3]).toLowerCase();
  if (prefix !== 'sep=') return null;
  const delimiter = DELIMITER_CANDIDATES.find((candidate) => candidate.charCodeAt(0) === head[4]);
  if (!delimiter) return null;
  if (head[5] === 0x0a) return { delimiter, length: 6 };
  if (head[5] === 0x0d) return { delimiter, length: head[6] === 0x0a ? 7 : 6 };
  return null;
}

function rejectBinary(normalised: Uint8Array, rawHead: Uint8Array, baseOffset: number): void {
  const sniffed = normalised.length > SNIFF_BYTES ? normalised.subarray(0, SNIFF_BYTES) : normalised;
  const nul = sniffed.indexOf(0);
  if (nul === -1) return;
  const known = describeBinarySignature(rawHead);
  const what = known === null ? 'It looks like a binary file' : `It looks like ${known}`;
  throw new CsvFormatError(
    'NOT_CSV',
    `Not a CSV file: a NUL byte at offset ${baseOffset + nul} means binary content, not delimited text. ${what}.`,
    { byteOffset: baseOffset + nul },
  );
}

function isBlank(bytes: Uint8Array): boolean {
  for (const c of bytes) if (c !== 0x0a && c !== 0x0d && c !== 0x20 && c !== 0x09) return false;
  return true;
}

function headerTooLong(maxHeaderBytes: number, baseOffset: number): CsvFormatError {
  return new CsvFormatError(
    'HEADER_TOO_LONG',
    `The header record (line 1) does not end within ${maxHeaderBytes} bytes: the file has no header line, ` +
      'or a quote in the header is never closed.',
    { byteOffset: baseOffset, line: 1 },
  );
}

/** The sample for sniffing, cut after its last line break unless it is the whole input. */
function sniffSample(head: Buffer, limit: number, eof: boolean): { bytes: Buffer; complete: boolean } {
  if (head.length <= limit && eof) return { bytes: head, complete: true };
  let cut = Math.min(head.length, limit);
  const lastBreak = Math.max(head.lastIndexOf(0x0a, cut - 1), head.lastIndexOf(0x0d, cut - 1));
  if (lastBreak > 0) cut = lastBreak + 1;
  return { bytes: head.subarray(0, cut), complete: false };
}

function parseHeaderRecord(bytes: Uint8Array, delimiter: string, newline: CsvNewline): string[] {
  let { text } = decodeBlock(bytes);
  // See chooseNewline: a CRLF header over LF records.
  if (newline === '\n' && text.endsWith('\r\n')) text = text.slice(0, -2) + '\n';
  const parsed = Papa.parse<string[]>(text, { delimiter, newline, quoteChar: '"', header: false });
  if (parsed.errors.some((e) => e.code === 'MissingQuotes')) {
    throw new CsvFormatError(
      'MALFORMED_HEADER',
      'The header record (line 1) opens a quoted field that is never closed.',
      { line: 1 },
    );
  }
  const first = parsed.data[0] ?? [''];
  if (first.length === 1 && first[0].trim() === '') {
    throw new CsvFormatError('EMPTY_HEADER', 'The first line is blank: the header record with the column names must come first.', {
      line: 1,
    });
  }
  return first;
}
