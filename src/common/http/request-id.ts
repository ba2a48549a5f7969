import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's genReqId: the caller's X-Request-Id when it is well-formed, else a new UUID.
 * The id is also stored on the raw request (raw-request.ts), where the request log line reads it.
 */
export function generateRequestId(req: IncomingMessage): string {
  const header = req.headers[REQUEST_ID_HEADER];
  const id = typeof header === 'string' && WELL_FORMED.test(header) ? header : randomUUID();
  req.id = id;
  return id;
}
