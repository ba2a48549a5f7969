import type { ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { Loggers } from './logger.js';
import { redactUrl } from './redaction.js';

/** Liveness probes and scrapes would drown the log. */
const NOT_LOGGED = new Set(['/health/live', '/metrics']);

/** Writes the log line of a response that has closed (see request-hooks.ts, which calls it). */
export type RequestLogLine = (res: ServerResponse, reply: FastifyReply) => void;

/**
 * One JSON line per request, each field once: requestId, method, url (path and query, secrets
 * redacted: which resource), route (the template: what to aggregate on), status, durationMs,
 * clientIp, and peerAddress only when the TCP peer is not the client (a trusted proxy). The id,
 * route and client address are what the raw request carries (common/http/raw-request.ts).
 * Level by status: error (5xx), warn (4xx), info. Written when the response closes, which also
 * catches clients that hang up before their answer ("request aborted"). Called from the one
 * 'close' listener of request-hooks.ts: no request-scoped child logger, no AsyncLocalStorage.
 */
export function requestLogLine(app: NestFastifyApplication): RequestLogLine {
  const logger = app.get(Loggers).requests;
  return (res, reply) => {
    const req = res.req;
    if (NOT_LOGGED.has(req.routeTemplate ?? '')) return;
    const finished = res.writableFinished;
    const status = finished ? res.statusCode : null;
    const level = status === null ? 'info' : status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const peerAddress = req.socket?.remoteAddress;
    const clientIp = req.clientIp ?? peerAddress;
    logger[level](
      {
        requestId: req.id,
        method: req.method,
        url: redactUrl(req.url ?? ''),
        route: req.routeTemplate,
        status,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        clientIp,
        ...(peerAddress !== clientIp ? { peerAddress } : {}),
      },
      !finished ? 'request aborted' : status! >= 500 ? 'request errored' : 'request completed',
    );
  };
}
