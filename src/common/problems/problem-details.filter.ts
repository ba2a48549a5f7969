import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { classifyDatabaseError } from '../../database/database-errors.js';
import { StaleVersionError } from '../concurrency/row-version.js';
import { preconditionFailed } from '../http/conditional-request.js';
import { databaseProblem } from './database-problem.js';
import { ProblemException } from './problem.exception.js';
import { PROBLEM_CONTENT_TYPE } from './problem-document.js';
import { PROBLEM_BASE, Problems, problemTypeForStatus } from './problem-types.js';

/** Fastify's own errors (body parsing, limits, timeouts) carry a code like FST_ERR_CTP_INVALID_MEDIA_TYPE. */
const FASTIFY_ERRORS: Record<string, ProblemException> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: new ProblemException(Problems.unsupportedMediaType, {
    detail: 'Request bodies must be application/json',
  }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: new ProblemException(Problems.badRequest, { detail: 'Invalid Content-Length' }),
  FST_ERR_CTP_EMPTY_JSON_BODY: new ProblemException(Problems.malformedJson, {
    detail: 'The body is empty but Content-Type is application/json',
  }),
  FST_ERR_CTP_INVALID_JSON_BODY: new ProblemException(Problems.malformedJson, { detail: 'The body is not valid JSON' }),
  FST_ERR_CTP_BODY_TOO_LARGE: new ProblemException(Problems.payloadTooLarge, { detail: 'The body is larger than 1 MiB' }),
};

/**
 * Turns every error into an RFC 9457 problem document (application/problem+json):
 * ProblemExceptions, Nest HttpExceptions, Fastify errors, database errors and crashes.
 * Unexpected errors are logged with their stack; the client gets a generic 500.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    const { problem: type, details: options } = problem;

    if (type.status === 503) {
      // An outage is expected and answered for every request while it lasts: one short line each, no stack.
      if (!(exception instanceof ProblemException)) {
        this.logger.warn({ requestId: request.id, reason: (exception as Error)?.message }, 'Database unavailable');
      }
    } else if (type.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    }

    const body: Record<string, unknown> = {
      type: PROBLEM_BASE + type.slug,
      title: type.title,
      status: type.status,
      detail: options.detail ?? type.title,
      instance: request.url.split('?')[0],
      requestId: request.id,
      ...(options.errors ? { errors: options.errors } : {}),
      ...options.extensions,
    };
    if (reply.sent) return;
    for (const [name, value] of Object.entries(options.headers ?? {})) reply.header(name, value);
    reply.status(type.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }

  private toProblem(exception: unknown): ProblemException {
    if (exception instanceof ProblemException) return exception;
    if (exception instanceof StaleVersionError) return preconditionFailed(exception);
    // Nest wraps Fastify's 4xx errors in an HttpException whose cause is the original.
    const fastifyError = exception instanceof HttpException ? exception.cause : exception;
    const fastifyCode = (fastifyError as { code?: unknown } | undefined)?.code;
    if (typeof fastifyCode === 'string' && Object.hasOwn(FASTIFY_ERRORS, fastifyCode)) return FASTIFY_ERRORS[fastifyCode];
    if (exception instanceof HttpException) return fromHttpException(exception);
    const database = classifyDatabaseError(exception);
    if (database) return databaseProblem(database);
    const status = (exception as { statusCode?: unknown })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return new ProblemException(problemTypeForStatus(status), { detail: problemTypeForStatus(status).title });
    }
    return new ProblemException(Problems.internal, { detail: 'An unexpected error occurred' });
  }
}

function fromHttpException(exception: HttpException): ProblemException {
  const status = exception.getStatus();
  const type = problemTypeForStatus(status);
  const response = exception.getResponse();
  let detail = exception.message;
  if (typeof response === 'object' && response !== null) {
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') detail = message;
    else if (Array.isArray(message)) detail = message.join('; ');
  }
  if (status >= 500) detail = type.title;
  return new ProblemException(type, { detail });
}
