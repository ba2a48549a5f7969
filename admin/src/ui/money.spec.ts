import { twoPlaces } from './money';

describe('twoPlaces', () => {
  it('writes prices with two places, as the API prints them', () => {
    expect(twoPlaces('12')).toBe('12.00');
    expect(twoPlaces('12.5')).toBe('12.50');
    expect(twoPlaces(' 3.20 ')).toBe('3.20');
  });

  it('leaves anything else for the API to refuse, with its message on the field', () => {
    expect(twoPlaces('12.345')).toBe('12.345');
    expect(twoPlaces('abc')).toBe('abc');
    expect(twoPlaces(undefined)).toBeUndefined();
  });
});
