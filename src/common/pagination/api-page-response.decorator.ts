import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiProblem, QUERY_PROBLEMS } from '../problems/api-problem.decorator.js';
import { Problems } from '../problems/problem-types.js';

/**
 * OpenAPI for a list endpoint answering `page` (a PageOf class), plus its 400 (bad query) and 404
 * (page past the end). With `cursorPage` (a CursorPageOf class) the document also gets that schema
 * and names it for requests with `cursor`: the 200 schema itself stays the page's, because a
 * oneOf there would widen a released response (openapi:compat), and only a request with `cursor` sees the other shape.
 */
export const ApiPageResponse = (page: Type<unknown>, cursorPage?: Type<unknown>) =>
  applyDecorators(
    // x-cursor-page: the schema of the answer to a request with cursor, machine-readable.
    ...(cursorPage ? [ApiExtraModels(cursorPage), ApiExtension('x-cursor-page', { $ref: getSchemaPath(cursorPage) })] : []),
    ApiOkResponse({
      type: page,
      description: cursorPage
        ? `One page of the list; a request with cursor gets a ${cursorPage.name} (${getSchemaPath(cursorPage)}: next, previous, results, no count) instead`
        : 'One page of the list',
    }),
    ApiProblem(
      400,
      cursorPage
        ? 'A bad query parameter: unknown ordering field, page or pageSize out of range, a malformed filter, a forged or mismatched cursor, cursor with page'
        : 'A bad query parameter: unknown ordering field, page or pageSize out of range, a malformed filter',
      QUERY_PROBLEMS,
    ),
    ApiProblem(404, 'Page past the end (detail names the last page)', [Problems.notFound]),
  );
