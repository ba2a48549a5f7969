import { type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
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
 * Turns what a list's service read (a CountedPage, or with `cursor` a CursorSlice) into the page
 * the API answers, with absolute next/previous links built from the request's URL; a page past
 * the end is a 404. For a list with cursor mode it refuses `cursor` combined with `page` once the
 * handler has answered, so that the query's own errors (validation, ordering, filters) come first,
 * as they did when the service checked it. Put on a route by @Endpoint({ list }).
 */
export class PageLinksInterceptor implements NestInterceptor {
  constructor(private readonly cursorMode: boolean) {}

  intercept(context: ExecutionContext, next: CallHandler<CountedPage<unknown> | CursorSlice<unknown>>): Observable<Page<unknown> | CursorPage<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return next.handle().pipe(
      map((slice) => {
        if (this.cursorMode) assertCursorOnly(request.query as object);
        return 'count' in slice ? buildPage(request, slice) : buildCursorPage(request, slice);
      }),
    );
  }
}
