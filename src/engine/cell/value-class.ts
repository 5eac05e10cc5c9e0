/**
 * Value classes of a PRESENT cell (METRICS §2.1), as small integers so a column can count them
 * in a typed array. The order of the ids is the order of evaluation: a trimmed value gets the
 * first class whose rule matches (ERROR_TOKEN, which cannot collide with any other class, is
 * tested first).
 *
 * @example
 * counts[ValueClass.ISO_DATE]++;
 */
export const ValueClass = Object.freeze({
  BOOL: 0,
  INT: 1,
  DIGIT_CODE: 2,
  DEC_DOT: 3,
  DEC_COMMA: 4,
  AMBIGUOUS_GROUP: 5,
  GROUPED_US: 6,
  GROUPED_EU: 7,
  GROUPED_SPACE: 8,
  CURRENCY: 9,
  PERCENT: 10,
  ISO_DATE: 11,
  ISO_DATETIME: 12,
  DATE_SEP: 13,
  DATE_NAMED: 14,
  TIME: 15,
  UUID: 16,
  EMAIL: 17,
  URL: 18,
  PHONE: 19,
  FREE_TEXT: 20,
  OTHER_STRING: 21,
  ERROR_TOKEN: 22,
} as const);

/** One of the ids of {@link ValueClass}. */
export type ValueClassId = (typeof ValueClass)[keyof typeof ValueClass];

/** Number of value classes; ids run from 0 to `VALUE_CLASS_COUNT - 1`. */
export const VALUE_CLASS_COUNT = 23;

const NAMES: readonly string[] = Object.freeze([
  'bool',
  'int',
  'digit_code',
  'dec_dot',
  'dec_comma',
  'ambiguous_group',
  'grouped_us',
  'grouped_eu',
  'grouped_space',
  'currency',
  'percent',
  'iso_date',
  'iso_datetime',
  'date_sep',
  'date_named',
  'time',
  'uuid',
  'email',
  'url',
  'phone',
  'free_text',
  'other_string',
  'error_token',
]);

/**
 * The snake_case name of a value class, as written in METRICS §2.1.
 *
 * @example
 * valueClassName(ValueClass.DEC_COMMA); // 'dec_comma'
 * @throws RangeError for an id outside 0…VALUE_CLASS_COUNT-1
 */
export function valueClassName(id: number): string {
  const name = NAMES[id];
  if (name === undefined) {
    throw new RangeError(`valueClassName: unknown value class id ${id} (expected 0…${VALUE_CLASS_COUNT - 1})`);
  }
  return name;
}

/** True for the classes whose cells carry a number in `CellInfo.num`. */
export function isNumericClass(id: number): boolean {
  return id >= ValueClass.INT && id <= ValueClass.PERCENT;
}

/** True for the classes whose cells carry a point in time (`epoch`, or `epochDmy`/`epochMdy`). */
export function isTemporalClass(id: number): boolean {
  return id >= ValueClass.ISO_DATE && id <= ValueClass.DATE_NAMED;
}
