import { PG_INT_MAX, parseCanonicalInt } from './canonical-int.js';

describe('parseCanonicalInt', () => {
  it.each([
    ['1', 1],
    ['16', 16],
    ['2147483647', PG_INT_MAX],
  ])('reads %p as %p', (text, value) => {
    expect(parseCanonicalInt(text, 1, PG_INT_MAX)).toBe(value);
  });

  it.each([
    '0x10',
    '16e0',
    '1e3',
    '0b10000',
    '1.6e1',
    '16.0',
    '+16',
    '-16',
    ' 16',
    '16 ',
    '016',
    '',
    '0',
    '2147483648',
    '99999999999999999999',
    '１６',
    '16\u0000',
    'Infinity',
    'NaN',
  ])('rejects %p', (text) => {
    expect(parseCanonicalInt(text, 1, PG_INT_MAX)).toBeUndefined();
  });

  it('rejects anything that is not a string', () => {
    for (const value of [16, 16n, null, undefined, ['16'], { 0: '16' }]) expect(parseCanonicalInt(value, 1, PG_INT_MAX)).toBeUndefined();
  });

  it('honours the range', () => {
    expect(parseCanonicalInt('0', 0, 10)).toBe(0);
    expect(parseCanonicalInt('11', 0, 10)).toBeUndefined();
  });
});
