import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, ProblemDocument } from './problem-document.js';
import { problemExampleRef } from './problem-examples.js';
import { Problems, type ProblemType } from './problem-types.js';

/** Response headers as OpenAPI declares them (name → description, schema). */
export type HeadersObject = Record<string, { description: string; required?: boolean; schema: Record<string, unknown> }>;

/** The Retry-After header of a 429 or 503 (seconds); `required` when every such answer carries it. */
export const retryAfterHeader = (required: boolean): HeadersObject => ({
  'Retry-After': { description: 'Seconds to wait before retrying', required, schema: { type: 'integer', minimum: 1, example: 5 } },
});

/** The 400s a path or query can cause: validation, and control characters (bad-request). */
export const QUERY_PROBLEMS = [Problems.validation, Problems.badRequest];
/** The 400s a request with a JSON body can cause: those, JSON syntax, and nesting deeper than 32 levels. */
export const BODY_PROBLEMS = [Problems.validation, Problems.malformedJson, Problems.badRequest];

/**
 * OpenAPI for an error status of an operation (or of every operation of a controller): an
 * application/problem+json ProblemDocument with one example per problem type it can carry.
 */
export function ApiProblem(status: number | 'default', description: string, problems: ProblemType[], headers?: HeadersObject) {
  const wrong = problems.find((problem) => status !== 'default' && problem.status !== status);
  if (wrong) throw new Error(`ApiProblem(${status}): problem type ${wrong.slug} has status ${wrong.status}`);
  return applyDecorators(
    ApiExtraModels(ProblemDocument),
    ApiResponse({
      status,
      description,
      ...(headers ? { headers } : {}),
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: { $ref: getSchemaPath(ProblemDocument) },
          examples: Object.fromEntries(problems.map((problem) => [problem.slug, problemExampleRef(problem)])),
        },
      },
    }),
  );
}

/**
 * The errors every operation of a controller can answer besides its own: rate limits, database
 * outages, crashes, and (as `default`) what Fastify refuses before routing — a method the path
 * does not have (405 with Allow), a slow or oversized request, a body that is not JSON.
 */
export const ApiCommonProblems = ({ rateLimited = true, database = true } = {}) =>
  applyDecorators(
    ...(rateLimited
      ? [ApiProblem(429, 'Rate limited: too many requests from this client (see Retry-After)', [Problems.tooManyRequests], retryAfterHeader(true))]
      : []),
    ...(database ? [ApiProblem(503, 'The database is unavailable (see Retry-After)', [Problems.serviceUnavailable], retryAfterHeader(true))] : []),
    ApiProblem(500, 'Unexpected error; the body says no more (the log line with the same requestId does)', [Problems.internal]),
    ApiProblem('default', 'Any other error, answered before the operation runs: 405 (with Allow), 408, 413, 415, 431', [
      Problems.methodNotAllowed,
      Problems.requestTimeout,
      Problems.payloadTooLarge,
      Problems.unsupportedMediaType,
      Problems.headersTooLarge,
    ]),
  );
