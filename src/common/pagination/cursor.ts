import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { validationProblem } from '../validation/validation.pipe.js';
import type { OrderBy, SortDirection } from './ordering.js';
import type { PageRequest } from './page.js';

/** The DRF CursorPagination page shape: no count, opaque next/previous links. */
export interface CursorPage<T> {
  next: string | null;
  previous: string | null;
  results: T[];
}

/** A page of a cursor list as a service reads it: the rows, and the cursors of the pages beside it (null: none). */
export interface CursorSlice<T> {
  results: T[];
  nextCursor: string | null;
  previousCursor: string | null;
}

/** A key value of the boundary row: numbers as numbers, money, timestamps, text and enums as the API shows them. */
export type KeyValue = string | number;

/** Where a cursor points: after (or, walking back, before) the row whose ordering key is `key`. */
export interface Position {
  key: KeyValue[];
  backwards: boolean;
}

/**
 * What a cursor is bound to: the list, its ordering (id tiebreak included) and every filter that
 * shapes it (the caller's visibility too). A cursor used with anything else is a 400.
 */
export interface CursorScope {
  list: string;
  orderBy: OrderBy;
  filter: Record<string, unknown>;
}

interface CursorBody {
  /** ordering, e.g. "price asc,id asc" */
  o: string;
  /** fingerprint of the filters */
  f: string;
  k: KeyValue[];
  /** 1 when walking backwards (the previous link) */
  b?: 1;
}

const MAC_BYTES = 16;

const badCursor = (message: string) => validationProblem([{ field: 'cursor', message }]);

const orderingOf = (orderBy: OrderBy) => orderBy.map((entry) => Object.entries(entry)[0].join(' ')).join(',');

/** Filters in a fixed key order, unset ones left out, so the same query always gives the same fingerprint. */
function filterFingerprint(scope: CursorScope): string {
  const entries = Object.entries(scope.filter)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHmac('sha256', scope.list).update(JSON.stringify(entries)).digest('base64url').slice(0, 16);
}

/**
 * Cursors are `base64url(JSON body).base64url(HMAC-SHA256)`, the MAC under a key derived from
 * JWT_SECRET (HKDF, its own label, so a cursor is never a token and the other way round), so a
 * client can read its cursor but not forge one: anything altered is a 400, never a query. Every
 * replica shares JWT_SECRET, so a cursor made by one is good on all of them.
 */
@Injectable()
export class CursorCodec {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.jwt.secret, '', 'shop-api list cursor v1', 32));
  }

  encode(scope: CursorScope, position: Position): string {
    const body: CursorBody = { o: orderingOf(scope.orderBy), f: filterFingerprint(scope), k: position.key, ...(position.backwards ? { b: 1 } : {}) };
    const encoded = Buffer.from(JSON.stringify(body)).toString('base64url');
    return `${encoded}.${this.mac(scope.list, encoded).toString('base64url')}`;
  }

  /** The position a `cursor` query value names; undefined for an empty one (the first page). */
  decode(scope: CursorScope, cursor: string): Position | undefined {
    if (cursor === '') return undefined;
    const [encoded, mac, ...rest] = cursor.split('.');
    const expected = this.mac(scope.list, encoded);
    const given = Buffer.from(mac ?? '', 'base64url');
    if (rest.length > 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw badCursor('cursor is not one this list handed out: use the next or previous link as given');
    }
    const body = JSON.parse(Buffer.from(encoded, 'base64url').toString()) as CursorBody;
    if (body.o !== orderingOf(scope.orderBy) || body.f !== filterFingerprint(scope)) {
      throw badCursor('cursor was made for another ordering or other filters: keep the query the cursor came with, or start again without one');
    }
    if (!Array.isArray(body.k) || body.k.length !== scope.orderBy.length) throw badCursor('cursor is malformed');
    return { key: body.k, backwards: body.b === 1 };
  }

  private mac(list: string, encoded: string): Buffer {
    return createHmac('sha256', this.key).update(`${list}\n${encoded}`).digest().subarray(0, MAC_BYTES);
  }
}

const flip = (direction: SortDirection): SortDirection => (direction === 'asc' ? 'desc' : 'asc');

/** The order to read in: the list's own, or its reverse when walking backwards from a cursor. */
export function readingOrder(orderBy: OrderBy, position: Position | undefined): OrderBy {
  if (!position?.backwards) return orderBy;
  return orderBy.map((entry) => Object.fromEntries(Object.entries(entry).map(([column, direction]) => [column, flip(direction)])));
}

const columnsOf = (orderBy: OrderBy) => orderBy.map((entry) => Object.entries(entry)[0]);

/**
 * The keyset condition "comes after `key` in `order`" as SQL over `"column"`s with `param` adding
 * a parameter. One direction throughout: a row comparison, which a btree on those columns reads as
 * a range. Mixed directions: the leading column's bound (so an index on it still starts at the
 * cursor) and the expanded OR.
 */
export function keysetSql(order: OrderBy, key: KeyValue[], param: (value: KeyValue) => string): string {
  const columns = columnsOf(order);
  const quoted = columns.map(([column]) => `"${column}"`);
  const values = key.map(param);
  const op = (direction: SortDirection, strict: boolean) => (direction === 'asc' ? '>' : '<') + (strict ? '' : '=');
  if (columns.every(([, direction]) => direction === columns[0][1])) {
    return `(${quoted.join(', ')}) ${op(columns[0][1], true)} (${values.join(', ')})`;
  }
  const alternatives = columns.map(([, direction], i) =>
    [...quoted.slice(0, i).map((column, j) => `${column} = ${values[j]}`), `${quoted[i]} ${op(direction, true)} ${values[i]}`].join(' AND '),
  );
  return `${quoted[0]} ${op(columns[0][1], false)} ${values[0]} AND ((${alternatives.join(') OR (')}))`;
}

/**
 * The same condition as a Prisma `where` (see keysetSql); `value` turns a key value into what
 * Prisma takes for that column. Prisma cannot compare enums with gt/lt, so an enum column (its
 * values in declaration order, PostgreSQL's sort order, in `enums`) compares with `in`.
 */
export function keysetWhere(
  order: OrderBy,
  key: KeyValue[],
  value: (column: string, raw: KeyValue) => unknown,
  enums: Record<string, readonly string[]> = {},
): Record<string, unknown> {
  const columns = columnsOf(order);
  const v = (i: number) => value(columns[i][0], key[i]);
  const cmp = (i: number, strict: boolean) => {
    const [column, direction] = columns[i];
    const labels = enums[column];
    if (labels) {
      const at = labels.indexOf(String(key[i]));
      const after = direction === 'asc' ? labels.slice(strict ? at + 1 : at) : labels.slice(0, strict ? at : at + 1);
      return { [column]: { in: after } };
    }
    return { [column]: { [(direction === 'asc' ? 'gt' : 'lt') + (strict ? '' : 'e')]: v(i) } };
  };
  const alternatives = columns.map((_, i) => Object.assign({}, ...columns.slice(0, i).map(([column], j) => ({ [column]: v(j) })), cmp(i, true)));
  return { AND: [cmp(0, false), { OR: alternatives }] };
}

/**
 * The slice from rows read in `readingOrder` with one row more than `take` (which says whether the
 * list goes on in the reading direction). `keyOf` reads a row's ordering key, as the cursor keeps it.
 */
export function cursorSlice<T>(
  codec: CursorCodec,
  scope: CursorScope,
  position: Position | undefined,
  take: number,
  rows: T[],
  keyOf: (row: T) => KeyValue[],
): CursorSlice<T> {
  const more = rows.length > take;
  const results = rows.slice(0, take);
  if (position?.backwards) results.reverse();
  // Walking forward, rows lie behind any cursor; walking back, the row the cursor was made from lies ahead.
  const hasNext = position?.backwards ? true : more;
  const hasPrevious = position?.backwards ? more : position !== undefined;
  const cursor = (key: KeyValue[], backwards: boolean) => codec.encode(scope, { key, backwards });
  const first = results.at(0);
  const last = results.at(-1);
  return {
    results,
    // An empty page (rows removed since) still links back to where it was.
    nextCursor: hasNext && last ? cursor(keyOf(last), false) : hasNext && position ? cursor(position.key, false) : null,
    previousCursor: hasPrevious && first ? cursor(keyOf(first), true) : hasPrevious && position ? cursor(position.key, true) : null,
  };
}

/** The DRF cursor page: the request's URL with each cursor in place of its `cursor`, every other parameter kept. */
export function buildCursorPage<T>(request: PageRequest, { results, nextCursor, previousCursor }: CursorSlice<T>): CursorPage<T> {
  let url: URL | undefined; // parsed once, for both links
  const link = (cursor: string) => {
    url ??= new URL(request.url, `${request.protocol}://${request.host}`);
    url.searchParams.set('cursor', cursor);
    return url.toString();
  };
  return {
    next: nextCursor === null ? null : link(nextCursor),
    previous: previousCursor === null ? null : link(previousCursor),
    results,
  };
}

/** A row's ordering key, read from its API form (the ordering columns are API fields of the same name). */
export const keyFromFields =
  (orderBy: OrderBy) =>
  (row: object): KeyValue[] =>
    columnsOf(orderBy).map(([column]) => (row as Record<string, KeyValue>)[column]);
