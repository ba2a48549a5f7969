import { kysely } from './kysely.js';
import { keysetSql, type Ordering, orderedBy, orderingText, reversed } from './ordering.js';
import { statement } from './statement.js';

const asc = (column: string) => ({ column, direction: 'asc' as const });
const desc = (column: string) => ({ column, direction: 'desc' as const });

const page = (ordering: Ordering, after?: Array<string | number>) =>
  statement(
    kysely
      .selectFrom('Product')
      .select('id')
      .$if(after !== undefined, (q) => q.where(keysetSql(ordering, after!)))
      .$call(orderedBy(ordering)),
  );

describe('orderedBy', () => {
  it('orders by each term in turn', () => {
    expect(page([desc('price'), desc('id')]).text).toBe('select "id" from "Product" order by "price" desc, "id" desc');
  });
});

describe('keysetSql', () => {
  it('is a row comparison when every term goes one way (a btree range)', () => {
    expect(page([asc('price'), asc('id')], ['1.50', 7])).toMatchObject({
      text: 'select "id" from "Product" where ("price", "id") > ($1, $2) order by "price" asc, "id" asc',
      values: ['1.50', 7],
    });
    expect(page([desc('createdAt'), desc('id')], ['2026-11-25T10:00:00.000Z', 7]).text).toContain('("createdAt", "id") < ($1, $2)');
  });

  it('bounds the leading column and expands the rest for mixed directions, each key value one parameter', () => {
    expect(page([desc('price'), asc('name'), asc('id')], ['1.50', 'Mug', 7])).toMatchObject({
      text:
        'select "id" from "Product" where "price" <= $1 AND (("price" < $1) OR ("price" = $1 AND "name" > $2) OR ("price" = $1 AND "name" = $2 AND "id" > $3))' +
        ' order by "price" desc, "name" asc, "id" asc',
      values: ['1.50', 'Mug', 7],
    });
  });
});

describe('reversed and orderingText', () => {
  it('flips every direction and prints the ordering as a cursor records it', () => {
    const ordering = [desc('price'), desc('id')];
    expect(orderingText(ordering)).toBe('price desc,id desc');
    expect(orderingText(reversed(ordering), ', ')).toBe('price asc, id asc');
  });
});
