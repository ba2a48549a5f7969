import { type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { shared } from './parameter.js';

export type SortDirection = 'asc' | 'desc';

/** One key of a list's order: a column and its direction. */
export interface OrderingTerm<Column extends string = string> {
  readonly column: Column;
  readonly direction: SortDirection;
}

/**
 * A list's order, parsed once from the request against the resource's whitelist, `id` last as
 * the tiebreak (common/pagination/ordering.ts parseOrdering). This file is its one adapter to SQL.
 */
export type Ordering<Column extends string = string> = readonly OrderingTerm<Column>[];

/** A cursor's key: the boundary row's value of each ordering column, in the ordering's order. */
export type KeyValue = string | number;

const flip = (direction: SortDirection): SortDirection => (direction === 'asc' ? 'desc' : 'asc');

/** The same keys, every direction reversed (reading a list backwards from a cursor). */
export const reversed = <Column extends string>(ordering: Ordering<Column>): Ordering<Column> =>
  ordering.map(({ column, direction }) => ({ column, direction: flip(direction) }));

/** "price asc,id asc": the ordering as a cursor records it (and, with ", ", as a statement name shows it). */
export const orderingText = (ordering: Ordering, separator = ','): string => ordering.map(({ column, direction }) => `${column} ${direction}`).join(separator);

/** The ORDER BY of a select, for Kysely's `$call`: `.$call(orderedBy(ordering))`. */
export const orderedBy =
  (ordering: Ordering) =>
  <Db, Tables extends keyof Db, Row>(query: SelectQueryBuilder<Db, Tables, Row>): SelectQueryBuilder<Db, Tables, Row> =>
    ordering.reduce((ordered, { column, direction }) => ordered.orderBy(sql.ref(column), direction), query);

const comparison = (direction: SortDirection, strict: boolean) => sql.raw((direction === 'asc' ? '>' : '<') + (strict ? '' : '='));

/**
 * The keyset condition "comes after `key` in `ordering`". One direction throughout: a row
 * comparison, which a btree on those columns reads as a range. Mixed directions: the leading
 * column's bound (so an index on it still starts at the cursor) and the expanded OR. PostgreSQL
 * compares enums in declaration order, timestamps given as ISO text as the instants they are.
 */
export function keysetSql(ordering: Ordering, key: readonly KeyValue[]): RawBuilder<SqlBool> {
  const columns = ordering.map(({ column }) => sql.ref(column));
  const parameters = key.map((value) => shared(value));
  const value = (i: number) => sql.val(parameters[i]);
  const [first] = ordering;
  if (ordering.every(({ direction }) => direction === first.direction)) {
    return sql<SqlBool>`(${sql.join(columns)}) ${comparison(first.direction, true)} (${sql.join(key.map((_, i) => value(i)))})`;
  }
  const alternatives = ordering.map(({ direction }, i) =>
    sql.join(
      [...columns.slice(0, i).map((column, j) => sql`${column} = ${value(j)}`), sql`${columns[i]} ${comparison(direction, true)} ${value(i)}`],
      sql` AND `,
    ),
  );
  return sql<SqlBool>`${columns[0]} ${comparison(first.direction, false)} ${value(0)} AND ((${sql.join(alternatives, sql`) OR (`)}))`;
}
