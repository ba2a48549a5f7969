import { createHash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { validationProblem } from '../common/problems/common-problems.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/** 1–255 visible ASCII characters (a UUID is the usual choice). */
const WELL_FORMED = /^[\x21-\x7e]{1,255}$/;

/** The header's value, undefined when absent; a 400 problem when malformed (sent twice, empty, too long, not visible ASCII). */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && WELL_FORMED.test(value)) return value;
  throw validationProblem([{ field: IDEMPOTENCY_HEADER, message: `${IDEMPOTENCY_HEADER} must be 1–255 visible ASCII characters` }]);
}

/** The validated Idempotency-Key request header (or undefined). */
export const IdempotencyKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined =>
  parseIdempotencyKey(ctx.switchToHttp().getRequest<FastifyRequest>().headers[IDEMPOTENCY_HEADER.toLowerCase()]),
);

/**
 * Fingerprint of a request's meaning: SHA-256 of a canonical JSON with fixed key order.
 * Callers pass the lines sorted by productId, so listing the same lines in another order is
 * the same request (an order's lines are a set: each product at most once).
 */
export function requestHash(request: { items: Array<{ productId: number; quantity: number }>; note: string | null }): string {
  const canonical = JSON.stringify({
    items: request.items.map((line) => [line.productId, line.quantity]),
    note: request.note,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
