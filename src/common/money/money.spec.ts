import { Decimal, formatMoney, parseMoney } from './money.js';

describe('money', () => {
  it('formats with exactly two places', () => {
    expect(formatMoney(new Decimal('19.9'))).toBe('19.90');
    expect(formatMoney('5')).toBe('5.00');
    expect(formatMoney('19.99')).toBe('19.99'); // PostgreSQL's NUMERIC(12,2) text, passed through
    expect(formatMoney('0.5')).toBe('0.50');
    expect(formatMoney('007.10')).toBe('7.10');
  });

  it('adds without floating-point drift', () => {
    expect(formatMoney(parseMoney('0.10')!.plus(parseMoney(0.2)!))).toBe('0.30');
  });

  it('accepts strings and numbers with at most two decimals', () => {
    expect(parseMoney('19.99')?.toFixed(2)).toBe('19.99');
    expect(parseMoney(19.99)?.toFixed(2)).toBe('19.99');
    expect(parseMoney(' 7 ')?.toFixed(2)).toBe('7.00');
  });

  it('rejects more than two decimals, signs, exponents and junk', () => {
    for (const bad of ['1.999', '-1', '1e3', 1e21, 'abc', '', NaN, Infinity, null, {}, '123456789.00']) {
      expect(parseMoney(bad)).toBeUndefined();
    }
  });
});
