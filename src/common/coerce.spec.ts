import { arrayParam, boolParam, idParam, intParam, INVALID, isIsoDate, stringParam } from './coerce';

describe('parameter coercion', () => {
  it.each([
    [5, 5],
    ['12', 12],
    [' 7 ', 7],
    ['9223372036854775807', null],
    ['9223372036854775808', null],
    [0, null],
    ['0', null],
    [-3, null],
    [1.5, null],
    ['abc', null],
    ['', null],
    [true, null],
    [{}, null],
    [[1], null],
    [Number.MAX_SAFE_INTEGER + 1, null],
    [null, undefined],
    [undefined, undefined],
  ])('idParam(%p) → %p', (input, expected) => {
    expect(idParam(input)).toBe(expected);
  });

  it('string fields take numbers and booleans as text and drop objects', () => {
    expect(stringParam(12)).toBe('12');
    expect(stringParam(false)).toBe('false');
    expect(stringParam({ a: 1 })).toBeUndefined();
    expect(stringParam(['x'])).toBeUndefined();
    expect(stringParam('')).toBe('');
  });

  it('array fields wrap single values and drop nulls', () => {
    expect(arrayParam('api')).toEqual(['api']);
    expect(arrayParam(['a', null, 3])).toEqual(['a', '3']);
    expect(arrayParam(null)).toBeUndefined();
  });

  it('booleans accept the documented spellings only', () => {
    for (const v of [true, 'true', 'TRUE', 1, '1']) expect(boolParam(v)).toBe(true);
    for (const v of [false, 'false', 0, '0']) expect(boolParam(v)).toBe(false);
    for (const v of ['yes', 2, {}, 'truthy']) expect(boolParam(v)).toBe(INVALID);
    expect(boolParam(undefined)).toBeUndefined();
  });

  it('integers accept JSON integers and digit strings', () => {
    expect(intParam('-4')).toBe(-4);
    expect(intParam(30)).toBe(30);
    expect(intParam('3.5')).toBe(INVALID);
    expect(intParam('1e3')).toBe(INVALID);
  });

  it('dates must be real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('24-01-01')).toBe(false);
  });
});
