import { describe, expect, it } from 'vitest';
import { looksSensitive, maskValue, passesLuhn } from './sensitive.js';

describe('passesLuhn', () => {
  it('accepts published test card numbers and rejects a changed digit', () => {
    for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4012888888881881']) {
      expect(passesLuhn(n), n).toBe(true);
    }
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('')).toBe(false);
  });
});

describe('looksSensitive', () => {
  it.each([
    ['jane.doe@example.com', 'email'],
    [' JANE@EXAMPLE.COM ', 'email'],
    ['4111 1111 1111 1111', 'card'],
    ['4111-1111-1111-1111', 'card'],
    ['4111111111111111', 'card'],
    ['378282246310005', 'card'],
    ['123-45-6789', 'national_id'],
    ['(555) 123-4567', 'phone'],
    ['555-123-4567', 'phone'],
    ['555.123.4567', 'phone'],
    ['+1 869 605 2325', 'phone'],
    ['+15551234567', 'phone'],
    ['+44 20 7946 0958', 'phone'],
    ['555-0100', 'phone'],
    ['4111111111111112', null],
    ['1609459200000', null],
    ['5551234567', null],
    ['2021-03-04', null],
    ['12/31/2020', null],
    ['1234567.89', null],
    ['123', null],
    ['Paris', null],
    ['', null],
    ['john at example.com', null],
  ])('%j → %j', (value, kind) => {
    expect(looksSensitive(value)).toBe(kind);
  });
});

describe('maskValue', () => {
  it.each([
    ['jane.doe@example.com', 'email', 'j***@e***.com'],
    ['bob@mail.example.co.uk', 'email', 'b***@m***.uk'],
    ['555-123-1234', 'phone', '***-***-1234'],
    ['(555) 123-4567', 'phone', '(***) ***-4567'],
    ['+1 869 605 2325', 'phone', '+* *** *** 2325'],
    ['555-0100', 'phone', '***-**00'],
    ['4111 1111 1111 1234', 'card', '**** **** **** 1234'],
    ['4111111111111234', 'card', '************1234'],
    ['123-45-6789', 'national_id', '***-**-6789'],
    ['Sensitive Name', 'other', 'S***'],
    ['noatsign', 'email', 'n***'],
  ] as const)('%j as %s → %j', (value, kind, masked) => {
    expect(maskValue(value, kind)).toBe(masked);
  });

  it('never returns a detected value in clear', () => {
    const samples = ['jane.doe@example.com', '4111 1111 1111 1111', '123-45-6789', '(555) 123-4567', '+15551234567'];
    for (const s of samples) {
      const kind = looksSensitive(s);
      expect(kind, s).not.toBeNull();
      const masked = maskValue(s, kind!);
      expect(masked).not.toBe(s);
      expect(masked.replace(/\D/g, '').length).toBeLessThanOrEqual(4);
    }
  });

  it('rejects an unknown kind', () => {
    expect(() => maskValue('x', 'ssn' as never)).toThrow(TypeError);
  });
});
