import { describe, expect, it } from 'vitest';
import { parseLocalNumber, readNumberField } from '../../src/calc/parse-number.ts';

describe('reading numbers as readers type them', () => {
  it.each([
    ['2437', 2437],
    [' 2.5 ', 2.5],
    ['2,5', 2.5],
    ['-85', -85],
    ['\u221285', -85],
    ['+20', 20],
    ['.5', 0.5],
    ['٢٤٣٧', 2437],
    ['٢٫٥', 2.5],
    ['۲۴۳۷', 2437],
    ['-۸۵', -85],
  ])('reads %j as %d', (text, value) => {
    expect(parseLocalNumber(text)).toBe(value);
  });

  it.each(['abc', '1e3', '1.2.3', '1,000.5', '--1', '12 km', 'Infinity', 'NaN', '-'])('refuses %j', (text) => {
    expect(parseLocalNumber(text)).toBeNaN();
  });

  it('tells an empty field from a wrong one', () => {
    expect(readNumberField('   ', 'distance')).toEqual({ ok: false, error: { key: 'calc.error.required', field: 'distance' } });
    expect(readNumberField('x', 'distance')).toEqual({ ok: false, error: { key: 'calc.error.notNumber', field: 'distance' } });
    expect(readNumberField('٥', 'distance')).toEqual({ ok: true, value: 5 });
  });
});
