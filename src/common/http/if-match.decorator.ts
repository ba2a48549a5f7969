import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Precondition } from '../concurrency/row-version.js';
import { PG_INT_MAX, parseCanonicalInt } from '../numbers/canonical-int.js';
import { ifMatchVersions } from './entity-tag.js';

/**
 * The If-Match header of a write as the versions of the addressed row it accepts (see
 * ifMatchVersions), for the service to put into its conditional UPDATE. `idParam` names the path
 * parameter with the row's id; an id that is not canonical is refused by that parameter's
 * @IdParam() before the service runs, so it accepts no version here.
 */
export const IfMatch = createParamDecorator((idParam: string | undefined, ctx: ExecutionContext): Precondition => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const id = parseCanonicalInt((request.params as Record<string, string | undefined>)[idParam ?? 'id'], 1, PG_INT_MAX);
  return id === undefined ? [] : ifMatchVersions(request.headers['if-match'], id);
});
