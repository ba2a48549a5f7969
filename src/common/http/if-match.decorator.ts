import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Precondition } from '../concurrency/row-version.js';
import { PG_INT_MAX, parseCanonicalInt } from '../numbers/canonical-int.js';
import { ifMatchVersions } from './entity-tag.js';

/**
 * A request's If-Match as the versions of the row it addresses (path parameter `idParam`) that it
 * accepts (see ifMatchVersions). An id that is not canonical is refused by that parameter's
 * @IdParam() before the service runs, so here it accepts no version.
 */
export function ifMatchPrecondition(request: Pick<FastifyRequest, 'params' | 'headers'>, idParam = 'id'): Precondition {
  const id = parseCanonicalInt((request.params as Record<string, string | undefined>)[idParam], 1, PG_INT_MAX);
  return id === undefined ? [] : ifMatchVersions(request.headers['if-match'], id);
}

/** The If-Match precondition of a write (ifMatchPrecondition), for the service to put into its conditional UPDATE. */
export const IfMatch = createParamDecorator((idParam: string | undefined, ctx: ExecutionContext): Precondition =>
  ifMatchPrecondition(ctx.switchToHttp().getRequest<FastifyRequest>(), idParam),
);
