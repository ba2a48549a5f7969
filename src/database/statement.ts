import type { Compilable, CompiledQuery, RawBuilder } from 'kysely';
import type { CustomTypesConfig } from 'pg';
import { kysely } from './kysely.js';
import { Parameter } from './parameter.js';
import { type IsoTimestamps, UTC_TIMESTAMPS_AS_DATES, UTC_TIMESTAMPS_AS_ISO } from './utc-timestamps.js';

/** How a statement's `timestamp(3)` columns arrive: UTC Dates (the default) or ISO strings. */
export type TimestampsAs = 'dates' | 'iso';

/** A statement ready for a pg pool or transaction, with the row type its query gives. */
export interface Statement<Row> {
  readonly text: string;
  readonly values: unknown[];
  /** Named statements are parsed and planned once per connection (the hot paths only). */
  readonly name?: string;
  readonly types: CustomTypesConfig;
  /** Type only: the row type. */
  readonly row?: Row;
}

const TYPES: Record<TimestampsAs, CustomTypesConfig> = { dates: UTC_TIMESTAMPS_AS_DATES, iso: UTC_TIMESTAMPS_AS_ISO };

export interface StatementOptions<As extends TimestampsAs> {
  name?: string;
  timestamps?: As;
}

/** The row a query gives read with those timestamps. */
export type RowAs<Row, As extends TimestampsAs> = As extends 'iso' ? IsoTimestamps<Row> : Row;

/** A query built with `kysely` (the query builder) or Kysely's `sql` template. */
export type Query<Row> = Compilable<Row> | RawBuilder<Row>;

const compile = <Row>(query: Query<Row>): CompiledQuery<Row> => ('isRawBuilder' in query ? query.compile(kysely) : query.compile());

/** Compiles a query for one run (statements whose shape varies per request). */
export function statement<Row, As extends TimestampsAs = 'dates'>(query: Query<Row>, options: StatementOptions<As> = {}): Statement<RowAs<Row, As>> {
  const { sql, parameters } = compile(query);
  return {
    text: sql,
    values: parameters.map((value) => (value instanceof Parameter ? value.value : value)),
    name: options.name,
    types: TYPES[options.timestamps ?? 'dates'],
  };
}

/**
 * A statement compiled once, at start-up, and run as a named prepared statement: the hot paths pay
 * neither Kysely's compilation nor PostgreSQL's parsing and planning per request. `build` gets
 * placeholders typed as the parameters (each one `$n`, however often it is used); every run
 * puts that run's values in their places (constants the query itself holds stay as they are).
 */
export function prepared<Params extends object, Row, As extends TimestampsAs = 'dates'>(
  name: string,
  build: (params: Params) => Query<Row>,
  options: Omit<StatementOptions<As>, 'name'> = {},
): (params: Params) => Statement<RowAs<Row, As>> {
  return precompiled(build, { ...options, name });
}

const preparedByName = new Map<string, unknown>();
/**
 * As `prepared`, for a statement whose name a request picks from a bounded set of shapes (an
 * ordering, a counted expression): compiled the first time its name is asked for, then reused.
 */
export function preparedOnce<Params extends object, Row, As extends TimestampsAs = 'dates'>(
  name: string,
  build: (params: Params) => Query<Row>,
  options: Omit<StatementOptions<As>, 'name'> = {},
): (params: Params) => Statement<RowAs<Row, As>> {
  return keptOnce(preparedByName, name, () => prepared(name, build, options));
}

/** What `make` gives for `key`, made the first time and kept while `kept` holds fewer than `max` entries. */
function keptOnce<T>(kept: Map<string, unknown>, key: string, make: () => T, max = Infinity): T {
  let made = kept.get(key) as T | undefined;
  if (made === undefined) {
    made = make();
    if (kept.size < max) kept.set(key, made);
  }
  return made;
}

/** As `prepared`, compiled once, but named only when `options.name` is given (a statement of the hot path that PostgreSQL need not keep). */
export function precompiled<Params extends object, Row, As extends TimestampsAs = 'dates'>(
  build: (params: Params) => Query<Row>,
  options: StatementOptions<As> = {},
): (params: Params) => Statement<RowAs<Row, As>> {
  const byKey = new Map<string, Parameter>();
  const placeholders = new Proxy({}, { get: (_target, key: string) => byKey.get(key) ?? byKey.set(key, Parameter.placeholder(key)).get(key) }) as Params;
  const { sql, parameters } = compile(build(placeholders));
  const slots = parameters.map((value) =>
    value instanceof Parameter && value.key !== undefined ? value.key : { constant: value instanceof Parameter ? value.value : value },
  );
  const types = TYPES[options.timestamps ?? 'dates'];
  const { name } = options;
  return (params) => ({
    name,
    text: sql,
    values: slots.map((slot) => (typeof slot === 'string' ? (params as Record<string, unknown>)[slot] : slot.constant)),
    types,
  });
}

/** The most shapes `precompiledOnce` keeps compiled; past it, a new shape compiles on every run. */
const MAX_PRECOMPILED_SHAPES = 1_000;
const precompiledByShape = new Map<string, unknown>();
/**
 * As `precompiled` (unnamed: PostgreSQL plans each run with its values), for a statement whose
 * shape a request picks from a large but bounded set (a list's view, ordering and which filters
 * it has): compiled the first time `shape` is asked for, then reused.
 */
export function precompiledOnce<Params extends object, Row, As extends TimestampsAs = 'dates'>(
  shape: string,
  build: (params: Params) => Query<Row>,
  options: Omit<StatementOptions<As>, 'name'> = {},
): (params: Params) => Statement<RowAs<Row, As>> {
  return keptOnce(precompiledByShape, shape, () => precompiled(build, options), MAX_PRECOMPILED_SHAPES);
}

/** The row type of a prepared statement. */
export type RowOf<Prepared extends (params: never) => Statement<unknown>> = ReturnType<Prepared> extends Statement<infer Row> ? Row : never;
