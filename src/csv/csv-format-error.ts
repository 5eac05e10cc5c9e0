/** Machine-readable reason a byte stream cannot be read as CSV at all. */
export type CsvFormatErrorCode =
  /** No bytes, or nothing but a byte order mark. */
  | 'EMPTY_FILE'
  /** NUL bytes near the start: a binary file (spreadsheet, archive, image…), not delimited text. */
  | 'NOT_CSV'
  /** The first record did not end within `maxHeaderBytes`. */
  | 'HEADER_TOO_LONG'
  /** The first record is blank, so there are no column names. */
  | 'EMPTY_HEADER'
  /** The first record opens a quoted field that never closes. */
  | 'MALFORMED_HEADER'
  /** A data record longer than `maxRecordBytes` (usually a quote that never closes). */
  | 'RECORD_TOO_LONG';

/** Where in the input an error was found. */
export interface CsvFormatErrorLocation {
  /** Offset of the offending byte from the start of the input (after UTF-16 transcoding, if any). */
  byteOffset?: number;
  /** 1-based line number, when the error is tied to a line. */
  line?: number;
}

/**
 * The input is not a CSV file this reader can profile. Thrown by `readCsvBlocks`, before any data
 * block is produced except for RECORD_TOO_LONG, so a caller can fail the upload with `code` and
 * `message` as the reason.
 *
 * @example
 * try { for await (const e of readCsvBlocks(src)) { … } }
 * catch (err) { if (err instanceof CsvFormatError && err.code === 'NOT_CSV') … }
 */
export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
  readonly code: CsvFormatErrorCode;
  readonly byteOffset: number | undefined;
  readonly line: number | undefined;

  constructor(code: CsvFormatErrorCode, message: string, location: CsvFormatErrorLocation = {}) {
    super(message);
    this.code = code;
    this.byteOffset = location.byteOffset;
    this.line = location.line;
  }
}
