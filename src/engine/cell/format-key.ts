import { ERROR_TOKENS } from './cell-state.js';
import { caseClassName } from './hygiene.js';
import { VALUE_CLASS_COUNT, ValueClass, valueClassName } from './value-class.js';

/**
 * Format keys (METRICS §2.5): a format is a value class plus its spelling convention, packed in
 * one integer `valueClass * 1024 + variant` so a column can count formats in a plain map.
 * The variant layouts per class are below; {@link formatName} renders any key.
 */
export const FORMAT_STRIDE = 1024;

/** Packs a class id and a variant (0–1023) into a format key. */
export function formatKey(valueClass: number, variant: number): number {
  return valueClass * FORMAT_STRIDE + variant;
}

/** Value class of a format key. */
export function formatClass(format: number): number {
  return Math.floor(format / FORMAT_STRIDE);
}

/** Variant part of a format key. */
export function formatVariant(format: number): number {
  return format % FORMAT_STRIDE;
}

/**
 * How the digits of a number are written; part of the variant of currency and percent cells.
 * PLAIN is digits only (no decimal mark, no grouping), which every convention reads alike.
 */
export const NumberConvention = Object.freeze({
  PLAIN: 0,
  DOT: 1,
  COMMA: 2,
  GROUPED_US: 3,
  GROUPED_EU: 4,
  GROUPED_SPACE: 5,
  AMBIGUOUS_GROUP: 6,
} as const);
const CONVENTION_NAMES = ['int', 'dot', 'comma', 'grouped_us', 'grouped_eu', 'grouped_space', 'ambiguous_group'];

/** Token families of bool cells (variant bits 0–1; bits 2–3 hold the case, see {@link TokenCase}). */
export const BoolFamily = Object.freeze({ TRUE_FALSE: 0, YES_NO: 1, Y_N: 2, T_F: 3 } as const);
const BOOL_FAMILY_NAMES = ['true/false', 'yes/no', 'y/n', 't/f'];
/** Case of a bool token or a month name. */
export const TokenCase = Object.freeze({ LOWER: 0, UPPER: 1, TITLE: 2, MIXED: 3 } as const);
const TOKEN_CASE_NAMES = ['lower', 'UPPER', 'Title', 'mixed'];

/** Variant bits of numbers written without unit (int, dec_*, ambiguous_group, grouped_us/eu). */
export const NUM_PLUS = 1; // explicit leading '+' (a '-' is a value, not a spelling)
export const DEC_EXPONENT = 2; // dec_dot with [eE] exponent
export const DEC_LEADING_DOT = 4; // dec_dot written `.5`
export const DEC_TRAILING_DOT = 8; // dec_dot written `5.`

/** grouped_space variant: separator kind (bits 0–1) | decimal mark << 2 (0 none, 1 '.', 2 ','). */
export const GroupSeparator = Object.freeze({ SPACE: 0, APOSTROPHE: 1, NBSP: 2, NNBSP: 3 } as const);
const GROUP_SEPARATOR_NAMES = ['space', 'apostrophe', 'nbsp', 'nnbsp'];
const DECIMAL_MARK_NAMES = ['', 'dot', 'comma'];

/**
 * Currency variant: unit (bits 0–2: 0 `$`, 1 `€`, 2 `£`, 3 `¥`, 4 `₹`, 5 ISO-4217 code, 6 none)
 * | suffix << 3 | space between unit and number << 4 | accounting << 5 (1 `(…)`, 2 `$(…)`)
 * | {@link NumberConvention} << 7.
 */
export const CurrencyUnit = Object.freeze({ DOLLAR: 0, EURO: 1, POUND: 2, YEN: 3, RUPEE: 4, CODE: 5, NONE: 6 } as const);
const CURRENCY_UNIT_TEXT = ['$', '€', '£', '¥', '₹', 'CCC', ''];
export const CURRENCY_SUFFIX = 1 << 3;
export const CURRENCY_SPACE = 1 << 4;
export const CURRENCY_PARENS = 1 << 5;
export const CURRENCY_UNIT_PARENS = 2 << 5;
export const CURRENCY_CONVENTION_SHIFT = 7;

/** Percent variant: {@link NumberConvention} | space before `%` << 3 | explicit '+' << 4. */
export const PERCENT_SPACE = 1 << 3;
export const PERCENT_PLUS = 1 << 4;

/**
 * iso_datetime variant: space instead of `T` (bit 0) | precision << 1 (0 hh:mm, 1 hh:mm:ss,
 * 2 with fraction) | zone << 3 (0 naive, 1 `Z`, 2 `±hh:mm`, 3 `±hhmm` or `±hh`).
 */
export const ISO_SPACE = 1;
export const TimePrecision = Object.freeze({ HM: 0, HMS: 1, FRACTION: 2 } as const);
export const IsoZone = Object.freeze({ NAIVE: 0, Z: 1, OFFSET: 2, OFFSET_BASIC: 3 } as const);

/**
 * date_sep variant: order (bits 0–1: 1 DMY, 2 MDY, 3 ambiguous) | separator << 2 (0 `/`, 1 `.`,
 * 2 `-`) | four-digit year << 4 | time part << 5 (0 none, 1 h:mm, 2 h:mm:ss, 3 with fraction)
 * | AM/PM << 7 | year first << 8 (`2001/03/28`: order bits 0, it reads one way only).
 */
export const DateOrder = Object.freeze({ NONE: 0, DMY_ONLY: 1, MDY_ONLY: 2, AMBIGUOUS: 3 } as const);
export const DATE_SEP_SEPARATOR_SHIFT = 2;
export const DATE_SEP_YEAR4 = 1 << 4;
export const DATE_SEP_TIME_SHIFT = 5;
export const DATE_SEP_AMPM = 1 << 7;
export const DATE_SEP_YEAR_FIRST = 1 << 8;
const DATE_SEPARATORS = ['/', '.', '-'];

/**
 * date_named variant: form (bits 0–1: 0 `D Mon YYYY`, 1 `Mon D, YYYY`, 2 `Mon D YYYY`) | full
 * month name << 2 | dot after month << 3 | month case ({@link TokenCase}) << 4.
 */
export const DateNamedForm = Object.freeze({ DAY_MONTH_YEAR: 0, MONTH_DAY_COMMA_YEAR: 1, MONTH_DAY_YEAR: 2 } as const);
export const NAMED_FULL_MONTH = 1 << 2;
export const NAMED_MONTH_DOT = 1 << 3;
export const NAMED_CASE_SHIFT = 4;

/** time variant: {@link TimePrecision} | AM/PM << 2 (0 none, 1 ` AM`, 2 `AM`). */
export const TIME_AMPM_SHIFT = 2;

/** phone variant: bit 0 starts with `+`, bit 1 contains `(`. */
export const PHONE_INTERNATIONAL = 1;
export const PHONE_PARENS = 2;

function numberFlags(v: number): string {
  return v & NUM_PLUS ? ':+' : '';
}

function timePattern(precision: number, ampm: number): string {
  const base = ampm ? 'hh:mm' : 'HH:MM';
  const secs = precision === 0 ? '' : precision === 1 ? ':SS' : ':SS.f';
  const suffix = ampm === 0 ? '' : ampm === 1 ? ' AM' : 'AM';
  return base + secs + suffix;
}

/**
 * Readable name of a format key, e.g. `date:DD/MM/YYYY`, `date:?/?/YY HH:MM`, `iso_datetime:T:Z`,
 * `decimal:comma`, `currency:$N:grouped_us`, `bool:yes/no:Title`, `text:UPPER`.
 *
 * @example
 * formatName(formatKey(ValueClass.INT, 0)); // 'int'
 * @throws RangeError for a key whose class does not exist
 */
export function formatName(format: number): string {
  const cls = formatClass(format);
  if (!Number.isInteger(format) || format < 0 || cls >= VALUE_CLASS_COUNT) {
    throw new RangeError(`formatName: ${format} is not a format key (class ${cls})`);
  }
  const v = formatVariant(format);
  switch (cls) {
    case ValueClass.BOOL:
      return `bool:${BOOL_FAMILY_NAMES[v & 3]}:${TOKEN_CASE_NAMES[(v >> 2) & 3]}`;
    case ValueClass.INT:
      return 'int' + numberFlags(v);
    case ValueClass.DIGIT_CODE:
      return `digit_code:${v}`;
    case ValueClass.DEC_DOT:
      return (
        'decimal:dot' +
        (v & DEC_EXPONENT ? ':exp' : '') +
        (v & DEC_LEADING_DOT ? ':.5' : '') +
        (v & DEC_TRAILING_DOT ? ':5.' : '') +
        numberFlags(v)
      );
    case ValueClass.DEC_COMMA:
      return 'decimal:comma' + numberFlags(v);
    case ValueClass.AMBIGUOUS_GROUP:
      return 'number:ambiguous_group' + numberFlags(v);
    case ValueClass.GROUPED_US:
      return 'number:grouped_us' + numberFlags(v);
    case ValueClass.GROUPED_EU:
      return 'number:grouped_eu' + numberFlags(v);
    case ValueClass.GROUPED_SPACE: {
      const mark = DECIMAL_MARK_NAMES[(v >> 2) & 3];
      return `number:grouped_space:${GROUP_SEPARATOR_NAMES[v & 3]}` + (mark ? `:${mark}` : '');
    }
    case ValueClass.CURRENCY: {
      const unit = CURRENCY_UNIT_TEXT[v & 7] ?? '?';
      const sp = v & CURRENCY_SPACE ? ' ' : '';
      let body = unit === '' ? 'N' : v & CURRENCY_SUFFIX ? `N${sp}${unit}` : `${unit}${sp}N`;
      const acc = (v >> 5) & 3;
      if (acc === 1) body = `(${body})`;
      else if (acc === 2) body = `${unit}${sp}(N)`;
      return `currency:${body}:${CONVENTION_NAMES[(v >> CURRENCY_CONVENTION_SHIFT) & 7]}`;
    }
    case ValueClass.PERCENT:
      return (
        `percent:${v & PERCENT_PLUS ? '+' : ''}N${v & PERCENT_SPACE ? ' ' : ''}%:` + CONVENTION_NAMES[v & 7]
      );
    case ValueClass.ISO_DATE:
      return 'iso_date';
    case ValueClass.ISO_DATETIME: {
      const sep = v & ISO_SPACE ? 'space' : 'T';
      const precision = (v >> 1) & 3;
      const zone = ['naive', 'Z', 'offset', 'offset_basic'][(v >> 3) & 3];
      return `iso_datetime:${sep}${precision === 0 ? ':hm' : precision === 2 ? ':frac' : ''}:${zone}`;
    }
    case ValueClass.DATE_SEP: {
      const order = v & 3;
      const sep = DATE_SEPARATORS[(v >> DATE_SEP_SEPARATOR_SHIFT) & 3] ?? '?';
      const year = v & DATE_SEP_YEAR4 ? 'YYYY' : 'YY';
      const [a, b] = order === DateOrder.DMY_ONLY ? ['DD', 'MM'] : order === DateOrder.MDY_ONLY ? ['MM', 'DD'] : ['?', '?'];
      const time = (v >> DATE_SEP_TIME_SHIFT) & 3;
      const clock = time ? ' ' + timePattern(time - 1, v & DATE_SEP_AMPM ? 1 : 0) : '';
      if (v & DATE_SEP_YEAR_FIRST) return `date:YYYY${sep}MM${sep}DD${clock}`;
      return `date:${a}${sep}${b}${sep}${year}${clock}`;
    }
    case ValueClass.DATE_NAMED: {
      const caseCode = (v >> NAMED_CASE_SHIFT) & 3;
      let mon = v & NAMED_FULL_MONTH ? 'Month' : 'Mon';
      if (caseCode === TokenCase.UPPER) mon = mon.toUpperCase();
      else if (caseCode === TokenCase.LOWER) mon = mon.toLowerCase();
      if (v & NAMED_MONTH_DOT) mon += '.';
      const form = v & 3;
      const body = form === 0 ? `D ${mon} YYYY` : form === 1 ? `${mon} D, YYYY` : `${mon} D YYYY`;
      return `date:${body}` + (caseCode === TokenCase.MIXED ? ':mixed' : '');
    }
    case ValueClass.TIME:
      return `time:${timePattern(v & 3, (v >> TIME_AMPM_SHIFT) & 3)}`;
    case ValueClass.UUID:
      return `uuid:${caseClassName(v)}`;
    case ValueClass.EMAIL:
      return `email:${caseClassName(v)}`;
    case ValueClass.URL:
      return `url:${caseClassName(v)}`;
    case ValueClass.PHONE:
      return (
        'phone:' +
        (v & PHONE_INTERNATIONAL ? 'intl' : 'national') +
        (v & PHONE_PARENS ? ':parens' : '')
      );
    case ValueClass.FREE_TEXT:
      return `free_text:${caseClassName(v)}`;
    case ValueClass.OTHER_STRING:
      return `text:${caseClassName(v)}`;
    case ValueClass.ERROR_TOKEN:
      return `error:${ERROR_TOKENS[v] ?? '?'}`;
    default:
      return valueClassName(cls);
  }
}

/**
 * Re-keys a date_sep format once the column has resolved its day/month order: a cell whose own
 * evidence was ambiguous (both fields ≤ 12) takes the column's order; a cell with evidence of
 * its own (`31/12/…` can only be DMY) keeps it, so a column mixing orders still shows two
 * formats. Keys of other classes are returned unchanged.
 *
 * @example
 * dateSepFormat(cellInfo.format, 'dmy'); // `?/?/YYYY` → `DD/MM/YYYY`
 */
export function dateSepFormat(format: number, resolvedOrder: 'dmy' | 'mdy' | 'ambiguous'): number {
  if (formatClass(format) !== ValueClass.DATE_SEP) return format;
  if ((format & 3) !== DateOrder.AMBIGUOUS) return format;
  const order = resolvedOrder === 'dmy' ? DateOrder.DMY_ONLY : resolvedOrder === 'mdy' ? DateOrder.MDY_ONLY : DateOrder.AMBIGUOUS;
  return format - DateOrder.AMBIGUOUS + order;
}
