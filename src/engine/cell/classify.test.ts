import { describe, expect, it } from 'vitest';
import { classifyCell, createCellInfo, dateSepFormat, formatName } from './classify.js';
import { CellState, SENTINEL_TOKENS } from './cell-state.js';
import { DateOrder, formatClass } from './format-key.js';
import { CaseClass } from './hygiene.js';
import { ValueClass, valueClassName } from './value-class.js';

const P = CellState.PRESENT;
const S = CellState.SENTINEL;

/**
 * [raw, state, class name or null, optional expectations]. Expected values come from the rules
 * of METRICS §1/§2.1 read by hand; `d(y, m, d)` below computes epochs with `Date.UTC`.
 */
type Row = [string, number, string | null, Partial<Expect>?];
interface Expect {
  num: number;
  numAlt: number;
  format: string;
  epoch: number;
  epochDmy: number;
  epochMdy: number;
  dateOrder: number;
  tzUnspecified: boolean;
  sentinel: string;
  caseClass: number;
}

const d = (y: number, m: number, day: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, m - 1, day, h, mi, s) / 1000;

const TABLE: Row[] = [
  // §1 cell states
  ['', CellState.EMPTY, null],
  [' ', CellState.WHITESPACE, null],
  ['   ', CellState.WHITESPACE, null],
  ['\t\n', CellState.WHITESPACE, null],
  ['\u00a0', CellState.WHITESPACE, null],
  ['\u2007\u202f', CellState.WHITESPACE, null],
  ['\ufeff', CellState.WHITESPACE, null],
  ['NA', S, 'other_string', { sentinel: 'na' }],
  ['n/a', S, 'other_string', { sentinel: 'n/a' }],
  ['N/A', S, 'other_string', { sentinel: 'n/a' }],
  [' NULL ', S, 'other_string', { sentinel: 'null' }],
  ['null', S, 'other_string', { sentinel: 'null' }],
  ['NaN', S, 'other_string', { sentinel: 'nan' }],
  ['-nan', S, 'other_string', { sentinel: '-nan' }],
  ['-NaN', S, 'other_string', { sentinel: '-nan' }],
  ['None', S, 'other_string', { sentinel: 'none' }],
  ['#N/A', S, 'other_string', { sentinel: '#n/a' }],
  ['#N/A N/A', S, 'other_string', { sentinel: '#n/a n/a' }],
  ['#NA', S, 'other_string', { sentinel: '#na' }],
  ['<NA>', S, 'other_string', { sentinel: '<na>' }],
  ['-1.#IND', S, 'other_string', { sentinel: '-1.#ind' }],
  ['1.#QNAN', S, 'other_string', { sentinel: '1.#qnan' }],
  ['-1.#QNAN', S, 'other_string', { sentinel: '-1.#qnan' }],
  ['1.#IND', S, 'other_string', { sentinel: '1.#ind' }],
  ['-', S, 'other_string', { sentinel: '-' }],
  ['--', S, 'other_string', { sentinel: '--' }],
  ['?', S, 'other_string', { sentinel: '?' }],
  ['N.A.', S, 'other_string', { sentinel: 'n.a.' }],
  ['nil', S, 'other_string', { sentinel: 'nil' }],
  ['(null)', S, 'other_string', { sentinel: '(null)' }],
  ['(Blank)', S, 'other_string', { sentinel: '(blank)' }],
  ['undefined', S, 'other_string', { sentinel: 'undefined' }],
  ['MISSING', S, 'other_string', { sentinel: 'missing' }],
  ['\u00a0n/a\t', S, 'other_string', { sentinel: 'n/a' }],
  ['NAN ', S, 'other_string', { sentinel: 'nan' }],
  ['N/A.', P, 'other_string'],
  ['nulls', P, 'other_string'],
  ['---', P, 'other_string'],
  ['NA NA', P, 'other_string'],
  // error tokens are present, invalid values
  ['#DIV/0!', P, 'error_token', { format: 'error:#DIV/0!' }],
  ['#VALUE!', P, 'error_token'],
  ['#REF!', P, 'error_token'],
  ['#NAME?', P, 'error_token'],
  ['#NUM!', P, 'error_token'],
  ['#NULL!', P, 'error_token'],
  ['#value!', P, 'error_token'],
  ['#VALUE', P, 'other_string'],
  // bool
  ['true', P, 'bool', { format: 'bool:true/false:lower' }],
  ['FALSE', P, 'bool', { format: 'bool:true/false:UPPER' }],
  ['Yes', P, 'bool', { format: 'bool:yes/no:Title' }],
  ['no', P, 'bool', { format: 'bool:yes/no:lower' }],
  ['Y', P, 'bool', { format: 'bool:y/n:UPPER' }],
  ['n', P, 'bool', { format: 'bool:y/n:lower' }],
  ['T', P, 'bool', { format: 'bool:t/f:UPPER' }],
  ['f', P, 'bool', { format: 'bool:t/f:lower' }],
  ['tRuE', P, 'bool', { format: 'bool:true/false:mixed' }],
  ['yeſ', P, 'bool', { format: 'bool:yes/no:lower' }],
  [' yes ', P, 'bool'],
  ['on', P, 'other_string'],
  ['truee', P, 'other_string'],
  ['ja', P, 'other_string'],
  // int and digit_code
  ['0', P, 'int', { num: 0, format: 'int' }],
  ['1', P, 'int', { num: 1 }],
  ['-0', P, 'int', { num: -0 }],
  ['+0', P, 'int', { num: 0, format: 'int:+' }],
  ['42', P, 'int', { num: 42 }],
  ['-17', P, 'int', { num: -17, format: 'int' }],
  ['+8', P, 'int', { num: 8, format: 'int:+' }],
  ['1234567890123', P, 'int', { num: 1234567890123 }],
  ['12345678901234567890', P, 'int', { num: 12345678901234567890 }],
  ['9007199254740993', P, 'int', { num: 9007199254740992 }],
  ['+15551234567', P, 'int', { num: 15551234567 }],
  ['00', P, 'digit_code', { num: 0, format: 'digit_code:2' }],
  ['0123', P, 'digit_code', { num: 123, format: 'digit_code:4' }],
  ['02134', P, 'digit_code', { num: 2134, format: 'digit_code:5' }],
  ['-0123', P, 'other_string'],
  ['+01', P, 'other_string'],
  // dec_dot
  ['1.5', P, 'dec_dot', { num: 1.5, format: 'decimal:dot' }],
  ['-0.25', P, 'dec_dot', { num: -0.25 }],
  ['+3.0', P, 'dec_dot', { num: 3, format: 'decimal:dot:+' }],
  ['.5', P, 'dec_dot', { num: 0.5, format: 'decimal:dot:.5' }],
  ['5.', P, 'dec_dot', { num: 5, format: 'decimal:dot:5.' }],
  ['1.5e3', P, 'dec_dot', { num: 1500, format: 'decimal:dot:exp' }],
  ['6.123e-1', P, 'dec_dot', { num: 0.6123 }],
  ['1.5E-3', P, 'dec_dot', { num: 0.0015 }],
  ['-.5e+2', P, 'dec_dot', { num: -50 }],
  ['0.1', P, 'dec_dot', { num: 0.1 }],
  ['1.234', P, 'dec_dot', { num: 1.234 }],
  ['007.5', P, 'dec_dot', { num: 7.5 }],
  ['3.14159265358979323846', P, 'dec_dot', { num: 3.141592653589793 }],
  ['1.7976931348623157e308', P, 'dec_dot', { num: 1.7976931348623157e308 }],
  ['1.5e999', P, 'dec_dot', { num: Infinity }],
  ['1e5', P, 'other_string'],
  ['1.2.3', P, 'other_string'],
  ['.', P, 'other_string'],
  ['1.5e', P, 'other_string'],
  // dec_comma and ambiguous_group
  ['1,23', P, 'dec_comma', { num: 1.23, format: 'decimal:comma' }],
  ['1,5', P, 'dec_comma', { num: 1.5 }],
  ['-12,75', P, 'dec_comma', { num: -12.75 }],
  ['1234,567', P, 'dec_comma', { num: 1234.567 }],
  ['0,5', P, 'dec_comma', { num: 0.5 }],
  ['1,234', P, 'ambiguous_group', { num: 1234, numAlt: 1.234, format: 'number:ambiguous_group' }],
  ['-1,234', P, 'ambiguous_group', { num: -1234, numAlt: -1.234 }],
  ['999,999', P, 'ambiguous_group', { num: 999999 }],
  ['0,500', P, 'ambiguous_group', { num: 500, numAlt: 0.5 }],
  // grouped numbers
  ['1,234,567', P, 'grouped_us', { num: 1234567, format: 'number:grouped_us' }],
  ['1,234.5', P, 'grouped_us', { num: 1234.5 }],
  ['-12,345.67', P, 'grouped_us', { num: -12345.67 }],
  ['+1,000', P, 'ambiguous_group', { num: 1000, format: 'number:ambiguous_group:+' }],
  ['+1,000.5', P, 'grouped_us', { num: 1000.5, format: 'number:grouped_us:+' }],
  ['1,23,456', P, 'other_string'],
  ['1.234.567', P, 'grouped_eu', { num: 1234567, format: 'number:grouped_eu' }],
  ['1.234,5', P, 'grouped_eu', { num: 1234.5 }],
  ['-1.234,56', P, 'grouped_eu', { num: -1234.56 }],
  ['1 234', P, 'grouped_space', { num: 1234, format: 'number:grouped_space:space' }],
  ['12 345 678', P, 'grouped_space', { num: 12345678 }],
  ['1 234,5', P, 'grouped_space', { num: 1234.5, format: 'number:grouped_space:space:comma' }],
  ['1\u00a0234,50', P, 'grouped_space', { num: 1234.5, format: 'number:grouped_space:nbsp:comma' }],
  ['1\u202f234', P, 'grouped_space', { num: 1234, format: 'number:grouped_space:nnbsp' }],
  ["1'234'567.89", P, 'grouped_space', { num: 1234567.89, format: 'number:grouped_space:apostrophe:dot' }],
  ['-1 234', P, 'other_string'],
  ['1 2345', P, 'other_string'],
  // currency
  ['$5', P, 'currency', { num: 5, format: 'currency:$N:int' }],
  ['$1,234.56', P, 'currency', { num: 1234.56, format: 'currency:$N:grouped_us' }],
  ['-$5', P, 'currency', { num: -5 }],
  ['$-5', P, 'currency', { num: -5 }],
  ['$ 5', P, 'currency', { num: 5, format: 'currency:$ N:int' }],
  ['€12,50', P, 'currency', { num: 12.5, format: 'currency:€N:comma' }],
  ['12,50 €', P, 'currency', { num: 12.5, format: 'currency:N €:comma' }],
  ['12,50\u00a0€', P, 'currency', { num: 12.5 }],
  ['1.234,56 €', P, 'currency', { num: 1234.56, format: 'currency:N €:grouped_eu' }],
  ['£3', P, 'currency', { num: 3 }],
  ['¥1000', P, 'currency', { num: 1000 }],
  ['₹250.75', P, 'currency', { num: 250.75, format: 'currency:₹N:dot' }],
  ['USD 100', P, 'currency', { num: 100, format: 'currency:CCC N:int' }],
  ['100 USD', P, 'currency', { num: 100, format: 'currency:N CCC:int' }],
  ['EUR1.234,56', P, 'currency', { num: 1234.56 }],
  ["CHF 1'234.50", P, 'currency', { num: 1234.5 }],
  ['(1,234.00)', P, 'currency', { num: -1234, format: 'currency:(N):grouped_us' }],
  ['($5.00)', P, 'currency', { num: -5, format: 'currency:($N):dot' }],
  ['$(5.00)', P, 'currency', { num: -5, format: 'currency:$(N):dot' }],
  ['(5 €)', P, 'currency', { num: -5 }],
  ['(5)', P, 'currency', { num: -5 }],
  ['$1,234', P, 'currency', { num: 1234, format: 'currency:$N:ambiguous_group' }],
  ['₹1,00,000', P, 'other_string'],
  ['usd 5', P, 'other_string'],
  ['ABC 5', P, 'other_string'],
  ['$', P, 'other_string'],
  ['-(5)', P, 'other_string'],
  ['$5 USD', P, 'other_string'],
  ['$5 and 6', P, 'free_text'],
  // percent
  ['5%', P, 'percent', { num: 5, format: 'percent:N%:int' }],
  ['12.5 %', P, 'percent', { num: 12.5, format: 'percent:N %:dot' }],
  ['-3%', P, 'percent', { num: -3 }],
  ['+1,5%', P, 'percent', { num: 1.5, format: 'percent:+N%:comma' }],
  ['1,234.5%', P, 'percent', { num: 1234.5 }],
  ['%5', P, 'other_string'],
  ['5%%', P, 'other_string'],
  // iso_date / iso_datetime
  ['2023-02-28', P, 'iso_date', { epoch: d(2023, 2, 28), format: 'iso_date', tzUnspecified: false }],
  ['2024-02-29', P, 'iso_date', { epoch: d(2024, 2, 29) }],
  ['1969-12-31', P, 'iso_date', { epoch: -86400 }],
  // invalid calendar dates are not dates; by METRICS order the digits-and-dashes shape is a loose phone
  ['2023-02-30', P, 'phone'],
  ['2023-02-29', P, 'phone'],
  ['0000-00-00', P, 'phone'],
  ['2023-13-01', P, 'phone'],
  ['2021-03-04T12:34:56Z', P, 'iso_datetime', { epoch: d(2021, 3, 4, 12, 34, 56), format: 'iso_datetime:T:Z', tzUnspecified: false }],
  ['2021-03-04 12:34:56', P, 'iso_datetime', { epoch: d(2021, 3, 4, 12, 34, 56), format: 'iso_datetime:space:naive', tzUnspecified: true }],
  ['2021-03-04T12:34', P, 'iso_datetime', { epoch: d(2021, 3, 4, 12, 34), format: 'iso_datetime:T:hm:naive' }],
  ['2021-03-04T12:34:56.250+05:30', P, 'iso_datetime', { epoch: d(2021, 3, 4, 7, 4, 56) + 0.25, format: 'iso_datetime:T:frac:offset' }],
  ['2021-03-04t12:34:56z', P, 'iso_datetime', { epoch: d(2021, 3, 4, 12, 34, 56) }],
  ['2021-03-04T12:34:56-0800', P, 'iso_datetime', { epoch: d(2021, 3, 4, 20, 34, 56), format: 'iso_datetime:T:offset_basic' }],
  ['2021-03-04T12:34:56+02', P, 'iso_datetime', { epoch: d(2021, 3, 4, 10, 34, 56) }],
  ['2016-12-31T23:59:60Z', P, 'iso_datetime', { epoch: d(2017, 1, 1) }],
  ['2021-03-04T24:00:00', P, 'other_string'],
  ['2021-03-04 24:00', P, 'other_string'],
  ['2021-03-04T12:34:56 UTC', P, 'other_string'],
  ['2021-03-04T12:34:5', P, 'other_string'],
  // date_sep
  ['12/31/2020', P, 'date_sep', { dateOrder: DateOrder.MDY_ONLY, epochMdy: d(2020, 12, 31), epochDmy: NaN, epoch: d(2020, 12, 31), format: 'date:MM/DD/YYYY' }],
  ['31/12/2020', P, 'date_sep', { dateOrder: DateOrder.DMY_ONLY, epochDmy: d(2020, 12, 31), epochMdy: NaN, format: 'date:DD/MM/YYYY' }],
  ['31.12.2020', P, 'date_sep', { dateOrder: DateOrder.DMY_ONLY, epochDmy: d(2020, 12, 31), format: 'date:DD.MM.YYYY' }],
  ['05.06.2020', P, 'date_sep', { dateOrder: DateOrder.DMY_ONLY, epochDmy: d(2020, 6, 5), epochMdy: d(2020, 5, 6), epoch: d(2020, 6, 5) }],
  ['01/02/03', P, 'date_sep', { dateOrder: DateOrder.AMBIGUOUS, epochDmy: d(2003, 2, 1), epochMdy: d(2003, 1, 2), epoch: NaN, format: 'date:?/?/YY' }],
  ['1/2/68', P, 'date_sep', { epochMdy: d(2068, 1, 2) }],
  ['1/2/69', P, 'date_sep', { epochMdy: d(1969, 1, 2) }],
  ['12-31-2020', P, 'date_sep', { dateOrder: DateOrder.MDY_ONLY, format: 'date:MM-DD-YYYY' }],
  ['02/29/2020', P, 'date_sep', { dateOrder: DateOrder.MDY_ONLY, epochMdy: d(2020, 2, 29) }],
  ['1/2/96 0:00', P, 'date_sep', { dateOrder: DateOrder.AMBIGUOUS, epochMdy: d(1996, 1, 2), epochDmy: d(1996, 2, 1), tzUnspecified: true, format: 'date:?/?/YY HH:MM' }],
  ['3/14/2021 1:05 PM', P, 'date_sep', { epochMdy: d(2021, 3, 14, 13, 5), epoch: d(2021, 3, 14, 13, 5), format: 'date:MM/DD/YYYY hh:mm AM' }],
  ['3/14/2021, 12:05:09 AM', P, 'date_sep', { epochMdy: d(2021, 3, 14, 0, 5, 9) }],
  ['13/13/2020', P, 'other_string'],
  ['31/02/2020', P, 'other_string'],
  ['02/29/2021', P, 'other_string'],
  ['0/5/2020', P, 'other_string'],
  ['1/2/199', P, 'other_string'],
  ['1/2-2020', P, 'other_string'],
  ['12/31/2020T10:00', P, 'other_string'],
  ['3/4/2021 25:00', P, 'other_string'],
  // date_named
  ['Jun 12 1998', P, 'date_named', { epoch: d(1998, 6, 12), format: 'date:Mon D YYYY' }],
  ['Jun 12, 1998', P, 'date_named', { epoch: d(1998, 6, 12), format: 'date:Mon D, YYYY' }],
  ['12 Jun 1998', P, 'date_named', { epoch: d(1998, 6, 12), format: 'date:D Mon YYYY' }],
  ['12 June 1998', P, 'date_named', { epoch: d(1998, 6, 12), format: 'date:D Month YYYY' }],
  ['September 5, 2020', P, 'date_named', { epoch: d(2020, 9, 5), format: 'date:Month D, YYYY' }],
  ['Sept. 5, 2020', P, 'date_named', { epoch: d(2020, 9, 5), format: 'date:Mon. D, YYYY' }],
  ['JUN 12 1998', P, 'date_named', { format: 'date:MON D YYYY' }],
  ['jun 12 1998', P, 'date_named', { format: 'date:mon D YYYY' }],
  ['Feb 29 2020', P, 'date_named', { epoch: d(2020, 2, 29) }],
  ['Feb 29 2021', P, 'free_text'],
  ['Jun 31 1998', P, 'free_text'],
  ['Juni 12 1998', P, 'free_text'],
  ['12-Jun-1998', P, 'other_string'],
  ['Jun 12 98', P, 'free_text'],
  // time
  ['12:30', P, 'time', { format: 'time:HH:MM' }],
  ['1:05 PM', P, 'time', { format: 'time:hh:mm AM' }],
  ['7:30am', P, 'time', { format: 'time:hh:mmAM' }],
  ['23:59:59', P, 'time', { format: 'time:HH:MM:SS' }],
  ['00:00:00.000', P, 'time', { format: 'time:HH:MM:SS.f' }],
  ['24:00', P, 'other_string'],
  ['12:60', P, 'other_string'],
  ['13:00 PM', P, 'other_string'],
  ['1:5', P, 'other_string'],
  // uuid
  ['89cc3964-5203-439f-b5c6-213227be3b3f', P, 'uuid', { format: 'uuid:lower' }],
  ['89CC3964-5203-439F-B5C6-213227BE3B3F', P, 'uuid', { format: 'uuid:UPPER' }],
  ['89cc3964-5203-439F-b5c6-213227be3b3f', P, 'uuid', { format: 'uuid:mixed' }],
  ['Ab000000-0000-0000-0000-000000000000', P, 'uuid', { format: 'uuid:mixed', caseClass: CaseClass.TITLE }],
  ['A0000000-0000-0000-0000-000000000000', P, 'uuid', { format: 'uuid:UPPER', caseClass: CaseClass.UPPER }],
  ['89cc3964-5203-439f-b5c6-213227be3b3g', P, 'other_string'],
  ['89cc3964-5203-439f-b5c6-213227be-b3f', P, 'other_string'],
  ['89cc39645203-439f-b5c6-213227be3b3f0', P, 'other_string'],
  // email
  ['a@b.com', P, 'email', { format: 'email:lower' }],
  ['John.Doe@Example.co.uk', P, 'email', { format: 'email:mixed' }],
  ['JOHN@EXAMPLE.COM', P, 'email', { format: 'email:UPPER' }],
  ['mailto:a@b.com', P, 'email'],
  ['a@b.c', P, 'other_string'],
  ['a@@b.com', P, 'other_string'],
  ['@b.com', P, 'other_string'],
  ['x@.com', P, 'other_string'],
  ['x@a.com;y@b.com', P, 'other_string'],
  ['john at example.com', P, 'free_text'],
  // url
  ['http://example.org', P, 'url', { format: 'url:lower' }],
  ['HTTPS://x.io/a?b=1', P, 'url'],
  ['ftp://files.example.com', P, 'url'],
  ['http:///x', P, 'other_string'],
  ['http://.x', P, 'other_string'],
  ['file:///etc/passwd', P, 'other_string'],
  // phone
  ['(555) 123-4567', P, 'phone', { format: 'phone:national:parens' }],
  ['555-123-4567', P, 'phone', { format: 'phone:national' }],
  ['555.123.4567', P, 'phone'],
  ['+1 869 605 2325', P, 'phone', { format: 'phone:intl' }],
  ['+44 20 7946 0958', P, 'phone'],
  ['555-0100', P, 'phone'],
  ['000-000-0000', P, 'phone'],
  ['123-45-6789', P, 'phone'],
  ['555-01', P, 'other_string'],
  ['555-123-4567 x12', P, 'other_string'],
  // free_text / other_string
  ['the customer called', P, 'free_text', { format: 'free_text:lower' }],
  ['a b c', P, 'free_text'],
  ['x'.repeat(65), P, 'free_text'],
  ['x'.repeat(64), P, 'other_string'],
  ['hello world', P, 'other_string', { format: 'text:lower' }],
  ['1998Q1', P, 'other_string', { format: 'text:UPPER' }],
  ['KE-8264', P, 'other_string', { format: 'text:UPPER' }],
  ['ke-8264', P, 'other_string', { format: 'text:lower' }],
  ['Chloé Dubois', P, 'other_string', { format: 'text:Title', caseClass: CaseClass.TITLE }],
  ["O'Brien", P, 'other_string', { caseClass: CaseClass.TITLE }],
  ['McDonald', P, 'other_string', { caseClass: CaseClass.MIXED, format: 'text:mixed' }],
  ['!!!', P, 'other_string', { caseClass: CaseClass.NONE, format: 'text:none' }],
  ['東京', P, 'other_string', { caseClass: CaseClass.NONE }],
];

describe('classifyCell: table of METRICS edge cases', () => {
  it('has at least 150 cases', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(150);
  });

  const info = createCellInfo();
  it.each(TABLE)('%j', (raw, state, cls, want) => {
    expect(classifyCell(raw, info)).toBe(state);
    expect(info.state).toBe(state);
    if (cls === null) {
      expect(info.valueClass).toBe(-1);
      expect(info.format).toBe(-1);
    } else {
      expect(valueClassName(info.valueClass)).toBe(cls);
      expect(formatClass(info.format)).toBe(info.valueClass);
    }
    if (!want) return;
    if (want.num !== undefined) expect(info.num).toBe(want.num);
    if (want.numAlt !== undefined) expect(info.numAlt).toBe(want.numAlt);
    if (want.format !== undefined) expect(formatName(info.format)).toBe(want.format);
    if (want.epoch !== undefined) expect(info.epoch).toBe(want.epoch);
    if (want.epochDmy !== undefined) expect(info.epochDmy).toBe(want.epochDmy);
    if (want.epochMdy !== undefined) expect(info.epochMdy).toBe(want.epochMdy);
    if (want.dateOrder !== undefined) expect(info.dateOrder).toBe(want.dateOrder);
    if (want.tzUnspecified !== undefined) expect(info.tzUnspecified).toBe(want.tzUnspecified);
    if (want.sentinel !== undefined) expect(SENTINEL_TOKENS[info.sentinelId]).toBe(want.sentinel);
    if (want.caseClass !== undefined) expect(info.caseClass).toBe(want.caseClass);
  });
});

describe('classifyCell: cell info fields', () => {
  const info = createCellInfo();

  it('returns the very string when there is nothing to trim, and trims otherwise', () => {
    const raw = 'abc';
    classifyCell(raw, info);
    expect(info.trimmed).toBe(raw);
    classifyCell('\u00a0 abc\t', info);
    expect(info.trimmed).toBe('abc');
  });

  it('counts length in code points', () => {
    classifyCell('𝐀b', info);
    expect(info.length).toBe(2);
    classifyCell(' café ', info);
    expect(info.length).toBe(4);
  });

  it('exposes digit counts for column-level reinterpretations (ZIP, epoch seconds)', () => {
    classifyCell('1614861296', info);
    expect(info.valueClass).toBe(ValueClass.INT);
    expect(info.isAllDigits).toBe(true);
    expect(info.digitCount).toBe(10);
    classifyCell('-12', info);
    expect(info.isAllDigits).toBe(false);
    expect(info.digitCount).toBe(2);
  });

  it('resets per-cell fields between calls', () => {
    classifyCell('12/31/2020', info);
    classifyCell('hello', info);
    expect(info.dateOrder).toBe(DateOrder.NONE);
    expect(info.epochMdy).toBeNaN();
    expect(info.num).toBeNaN();
    classifyCell('2021-03-04 12:00', info);
    expect(info.tzUnspecified).toBe(true);
    classifyCell('', info);
    expect(info.tzUnspecified).toBe(false);
    expect(info.hygiene).toBe(0);
    expect(info.sentinelId).toBe(-1);
  });
});

describe('dateSepFormat', () => {
  const info = createCellInfo();
  const keyOf = (raw: string): number => {
    classifyCell(raw, info);
    return info.format;
  };

  it('gives ambiguous cells the column order and leaves cells with own evidence alone', () => {
    expect(formatName(dateSepFormat(keyOf('01/02/2020'), 'dmy'))).toBe('date:DD/MM/YYYY');
    expect(formatName(dateSepFormat(keyOf('01/02/2020'), 'mdy'))).toBe('date:MM/DD/YYYY');
    expect(formatName(dateSepFormat(keyOf('01/02/2020'), 'ambiguous'))).toBe('date:?/?/YYYY');
    expect(formatName(dateSepFormat(keyOf('31/12/2020'), 'mdy'))).toBe('date:DD/MM/YYYY');
    expect(formatName(dateSepFormat(keyOf('12/31/2020'), 'dmy'))).toBe('date:MM/DD/YYYY');
  });

  it('makes an ambiguous cell and an evidenced cell of the same order share one key', () => {
    expect(dateSepFormat(keyOf('01/02/2020'), 'mdy')).toBe(keyOf('12/31/2020'));
    expect(dateSepFormat(keyOf('1/2/96 0:00'), 'dmy')).toBe(keyOf('31/1/96 10:00'));
  });

  it('returns keys of other classes unchanged', () => {
    const iso = keyOf('2020-01-02');
    expect(dateSepFormat(iso, 'dmy')).toBe(iso);
  });
});

describe('formatName', () => {
  it('distinguishes the spellings METRICS §2.5 calls format changes', () => {
    const info = createCellInfo();
    const name = (raw: string): string => {
      classifyCell(raw, info);
      return formatName(info.format);
    };
    expect(name('FALSE')).not.toBe(name('no'));
    expect(name('US-CA')).not.toBe(name('us-ca'));
    expect(name('2016-03-01')).not.toBe(name('03/01/2016'));
    expect(name('1,234.50')).not.toBe(name('1.234,50'));
    expect(name('$5')).not.toBe(name('5 €'));
    expect(name('-5')).toBe(name('5'));
  });

  it('rejects keys that are not format keys', () => {
    expect(() => formatName(-1)).toThrow(RangeError);
    expect(() => formatName(23 * 1024)).toThrow(/not a format key/);
  });
});
