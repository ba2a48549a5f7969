import type { FastifyReply, FastifyRequest } from 'fastify';
import { Versioned } from '../concurrency/row-version.js';
import { conditionalAnswer } from './conditional-request.js';
import { JsonText, jsonTextSerializer } from './json-text.js';

/** What @Endpoint puts in a route's Fastify config for the representation hook. */
export interface RepresentationConfig {
  /** A 201 carries Location: the route's path plus the id of what it created. */
  location?: boolean;
}

/**
 * The HTTP side of what a handler answers, run by request-hooks.ts's one preSerialization hook:
 * - a Versioned value (row-version.ts) goes out as its value with its ETag; a GET (or HEAD) whose
 *   If-None-Match lists that ETag gets an empty 304 instead (Node sends no body with a 304);
 * - a 201 of a route that declares it (@Endpoint({ created: { location } })) gets its Location,
 *   from the body's id (a JsonText's too);
 * - JsonText (json-text.ts) goes out as its text, through a serializer of this reply only.
 * The If-Match side is @IfMatch() (if-match.decorator.ts); a stale version's 412 is the exception
 * filter's. A hook rather than Nest interceptors: an interceptor runs every request of its route
 * through an RxJS pipeline, which cost GET /v1/products/{id} about a fifth of its throughput.
 */
export function representation(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  let body = payload;
  if (payload instanceof Versioned) {
    const answer = conditionalAnswer(request.method, request.headers['if-none-match'], payload);
    reply.header('etag', answer.etag);
    if (answer.notModified) reply.code(304);
    body = answer.body ?? null;
  }
  if (body instanceof JsonText) reply.serializer(jsonTextSerializer);
  if (reply.statusCode === 201 && (request.routeOptions.config as RepresentationConfig | undefined)?.location) {
    reply.header('location', `${request.routeOptions.url}/${(body as { id: number }).id}`); // JsonText carries the id too
  }
  return body;
}
