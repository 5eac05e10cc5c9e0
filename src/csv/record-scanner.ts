/** Record terminators the reader supports. */
export type CsvNewline = '\r\n' | '\n' | '\r';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const enum NewlineMode {
  Lf,
  Cr,
  CrLf,
}

/** Returned by `findRecordEnd` when the bytes seen so far hold no suitable record boundary. */
export const NO_RECORD_END = -1;

/**
 * Finds record boundaries in raw CSV bytes without parsing fields, so that a byte stream can be cut
 * into pieces that each parse on their own.
 *
 * The quoting rules are those of the parser that later reads the pieces (papaparse), not bare
 * quote parity: a quote opens a quoted field only at the start of a field; inside a quoted field
 * `""` is an escaped quote, and a quote closes the field only when followed (after optional
 * whitespace) by the delimiter or the newline, otherwise it is data. So a stray quote in an
 * unquoted field (`12" pipe`) cannot flip the state for the rest of the file, which with parity
 * counting would glue everything after it into one ever-growing piece.
 *
 * Quotes and newlines are located with `Buffer#indexOf` (memchr); bytes between them are not
 * visited. Before `minEnd` only quotes are examined. The scanner is resumable: when it returns
 * `NO_RECORD_END`, call it again with a longer view of the same bytes (same start) once more data
 * has arrived; call `reset` before scanning a new piece.
 *
 * @example
 * const scanner = new RecordScanner(',', '\n');
 * scanner.findRecordEnd(Buffer.from('a,"x\ny"\nb,c\n'), 1, false) // 8: after the first record
 */
export class RecordScanner {
  readonly delimiter: string;
  readonly newline: CsvNewline;
  readonly #delimiter: number;
  readonly #mode: NewlineMode;
  #pos = 0;
  #inQuotes = false;

  constructor(delimiter: string, newline: CsvNewline) {
    const code = delimiter.charCodeAt(0);
    if (delimiter.length !== 1 || code >= 0x80 || code === QUOTE || code === LF || code === CR) {
      throw new RangeError(`Unsupported CSV delimiter ${JSON.stringify(delimiter)}: a single ASCII character other than a quote or newline is required`);
    }
    this.delimiter = delimiter;
    this.newline = newline;
    this.#delimiter = code;
    this.#mode = newline === '\n' ? NewlineMode.Lf : newline === '\r' ? NewlineMode.Cr : NewlineMode.CrLf;
  }

  /** Forgets the scan state; the next call treats byte 0 of its input as the start of a record. */
  reset(): void {
    this.#pos = 0;
    this.#inQuotes = false;
  }

  /**
   * Returns the offset just past the first record terminator that ends at or after `minEnd`
   * (`bytes[0]` must start a record), or `NO_RECORD_END` if there is none in `bytes` yet. With
   * `atEof` false, a decision that depends on bytes not yet seen (a quote or CR at the very end) is
   * deferred; with `atEof` true, the end of `bytes` is the end of the input.
   */
  findRecordEnd(input: Uint8Array, minEnd: number, atEof: boolean): number {
    // Buffer#indexOf is memchr; the generic TypedArray one is several times slower.
    const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const len = bytes.length;
    const delim = this.#delimiter;
    const mode = this.#mode;
    const newlineByte = mode === NewlineMode.Cr ? CR : LF;
    // A terminator whose last byte sits at or after searchFrom ends at or after minEnd.
    const searchFrom = minEnd > 1 ? minEnd - 1 : 0;
    let pos = this.#pos;
    let inQuotes = this.#inQuotes;

    for (;;) {
      if (!inQuotes) {
        const quote = nextQuote(bytes, pos);
        const stop = quote === -1 ? len : quote;
        if (stop > searchFrom) {
          // Outside quotes every newline ends a record; take the first one past searchFrom.
          let nl = bytes.indexOf(newlineByte, pos > searchFrom ? pos : searchFrom);
          while (nl !== -1 && nl < stop) {
            if (mode !== NewlineMode.CrLf || (nl > 0 && bytes[nl - 1] === CR)) return nl + 1;
            nl = bytes.indexOf(LF, nl + 1);
          }
        }
        if (quote === -1) {
          pos = len;
          break;
        }
        if (quote === 0 || this.#startsField(bytes, quote)) inQuotes = true;
        pos = quote + 1;
        continue;
      }

      const quote = nextQuote(bytes, pos);
      if (quote === -1) {
        pos = len;
        break;
      }
      const next = quote + 1;
      if (next === len) {
        // Closing quote at the very end: the field ends with the input, or we must wait.
        pos = atEof ? len : quote;
        break;
      }
      if (bytes[next] === QUOTE) {
        pos = quote + 2;
        continue;
      }
      // A closing quote must be followed by optional whitespace, then the delimiter or newline.
      let j = next;
      let verdict: 'delimiter' | 'newline' | 'data' | 'wait' = 'data';
      let recordEnd = 0;
      while (j < len) {
        const c = bytes[j];
        if (c === delim) {
          verdict = 'delimiter';
          break;
        }
        if (c === newlineByte && mode !== NewlineMode.CrLf) {
          verdict = 'newline';
          recordEnd = j + 1;
          break;
        }
        if (c === CR && mode === NewlineMode.CrLf) {
          if (j + 1 === len) {
            if (!atEof) verdict = 'wait';
            break;
          }
          if (bytes[j + 1] === LF) {
            verdict = 'newline';
            recordEnd = j + 2;
            break;
          }
        } else if (!isAsciiWhitespace(c)) {
          break;
        }
        j++;
      }
      if (j === len && !atEof) verdict = 'wait';
      if (verdict === 'wait') {
        pos = quote;
        break;
      }
      if (verdict === 'data') {
        pos = next;
        continue;
      }
      inQuotes = false;
      if (verdict === 'delimiter') {
        pos = j + 1;
        continue;
      }
      if (recordEnd >= minEnd) return recordEnd;
      pos = recordEnd;
    }

    this.#pos = pos;
    this.#inQuotes = inQuotes;
    return NO_RECORD_END;
  }

  /** Whether the quote at `at` (> 0, outside quotes) is the first byte of a field. */
  #startsField(bytes: Uint8Array, at: number): boolean {
    const prev = bytes[at - 1];
    if (prev === this.#delimiter) return true;
    switch (this.#mode) {
      case NewlineMode.Lf:
        return prev === LF;
      case NewlineMode.Cr:
        return prev === CR;
      case NewlineMode.CrLf:
        return prev === LF && at >= 2 && bytes[at - 2] === CR;
    }
  }
}

/** Bytes looked at one by one before handing the search to memchr. */
const SHORT_SCAN = 16;

/**
 * Position of the next quote at or after `from`, or -1. When every field is quoted, quotes are a
 * few bytes apart and the fixed cost of a native `indexOf` call dominates, so the first few bytes
 * are checked inline; long stretches still go to memchr.
 */
function nextQuote(bytes: Buffer, from: number): number {
  const limit = Math.min(from + SHORT_SCAN, bytes.length);
  for (let i = from; i < limit; i++) if (bytes[i] === QUOTE) return i;
  return limit === bytes.length ? -1 : bytes.indexOf(QUOTE, limit);
}

/** The characters `String#trim` removes that fit in one byte: TAB, LF, VT, FF, CR and space. */
function isAsciiWhitespace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
