import Papa from 'papaparse';
import type { SourceEncoding } from './encoding.js';
import type { CsvNewline } from './record-scanner.js';

/** Field delimiters the reader recognises, in order of preference when the evidence ties. */
export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

/** One of `DELIMITER_CANDIDATES`. */
export type CsvDelimiter = (typeof DELIMITER_CANDIDATES)[number];

/** What was wrong with the column names in the header record, and how it was repaired. */
export interface HeaderIssues {
  /** Names that occur more than once in the header, each listed once, in order of first occurrence. */
  duplicateNames: string[];
  /** How many header fields are empty (or whitespace only). */
  emptyNames: number;
  /** Every name that was replaced; `index` is the 0-based column position. */
  renamed: Array<{ index: number; from: string; to: string }>;
}

/**
 * Everything needed to parse any block of a file on its own, detected from the start of the file.
 * The header record is read once, here; blocks hold data records only.
 */
export interface CsvDialect {
  /** Encoding of the source bytes. UTF-16 sources are transcoded, so their blocks hold UTF-8. */
  encoding: SourceEncoding;
  /** Whether the source started with a byte order mark (it is not part of the header or any block). */
  bom: boolean;
  delimiter: CsvDelimiter;
  newline: CsvNewline;
  quoteChar: '"';
  /** Column names, unique and non-empty: `rawHeader` repaired as described by `headerIssues`. */
  header: string[];
  /** The header record's fields as written in the file. */
  rawHeader: string[];
  headerIssues: HeaderIssues;
}

/**
 * Finds the first record terminator outside quotes and returns the newline style it uses, with the
 * offset just past it; null when `bytes` has no terminator yet and more input may follow.
 * With `atEof` and no terminator at all (a single record), the newline defaults to `\n` and the
 * offset is `bytes.length`.
 *
 * Runs before the delimiter is known, so any candidate delimiter may separate fields here: a quote
 * opens a quoted field only at the start of the input or after a candidate delimiter, and closes it
 * when followed (after spaces) by a candidate delimiter, a newline or the end.
 */
export function detectNewline(
  bytes: Uint8Array,
  atEof: boolean,
): { newline: CsvNewline; headerEnd: number } | null {
  const n = bytes.length;
  let inQuotes = false;
  let fieldStart = true;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (inQuotes) {
      if (c !== 0x22) continue;
      if (i + 1 === n) return atEof ? { newline: '\n', headerEnd: n } : null;
      if (bytes[i + 1] === 0x22) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && (bytes[j] === 0x20 || bytes[j] === 0x09)) j++;
      if (j === n && !atEof) return null;
      if (j === n || isCandidateDelimiter(bytes[j]) || bytes[j] === 0x0a || bytes[j] === 0x0d) {
        inQuotes = false;
        fieldStart = false;
        i = j - 1;
      }
      continue;
    }
    if (c === 0x0a) return { newline: '\n', headerEnd: i + 1 };
    if (c === 0x0d) {
      if (i + 1 === n) return atEof ? { newline: '\r', headerEnd: n } : null;
      return bytes[i + 1] === 0x0a ? { newline: '\r\n', headerEnd: i + 2 } : { newline: '\r', headerEnd: i + 1 };
    }
    if (isCandidateDelimiter(c)) {
      fieldStart = true;
      continue;
    }
    if (c === 0x22 && fieldStart) inQuotes = true;
    fieldStart = false;
  }
  return atEof ? { newline: '\n', headerEnd: n } : null;
}

/** Record terminators outside quotes in a sample, by kind. */
export interface LineEndingCounts {
  crlf: number;
  lf: number;
  cr: number;
}

/**
 * Counts the record terminators outside quotes in `bytes` (same tolerant quoting rules as
 * `detectNewline`). A CR as the very last byte is not counted: its kind depends on the next byte.
 */
export function countLineEndings(bytes: Uint8Array): LineEndingCounts {
  const counts = { crlf: 0, lf: 0, cr: 0 };
  const n = bytes.length;
  let inQuotes = false;
  let fieldStart = true;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (inQuotes) {
      if (c !== 0x22) continue;
      if (bytes[i + 1] === 0x22) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && (bytes[j] === 0x20 || bytes[j] === 0x09)) j++;
      if (j === n || isCandidateDelimiter(bytes[j]) || bytes[j] === 0x0a || bytes[j] === 0x0d) {
        inQuotes = false;
        fieldStart = false;
        i = j - 1;
      }
      continue;
    }
    if (c === 0x0a) {
      counts.lf++;
      fieldStart = true;
      continue;
    }
    if (c === 0x0d) {
      if (i + 1 === n) break;
      if (bytes[i + 1] === 0x0a) {
        counts.crlf++;
        i++;
      } else counts.cr++;
      fieldStart = true;
      continue;
    }
    if (isCandidateDelimiter(c)) {
      fieldStart = true;
      continue;
    }
    if (c === 0x22 && fieldStart) inQuotes = true;
    fieldStart = false;
  }
  return counts;
}

/**
 * The newline of the file: the header's terminator, except for a CRLF header over LF records
 * (a header edited on Windows, data appended by a Unix tool). Cutting on CRLF would then find no
 * record boundary at all, while LF still ends the header (its CR is dropped from the last name).
 * Other mixtures keep the header's terminator, whose records then parse with a stray CR or LF.
 */
export function chooseNewline(headerNewline: CsvNewline, sample: LineEndingCounts): CsvNewline {
  if (headerNewline === '\r\n' && sample.lf > sample.crlf + sample.cr) return '\n';
  return headerNewline;
}

function isCandidateDelimiter(c: number): boolean {
  return c === 0x2c || c === 0x3b || c === 0x09 || c === 0x7c;
}

/**
 * Picks the delimiter of a sample of the file (header first): each candidate parses the sample
 * (quote-aware, with papaparse); the winner is the candidate whose records most consistently have
 * the same field count, that count being more than 1. Ties go to the larger field count, then to the
 * earlier candidate in `DELIMITER_CANDIDATES` (comma first). A file with one column gets a comma.
 *
 * @param complete whether `sample` is the whole file; if not, its last record may be cut short and
 *   is ignored.
 *
 * @example
 * sniffDelimiter('a;b;c\n1;2,5;3\n', '\n', true) // ';'
 */
export function sniffDelimiter(sample: string, newline: CsvNewline, complete: boolean): CsvDelimiter {
  let best: CsvDelimiter = ',';
  let bestConsistency = -1;
  let bestFields = 0;
  for (const delimiter of DELIMITER_CANDIDATES) {
    const counts = fieldCounts(sample, delimiter, newline, complete);
    if (counts.length === 0) continue;
    const { mode, share } = modalCount(counts);
    if (mode < 2) continue;
    if (share > bestConsistency || (share === bestConsistency && mode > bestFields)) {
      best = delimiter;
      bestConsistency = share;
      bestFields = mode;
    }
  }
  return best;
}

function fieldCounts(sample: string, delimiter: string, newline: CsvNewline, complete: boolean): number[] {
  const rows = Papa.parse<string[]>(sample, { delimiter, newline, quoteChar: '"', header: false }).data;
  const usable = complete ? rows.length : rows.length - 1;
  const counts: number[] = [];
  for (let i = 0; i < usable; i++) {
    const row = rows[i];
    // Blank lines say nothing about the delimiter.
    if (row.length === 1 && row[0] === '') continue;
    counts.push(row.length);
  }
  return counts;
}

function modalCount(counts: number[]): { mode: number; share: number } {
  const freq = new Map<number, number>();
  for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
  let mode = 0;
  let top = 0;
  for (const [count, times] of freq) {
    if (times > top || (times === top && count > mode)) {
      mode = count;
      top = times;
    }
  }
  return { mode, share: top / counts.length };
}

/**
 * Makes the header's names usable as column keys: a leading U+FEFF is dropped, an empty (or
 * whitespace-only) name becomes `column_<n>` (n = 1-based position), and every repeat of a name
 * gets the first free suffix `_2`, `_3`, … A generated name never takes a name that appears
 * elsewhere in the header. All repairs are listed in `issues`.
 *
 * @example
 * normaliseHeader(['id', '', 'id']).header // ['id', 'column_2', 'id_2']
 */
export function normaliseHeader(rawHeader: readonly string[]): { header: string[]; issues: HeaderIssues } {
  const names = rawHeader.map((name) => (name.charCodeAt(0) === 0xfeff ? name.slice(1) : name));
  const taken = new Set(names.filter((name) => name.trim() !== ''));
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const renamed: HeaderIssues['renamed'] = [];
  let emptyNames = 0;

  const freeName = (base: string, firstSuffix: number): string => {
    for (let k = firstSuffix; ; k++) {
      const candidate = `${base}_${k}`;
      if (!taken.has(candidate)) return candidate;
    }
  };

  const header = names.map((name, index) => {
    let result: string;
    if (name.trim() === '') {
      emptyNames++;
      const base = `column_${index + 1}`;
      result = taken.has(base) ? freeName(base, 2) : base;
    } else if (seen.has(name)) {
      duplicates.add(name);
      result = freeName(name, 2);
    } else {
      result = name;
    }
    seen.add(name);
    taken.add(result);
    if (result !== rawHeader[index]) renamed.push({ index, from: rawHeader[index], to: result });
    return result;
  });

  return { header, issues: { duplicateNames: [...duplicates], emptyNames, renamed } };
}
