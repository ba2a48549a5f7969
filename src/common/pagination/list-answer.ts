import type { FastifyRequest } from 'fastify';
import { validationProblem } from '../problems/common-problems.js';
import { buildCursorPage, type CursorPage, type CursorSlice } from './cursor.js';
import { buildPage, type CountedPage, type Page } from './page.js';

/** Cursor mode is asked for with `cursor` (empty for the first page); `page` belongs to the other mode. */
function assertCursorOnly(query: object): void {
  if (Object.hasOwn(query, 'cursor') && Object.hasOwn(query, 'page')) {
    throw validationProblem([{ field: 'page', message: 'page cannot be combined with cursor: follow the next and previous links' }]);
  }
}

/**
 * The page a list answers for what its service read (a CountedPage, or with `cursor` a
 * CursorSlice), with absolute next/previous links built from the request's URL; a page past the
 * end is a 404. `cursor` combined with `page` is refused only after the service answered, so that
 * the query's own errors (validation, ordering, filters) come first; a list without cursor mode
 * never gets here with `cursor` (its query DTO has no such field: the global pipe refuses it).
 * Every list handler ends with it. (It was a Nest interceptor: an RxJS pipeline around every list request,
 * ~4 % of a product page's throughput.)
 */
export function listAnswer<T>(request: FastifyRequest, slice: CountedPage<T>): Page<T>;
export function listAnswer<T>(request: FastifyRequest, slice: CountedPage<T> | CursorSlice<T>): Page<T> | CursorPage<T>;
export function listAnswer<T>(request: FastifyRequest, slice: CountedPage<T> | CursorSlice<T>): Page<T> | CursorPage<T> {
  assertCursorOnly(request.query as object);
  return 'count' in slice ? buildPage(request, slice) : buildCursorPage(request, slice);
}
