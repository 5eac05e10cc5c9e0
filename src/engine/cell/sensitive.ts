/**
 * Detection and masking of personal values, so that top values and examples of sensitive
 * columns never leave the engine in clear. A column calls {@link looksSensitive} on the values
 * it keeps (its top-k dictionary) and masks the column when they mostly look sensitive.
 */

/** Kinds of sensitive value the engine recognises. */
export type SensitiveKind = 'email' | 'phone' | 'card' | 'national_id';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/u;
const SSN_RE = /^\d{3}-\d{2}-\d{4}$/;
// 13–19 digits, optionally grouped by single spaces or dashes
const CARD_RE = /^\d(?:[ -]?\d){12,18}$/;
const PHONE_E164_RE = /^\+[1-9]\d{6,14}$/;
const PHONE_LOOSE_RE = /^[+(]?[\d\s().-]{7,20}$/u;
const DATE_SHAPE_RE = /^(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})$/;
const DECIMAL_RE = /^[+-]?\d+\.\d+$/;

/** True when the digits of `digits` pass the Luhn check (payment card check digit). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * Which kind of sensitive value `value` looks like, or null:
 * - `email`: the email rule of METRICS §2.1;
 * - `national_id`: a US SSN `^\d{3}-\d{2}-\d{4}$`;
 * - `card`: 13–19 digits (single spaces or dashes allowed between them) that pass Luhn and
 *   start with 2–6, the first digits of the card networks (this keeps 13-digit epoch
 *   milliseconds and most long ids out);
 * - `phone`: E.164, or the loose phone rule with 7–15 digits written with a `+`, parentheses
 *   or separators (a bare run of digits is more often an id or an amount), except date shapes
 *   and plain decimals, signed or not (`-33.9461111547` is a coordinate).
 *
 * @example
 * looksSensitive('4111 1111 1111 1111'); // 'card'
 * looksSensitive('Paris');               // null
 */
export function looksSensitive(value: string): SensitiveKind | null {
  const v = value.trim();
  if (v === '') return null;
  if (EMAIL_RE.test(v)) return 'email';
  if (SSN_RE.test(v)) return 'national_id';
  if (CARD_RE.test(v)) {
    const digits = v.replace(/[ -]/g, '');
    const first = digits.charCodeAt(0) - 48;
    if (first >= 2 && first <= 6 && passesLuhn(digits)) return 'card';
  }
  if (PHONE_E164_RE.test(v)) return 'phone';
  if (PHONE_LOOSE_RE.test(v) && !DATE_SHAPE_RE.test(v) && !DECIMAL_RE.test(v)) {
    const digitCount = v.replace(/\D/g, '').length;
    const written = /^[+(]/.test(v) || /\d[\s().-]+\d/u.test(v);
    if (digitCount >= 7 && digitCount <= 15 && written) return 'phone';
  }
  return null;
}

/** Masks every digit but the last `keep`, leaving separators in place. */
function maskDigits(value: string): string {
  const total = value.replace(/\D/g, '').length;
  const keep = total >= 9 ? 4 : total >= 6 ? 2 : 0;
  let seen = 0;
  let out = '';
  for (const ch of value) {
    if (ch >= '0' && ch <= '9') {
      seen++;
      out += seen > total - keep ? ch : '*';
    } else out += ch;
  }
  return out;
}

/**
 * A masked rendering of a sensitive value that keeps just enough to recognise its shape:
 * emails keep the first character of the local part and of the domain, and the top-level
 * domain; numbers keep their separators and their last 4 digits (2 when they have fewer than
 * 9 digits, none below 6). `other` (a column the contract marks sensitive) keeps the first
 * character only.
 *
 * @example
 * maskValue('jane.doe@example.com', 'email'); // 'j***@e***.com'
 * maskValue('555-123-1234', 'phone');         // '***-***-1234'
 * maskValue('4111 1111 1111 1234', 'card');   // '**** **** **** 1234'
 */
export function maskValue(value: string, kind: SensitiveKind | 'other'): string {
  const v = value.trim();
  switch (kind) {
    case 'email': {
      const at = v.lastIndexOf('@');
      if (at <= 0) return maskValue(v, 'other');
      const domain = v.slice(at + 1);
      const dot = domain.lastIndexOf('.');
      const tld = dot > 0 ? domain.slice(dot) : '';
      return `${[...v][0]}***@${domain.length > 0 ? [...domain][0] : ''}***${tld}`;
    }
    case 'phone':
    case 'card':
    case 'national_id':
      return maskDigits(v);
    case 'other':
      return v.length === 0 ? '' : `${[...v][0]}***`;
    default:
      throw new TypeError(`maskValue: unknown sensitive kind ${JSON.stringify(kind)}`);
  }
}
