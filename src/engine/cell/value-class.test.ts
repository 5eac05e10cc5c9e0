import { describe, expect, it } from 'vitest';
import { isNumericClass, isTemporalClass, VALUE_CLASS_COUNT, ValueClass, valueClassName } from './value-class.js';

describe('ValueClass', () => {
  it('numbers the classes 0…22 without gaps, and names them in snake_case as METRICS does', () => {
    const ids = Object.values(ValueClass).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: VALUE_CLASS_COUNT }, (_, i) => i));
    for (const [key, id] of Object.entries(ValueClass)) expect(valueClassName(id)).toBe(key.toLowerCase());
    expect(valueClassName(ValueClass.ISO_DATE)).toBe('iso_date');
    expect(valueClassName(ValueClass.DEC_COMMA)).toBe('dec_comma');
    expect(Object.isFrozen(ValueClass)).toBe(true);
  });

  it('rejects unknown ids', () => {
    expect(() => valueClassName(23)).toThrow(RangeError);
    expect(() => valueClassName(-1)).toThrow(/unknown value class id -1/);
  });

  it('groups numeric and temporal classes', () => {
    expect(isNumericClass(ValueClass.PERCENT)).toBe(true);
    expect(isNumericClass(ValueClass.BOOL)).toBe(false);
    expect(isTemporalClass(ValueClass.DATE_SEP)).toBe(true);
    expect(isTemporalClass(ValueClass.TIME)).toBe(false);
  });
});
