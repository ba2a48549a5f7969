import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { Loggers } from './logger.js';
import { redactUrl } from './redaction.js';

/** Liveness probes and scrapes would drown the log. */
const NOT_LOGGED = new Set(['/health/live', '/metrics']);

/** `id`, `routeTemplate` and `clientIp` are put on the raw request by request-hooks.ts. */
type RawRequest = IncomingMessage & { id?: string; routeTemplate?: string; clientIp?: string };

/** Writes the log line of a response that has closed (see request-hooks.ts, which calls it). */
export type RequestLogLine = (res: ServerResponse<RawRequest>, reply: FastifyReply) => void;

/**
 * One JSON line per request: requestId, method, URL, route template, status, duration, client.
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
    const remoteAddress = req.socket?.remoteAddress;
    logger[level](
      {
        requestId: req.id,
        req: { method: req.method, url: redactUrl(req.url ?? ''), remoteAddress },
        res: { statusCode: status },
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        clientIp: req.clientIp ?? remoteAddress,
        route: req.routeTemplate,
        status,
      },
      !finished ? 'request aborted' : status! >= 500 ? 'request errored' : 'request completed',
    );
  };
}
