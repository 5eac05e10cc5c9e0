import { ColumnState, type ColumnStateJson, topValuesExactLimit } from '../column/column-state.js';
import { ProfileStateError } from '../model/errors.js';

/** Version of the serialized profile state; states of other versions are never merged. */
export const PROFILE_STATE_VERSION = 1;
const KEPT_PARSE_ERRORS = 10;

/** A parse problem reported by the CSV reader, with its 1-based data row within the sample. */
export interface ParseProblem {
  row: number;
  code: string;
  message: string;
}

/**
 * The mergeable state of a whole sample (or of one row-aligned block of it): dataset-level
 * counters and one {@link ColumnState} per header column. Blocks are merged in block order, so
 * row numbers of parse problems become sample-wide as they merge.
 *
 * @example
 * const whole = DatasetState.create(header, 0);
 * for (const row of rows) whole.updateRow(row);
 * const merged = blockStates.reduce((a, b) => a.merge(b));
 */
export class DatasetState {
  rows = 0;
  /** Rows with fewer / more fields than the header. */
  rowsMissingFields = 0;
  rowsExtraFields = 0;
  /** Blank lines in a multi-column file: skipped, counted. */
  emptyRecords = 0;
  /** Row-completeness histogram: bucket ⌊10 · present / columns⌋ (11 buckets). */
  readonly rowCompleteness = new Float64Array(11);
  /** Sum over rows of present / columns, for the exact mean. */
  rowCompletenessSum = 0;
  parseErrorCount = 0;
  readonly parseErrors: ParseProblem[] = [];
  /** Bytes of blocks that were not valid UTF-8 and were read as windows-1252. */
  windows1252Blocks = 0;
  /** Byte offset (within the sample) of the first invalid UTF-8 byte, or -1. */
  firstInvalidUtf8Offset = -1;
  /** Present cells per record of the batch in `updateRows` (scratch, not state). */
  private batchPresent = new Int32Array(0);

  private constructor(
    readonly header: readonly string[],
    readonly columns: ColumnState[],
  ) {}

  /** A fresh state; `seed` (e.g. the block index) makes randomized sketches reproducible. */
  static create(header: readonly string[], seed: number): DatasetState {
    const options = { topValuesExactLimit: topValuesExactLimit(header.length) };
    const columns = header.map((_, j) => new ColumnState(mixSeed(seed, j), undefined, options));
    return new DatasetState([...header], columns);
  }

  /** Adds one parsed record. */
  updateRow(cells: readonly string[]): void {
    const columns = this.columns;
    const width = columns.length;
    if (cells.length === 1 && width > 1 && cells[0] === '') {
      this.emptyRecords++;
      return;
    }
    if (cells.length < width) this.rowsMissingFields++;
    else if (cells.length > width) this.rowsExtraFields++;
    let present = 0;
    for (let j = 0; j < width; j++) {
      if (columns[j].update(cells[j]) === 0) present++;
    }
    this.rows++;
    if (width > 0) {
      const share = present / width;
      this.rowCompleteness[Math.floor(share * 10)]++;
      this.rowCompletenessSum += share;
    }
  }

  /**
   * Adds the first `count` records of `rows`, with the same result as `updateRow` on each in
   * order, but column by column: each column's sketches and the classifier's branches for its
   * shape of value stay hot in the CPU caches for a whole batch instead of being evicted by the
   * fifteen other columns of every row. A few hundred rows per batch is enough.
   */
  updateRows(rows: readonly (readonly string[])[], count: number = rows.length): void {
    const columns = this.columns;
    const width = columns.length;
    if (this.batchPresent.length < count) this.batchPresent = new Int32Array(count);
    const present = this.batchPresent;
    // -1 marks a blank line of a multi-column file, which is skipped (and counted).
    for (let i = 0; i < count; i++) {
      const cells = rows[i];
      if (cells.length === 1 && width > 1 && cells[0] === '') {
        this.emptyRecords++;
        present[i] = -1;
        continue;
      }
      present[i] = 0;
      if (cells.length < width) this.rowsMissingFields++;
      else if (cells.length > width) this.rowsExtraFields++;
    }
    for (let j = 0; j < width; j++) {
      const column = columns[j];
      for (let i = 0; i < count; i++) {
        if (present[i] >= 0 && column.update(rows[i][j]) === 0) present[i]++;
      }
    }
    for (let i = 0; i < count; i++) {
      if (present[i] < 0) continue;
      this.rows++;
      if (width > 0) {
        const share = present[i] / width;
        this.rowCompleteness[Math.floor(share * 10)]++;
        this.rowCompletenessSum += share;
      }
    }
  }

  /** Applies every column's pre-aggregated values (see `ColumnState.update`); idempotent. */
  flush(): this {
    for (const column of this.columns) column.flush();
    return this;
  }

  /** Records a parse problem at a block-relative 1-based row. */
  addParseProblem(problem: ParseProblem): void {
    this.parseErrorCount++;
    if (this.parseErrors.length < KEPT_PARSE_ERRORS) this.parseErrors.push(problem);
  }

  /** Records that this block was not valid UTF-8 (offset within the sample). */
  markWindows1252(invalidOffset: number): void {
    this.windows1252Blocks++;
    if (this.firstInvalidUtf8Offset < 0 || invalidOffset < this.firstInvalidUtf8Offset) {
      this.firstInvalidUtf8Offset = invalidOffset;
    }
  }

  /** Merges the state of the rows that follow this state's rows. */
  merge(other: DatasetState): this {
    if (other.header.length !== this.header.length || other.header.some((name, i) => name !== this.header[i])) {
      throw new ProfileStateError('HEADER_MISMATCH', 'cannot merge profile states of samples with different headers');
    }
    for (const problem of other.parseErrors) {
      if (this.parseErrors.length >= KEPT_PARSE_ERRORS) break;
      this.parseErrors.push({ ...problem, row: problem.row + this.rows });
    }
    this.parseErrorCount += other.parseErrorCount;
    this.rows += other.rows;
    this.rowsMissingFields += other.rowsMissingFields;
    this.rowsExtraFields += other.rowsExtraFields;
    this.emptyRecords += other.emptyRecords;
    for (let i = 0; i < this.rowCompleteness.length; i++) this.rowCompleteness[i] += other.rowCompleteness[i];
    this.rowCompletenessSum += other.rowCompletenessSum;
    if (other.windows1252Blocks > 0) {
      this.windows1252Blocks += other.windows1252Blocks - 1;
      this.markWindows1252(other.firstInvalidUtf8Offset);
    }
    for (let j = 0; j < this.columns.length; j++) this.columns[j].merge(other.columns[j]);
    return this;
  }

  toJSON(): DatasetStateJson {
    return {
      format: 'realitycheck.profile-state',
      version: PROFILE_STATE_VERSION,
      header: [...this.header],
      rows: this.rows,
      rowsMissingFields: this.rowsMissingFields,
      rowsExtraFields: this.rowsExtraFields,
      emptyRecords: this.emptyRecords,
      rowCompleteness: Array.from(this.rowCompleteness),
      rowCompletenessSum: this.rowCompletenessSum,
      parseErrorCount: this.parseErrorCount,
      parseErrors: this.parseErrors.map((p) => ({ ...p })),
      windows1252Blocks: this.windows1252Blocks,
      firstInvalidUtf8Offset: this.firstInvalidUtf8Offset,
      columns: this.columns.map((c) => c.toJSON()),
    };
  }

  /** Reads a serialized state; throws {@link ProfileStateError} on another version or a malformed state. */
  static fromJSON(json: DatasetStateJson): DatasetState {
    if (!json || json.format !== 'realitycheck.profile-state') {
      throw new ProfileStateError('BAD_STATE', 'not a realitycheck profile state');
    }
    if (json.version !== PROFILE_STATE_VERSION) {
      throw new ProfileStateError('VERSION_MISMATCH', `profile state version ${json.version} is not ${PROFILE_STATE_VERSION}`);
    }
    if (!Array.isArray(json.columns) || json.columns.length !== json.header.length) {
      throw new ProfileStateError('BAD_STATE', 'profile state has a different number of columns than its header');
    }
    const state = new DatasetState([...json.header], json.columns.map((c) => ColumnState.fromJSON(c)));
    state.rows = json.rows;
    state.rowsMissingFields = json.rowsMissingFields;
    state.rowsExtraFields = json.rowsExtraFields;
    state.emptyRecords = json.emptyRecords;
    state.rowCompleteness.set(json.rowCompleteness);
    state.rowCompletenessSum = json.rowCompletenessSum;
    state.parseErrorCount = json.parseErrorCount;
    state.parseErrors.push(...json.parseErrors.map((p) => ({ ...p })));
    state.windows1252Blocks = json.windows1252Blocks;
    state.firstInvalidUtf8Offset = json.firstInvalidUtf8Offset;
    return state;
  }
}

/** Wire form of {@link DatasetState}. */
export interface DatasetStateJson {
  format: 'realitycheck.profile-state';
  version: number;
  header: string[];
  rows: number;
  rowsMissingFields: number;
  rowsExtraFields: number;
  emptyRecords: number;
  rowCompleteness: number[];
  rowCompletenessSum: number;
  parseErrorCount: number;
  parseErrors: ParseProblem[];
  windows1252Blocks: number;
  firstInvalidUtf8Offset: number;
  columns: ColumnStateJson[];
}

/** A 32-bit seed for column `j` of block `block` (splitmix-style mixing). */
function mixSeed(block: number, j: number): number {
  let x = (Math.imul(block + 1, 0x9e3779b1) ^ Math.imul(j + 1, 0x85ebca77)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
