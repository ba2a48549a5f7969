import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { Loggers } from './logger.js';
import { redactUrl } from './redaction.js';

/** Liveness probes and scrapes would drown the log. */
const NOT_LOGGED = new Set(['/health/live', '/metrics']);

const REPLY = Symbol('reply');
/** `id`, `routeTemplate` and `clientIp` are put on the raw request by app.factory.ts and hardening/client-ip.ts. */
type RawRequest = IncomingMessage & { id?: string; routeTemplate?: string; clientIp?: string };
type LoggedResponse = ServerResponse<RawRequest> & { [REPLY]?: FastifyReply };

/**
 * One JSON line per request: requestId, method, URL, route template, status, duration, client.
 * Level by status: error (5xx), warn (4xx), info. Written when the response closes, which also
 * catches clients that hang up before their answer ("request aborted"). A Fastify hook rather
 * than an HTTP middleware: no request-scoped child logger, no AsyncLocalStorage.
 */
export function installRequestLogging(app: NestFastifyApplication): void {
  const logger = app.get(Loggers).requests;

  // One shared listener (`this` is the response), so nothing is allocated per request for it.
  function onClose(this: LoggedResponse) {
    const reply = this[REPLY]!;
    this[REPLY] = undefined;
    const req = this.req;
    const finished = this.writableFinished;
    const status = finished ? this.statusCode : null;
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
  }

  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (!NOT_LOGGED.has(request.routeOptions.url ?? '')) {
        const res = reply.raw as LoggedResponse;
        res[REPLY] = reply;
        res.on('close', onClose);
      }
      done();
    });
}
