import { ProblemException } from '../problems/problem.exception.js';
import { orderingText, reversed } from '../../database/ordering.js';
import { parseOrdering } from './ordering.js';

const FIELDS = { id: 'id', price: 'price', name: 'name', created: 'createdAt' } as const;

describe('parseOrdering', () => {
  it('parses fields and directions against the whitelist, id last as the tiebreak in the last direction', () => {
    expect(parseOrdering('-price,name', FIELDS, 'id')).toEqual([
      { column: 'price', direction: 'desc' },
      { column: 'name', direction: 'asc' },
      { column: 'id', direction: 'asc' },
    ]);
    expect(parseOrdering('-created', FIELDS, 'id')).toEqual([
      { column: 'createdAt', direction: 'desc' },
      { column: 'id', direction: 'desc' },
    ]);
  });

  it('uses the fallback for a missing or blank value', () => {
    expect(parseOrdering(undefined, FIELDS, '-price')).toEqual(parseOrdering('-price', FIELDS, 'id'));
    expect(parseOrdering('  ', FIELDS, 'name')).toEqual([
      { column: 'name', direction: 'asc' },
      { column: 'id', direction: 'asc' },
    ]);
  });

  it('keeps an explicit id where it was asked for, and the first of a repeated field', () => {
    expect(parseOrdering('-id,price', FIELDS, 'name')).toEqual([
      { column: 'id', direction: 'desc' },
      { column: 'price', direction: 'asc' },
    ]);
    expect(parseOrdering('price, -price ,,', FIELDS, 'id')).toEqual([
      { column: 'price', direction: 'asc' },
      { column: 'id', direction: 'asc' },
    ]);
  });

  it('refuses fields outside the whitelist (inherited names included) with a 400 naming them', () => {
    for (const raw of ['stock', 'price,-secret', 'constructor', '__proto__']) {
      expect(() => parseOrdering(raw, FIELDS, 'id')).toThrow(ProblemException);
    }
    try {
      parseOrdering('price,-secret,other', FIELDS, 'id');
    } catch (error) {
      expect((error as ProblemException).problem.status).toBe(400);
      expect((error as ProblemException).details.detail).toBe('Unknown ordering field: secret, other');
    }
  });
});

describe('reversed and orderingText', () => {
  it('flips every direction and prints the ordering as a cursor records it', () => {
    const ordering = parseOrdering('-price', FIELDS, 'id');
    expect(orderingText(ordering)).toBe('price desc,id desc');
    expect(orderingText(reversed(ordering))).toBe('price asc,id asc');
  });
});
