/**
 * What the classifier learns about one cell. The caller owns one instance per column (or per
 * worker) and passes it to every `classifyCell` call, so classifying allocates no object.
 */
export interface CellInfo {
  /** A {@link CellState} id (PRESENT, EMPTY, WHITESPACE, SENTINEL). */
  state: number;
  /** Index in `SENTINEL_TOKENS` when state is SENTINEL, else -1. */
  sentinelId: number;
  /**
   * A {@link ValueClass} id for PRESENT cells. For SENTINEL cells, the class the token would have
   * as a value (a column may decide at finalize that `NA` is Namibia). -1 for EMPTY/WHITESPACE.
   */
  valueClass: number;
  /** Format key `valueClass * 1024 + variant` (see format-key.ts), or -1 like `valueClass`. */
  format: number;
  /** date_sep cells: a DateOrder id (1 dmy_only, 2 mdy_only, 3 ambiguous); 0 otherwise. */
  dateOrder: number;
  /**
   * Numeric value of int, digit_code, dec_dot, dec_comma, ambiguous_group (read as grouping:
   * `1,234` → 1234), grouped_*, currency (accounting `(…)` negative) and percent (the number
   * before `%`); NaN otherwise. Equal to `Number()` of the normalised spelling.
   */
  num: number;
  /** ambiguous_group only: the decimal-comma reading (`1,234` → 1.234); NaN otherwise. */
  numAlt: number;
  /**
   * Epoch seconds (UTC) of iso_date, iso_datetime and date_named cells, and of date_sep cells
   * whose own evidence fixes the order (the matching one of `epochDmy`/`epochMdy`); else NaN.
   */
  epoch: number;
  /** date_sep: epoch seconds read as day/month/year; NaN when impossible (month 13). */
  epochDmy: number;
  /** date_sep: epoch seconds read as month/day/year; NaN when impossible. */
  epochMdy: number;
  /** A time of day without zone was read as UTC (iso_datetime without zone, date_sep with time). */
  tzUnspecified: boolean;
  /** Hygiene bit flags (hygiene.ts); 0 for EMPTY and WHITESPACE. */
  hygiene: number;
  /** {@link CaseClass} id of the trimmed value's letters. */
  caseClass: number;
  /** Length of the trimmed value in Unicode code points (a surrogate pair counts once). */
  length: number;
  /** The trimmed value: the very string passed in when there was nothing to trim. */
  trimmed: string;
  /** The trimmed value is one or more ASCII digits and nothing else. */
  isAllDigits: boolean;
  /** Number of ASCII digits in the trimmed value. */
  digitCount: number;
}

/**
 * A fresh {@link CellInfo} with every field set (so all instances share one shape).
 *
 * @example
 * const info = createCellInfo();
 * for (const cell of row) classifyCell(cell, info);
 */
export function createCellInfo(): CellInfo {
  return {
    state: 1,
    sentinelId: -1,
    valueClass: -1,
    format: -1,
    dateOrder: 0,
    num: NaN,
    numAlt: NaN,
    epoch: NaN,
    epochDmy: NaN,
    epochMdy: NaN,
    tzUnspecified: false,
    hygiene: 0,
    caseClass: 0,
    length: 0,
    trimmed: '',
    isAllDigits: false,
    digitCount: 0,
  };
}
