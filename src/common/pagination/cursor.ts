import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { validationProblem } from '../problems/common-problems.js';
import { type KeyValue, type Ordering, orderingText, reversed } from '../../database/ordering.js';
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
  orderBy: Ordering;
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

/** Each scope's fingerprint, computed once however many cursors of its page are read or made. */
const fingerprints = new WeakMap<CursorScope, string>();

/** Filters in a fixed key order, unset ones left out, so the same query always gives the same fingerprint. */
function filterFingerprint(scope: CursorScope): string {
  let fingerprint = fingerprints.get(scope);
  if (fingerprint === undefined) fingerprints.set(scope, (fingerprint = fingerprintOf(scope)));
  return fingerprint;
}

function fingerprintOf(scope: CursorScope): string {
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
    const body: CursorBody = { o: orderingText(scope.orderBy), f: filterFingerprint(scope), k: position.key, ...(position.backwards ? { b: 1 } : {}) };
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
    if (body.o !== orderingText(scope.orderBy) || body.f !== filterFingerprint(scope)) {
      throw badCursor('cursor was made for another ordering or other filters: keep the query the cursor came with, or start again without one');
    }
    if (!Array.isArray(body.k) || body.k.length !== scope.orderBy.length) throw badCursor('cursor is malformed');
    return { key: body.k, backwards: body.b === 1 };
  }

  private mac(list: string, encoded: string): Buffer {
    return createHmac('sha256', this.key).update(`${list}\n${encoded}`).digest().subarray(0, MAC_BYTES);
  }
}

/** The order to read in: the list's own, or its reverse when walking backwards from a cursor. */
export function readingOrder<Column extends string>(orderBy: Ordering<Column>, position: Position | undefined): Ordering<Column> {
  return position?.backwards ? reversed(orderBy) : orderBy;
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
  (orderBy: Ordering) =>
  (row: object): KeyValue[] =>
    orderBy.map(({ column }) => (row as Record<string, KeyValue>)[column]);
