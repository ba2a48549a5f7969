import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import type { StaleVersionError, Versioned } from '../concurrency/row-version.js';
import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';
import { entityTag, ifNoneMatchHits } from './entity-tag.js';

/** How a route answers a versioned representation: its ETag, and either the body or a 304 without one. */
export interface ConditionalAnswer<T> {
  etag: string;
  notModified: boolean;
  body: T | undefined;
}

/**
 * A read (GET, or the HEAD Fastify derives from it) answers 304 when If-None-Match lists the
 * current ETag; a write always answers the representation it wrote (If-None-Match plays no part).
 */
export function conditionalAnswer<T extends { id: number }>(
  method: string,
  ifNoneMatch: string | string[] | undefined,
  versioned: Versioned<T>,
): ConditionalAnswer<T> {
  const etag = entityTag(versioned.value.id, versioned.version);
  const notModified = (method === 'GET' || method === 'HEAD') && ifNoneMatchHits(ifNoneMatch, etag);
  return { etag, notModified, body: notModified ? undefined : versioned.value };
}

/** The 412 of a write whose If-Match named a version that is no longer current, with the current ETag. */
export function preconditionFailed(stale: StaleVersionError): ProblemException {
  return new ProblemException(Problems.preconditionFailed, {
    detail: `${stale.resource} ${stale.id} has changed since the ETag in If-Match was issued; GET it again and retry`,
    headers: { ETag: entityTag(stale.id, stale.currentVersion) },
  });
}

/**
 * Conditional requests (RFC 9110 §13) for a route whose handler answers a Versioned value: sets
 * ETag and turns a GET whose If-None-Match still matches into an empty 304. The If-Match side is
 * @IfMatch() (if-match.decorator.ts); both are put on a route by @Endpoint({ etag }). A write
 * refused for a stale If-Match (StaleVersionError) becomes the 412 in the global exception filter,
 * with preconditionFailed below.
 */
@Injectable()
export class ConditionalRequestInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<Versioned<{ id: number }>>): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((versioned) => {
        const answer = conditionalAnswer(request.method, request.headers['if-none-match'], versioned);
        reply.header('etag', answer.etag);
        if (answer.notModified) reply.status(304);
        return answer.body;
      }),
    );
  }
}
