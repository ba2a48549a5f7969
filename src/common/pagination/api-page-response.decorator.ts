import { applyDecorators, type Type } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProblem, QUERY_PROBLEMS } from '../problems/api-problem.decorator.js';
import { Problems } from '../problems/problem-types.js';

/** OpenAPI for a list endpoint answering `page` (a PageOf class), plus its 400 (bad query) and 404 (page past the end). */
export const ApiPageResponse = (page: Type<unknown>) =>
  applyDecorators(
    ApiOkResponse({ type: page, description: 'One page of the list' }),
    ApiProblem(400, 'A bad query parameter: unknown ordering field, page or pageSize out of range, a malformed filter', QUERY_PROBLEMS),
    ApiProblem(404, 'Page past the end (detail names the last page)', [Problems.notFound]),
  );
