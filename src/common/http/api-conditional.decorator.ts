import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse } from '@nestjs/swagger';
import { ApiProblem } from '../problems/api-problem.decorator.js';
import { Problems } from '../problems/problem-types.js';

/** The ETag response header, for `headers:` of a success response (always sent). */
export const ETAG_HEADER = {
  ETag: { description: 'Strong entity tag of this version of the resource, e.g. "12-3"', required: true, schema: { type: 'string', example: '"12-3"' } },
};

/** The Location header of a 201: the path of the new resource. */
export const locationHeader = (example: string) => ({
  Location: { description: 'Path of the new resource', required: true, schema: { type: 'string', example } },
});

/** OpenAPI for a GET that honours If-None-Match (304 when the representation is unchanged). */
export const ApiIfNoneMatch = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'ETag(s) the client holds; answers 304 when one still matches',
      schema: { type: 'string', example: '"12-3"' },
    }),
    ApiNotModifiedResponse({ description: 'Not modified: the ETag still matches (empty body)', headers: ETAG_HEADER }),
  );

/** OpenAPI for a write that honours If-Match (412 when the ETag is stale). */
export const ApiIfMatch = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'ETag from a previous GET; the write applies only if it is still current ("*" = any)',
      schema: { type: 'string', example: '"12-3"' },
    }),
    ApiProblem(412, 'If-Match does not match the current ETag; nothing was changed', [Problems.preconditionFailed]),
  );
