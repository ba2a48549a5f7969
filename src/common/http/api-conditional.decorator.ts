import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse, ApiPreconditionFailedResponse } from '@nestjs/swagger';
import { ProblemDocument } from '../problems/problem-document.js';

/** The ETag response header, for `headers:` of a success response. */
export const ETAG_HEADER = {
  ETag: { description: 'Strong entity tag of this version of the resource, e.g. "12-3"', schema: { type: 'string' } },
};

/** OpenAPI for a GET that honours If-None-Match (304 when the representation is unchanged). */
export const ApiIfNoneMatch = () =>
  applyDecorators(
    ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag(s) the client holds; answers 304 when one still matches' }),
    ApiNotModifiedResponse({ description: 'Not modified: the ETag still matches (empty body)', headers: ETAG_HEADER }),
  );

/** OpenAPI for a write that honours If-Match (412 when the ETag is stale). */
export const ApiIfMatch = () =>
  applyDecorators(
    ApiHeader({ name: 'If-Match', required: false, description: 'ETag from a previous GET; the write applies only if it is still current ("*" = any)' }),
    ApiPreconditionFailedResponse({ description: 'If-Match does not match the current ETag; nothing was changed', type: ProblemDocument }),
  );
