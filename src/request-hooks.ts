import type { ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { ShortcutHttpServer } from './common/http/http-server.js';
import { representation } from './common/http/representation.js';
import { REQUEST_ID_HEADER } from './common/http/request-id.js';
import { AppConfig } from './config/app-config.js';
import { isHiddenDocsPath, refuseDocsPath } from './docs/openapi.js';
import { livenessShortcut } from './health/liveness.js';
import { refuseHostileInput } from './hardening/input-guard.js';
import { watchBodyDeadline } from './hardening/low-level-errors.js';
import { methodNotAllowed } from './hardening/method-not-allowed.js';
import { securityHeaders } from './hardening/security-headers.js';
import { LifecycleState } from './lifecycle/lifecycle-state.js';
import { requestLogLine } from './logging/request-logging.js';
import { HttpMetrics, UNMATCHED_ROUTE } from './metrics/http-metrics.js';

const REPLY = Symbol('reply');
type TrackedResponse = ServerResponse & { [REPLY]?: FastifyReply };

/**
 * Everything the service does on every request, as one onRequest hook, one preValidation hook,
 * one preSerialization hook and one 'close' listener (each Fastify hook and each listener costs on every request, and the
 * pieces below are each a few lines). Installed before any route (the 405 check records them)
 * and before the plugins (CORS, rate limits), whose hooks run after these. In order:
 *
 * onRequest, for every request (404s and errors included):
 * - the request id in `X-Request-Id`; the route template on the raw request for logs and metrics
 *   (what the raw request carries is declared in common/http/raw-request.ts);
 * - the security headers (hardening/security-headers.ts, computed once);
 * - while draining, `Connection: close` on HTTP/1 answers, so the client's next request opens a
 *   connection elsewhere (lifecycle/graceful-shutdown.ts);
 * - behind a trusted proxy (TRUST_PROXY) the client address Fastify derives from X-Forwarded-For,
 *   kept for the log line's `clientIp` (without TRUST_PROXY the log takes the socket's address);
 * - the body deadline of a request that has a body (hardening/low-level-errors.ts);
 * - the in-flight gauge and the 'close' listener that records the metrics and writes the log line;
 * - last, the /docs/ allow-list (docs/openapi.ts), for paths under /docs/ only, so that its 404
 *   carries everything above.
 * preValidation: the 405 for a known path with another method (unmatched requests only), then the
 * input guard (control characters, depth) for requests with a body or a query string.
 * preSerialization, for answers with an object body: ETag / 304 of a Versioned value, the
 * Location of a 201, and JSON text sent as it is (common/http/representation.ts).
 *
 * Plain liveness probes never reach these hooks: the server answers them first, with the same
 * request id, security headers and metrics (health/liveness.ts).
 */
export function installRequestHooks(app: NestFastifyApplication, server: ShortcutHttpServer): void {
  const config = app.get(AppConfig);
  const lifecycle = app.get(LifecycleState);
  const metrics = app.get(HttpMetrics);
  const logLine = requestLogLine(app);
  const headers = securityHeaders();
  const trustProxy = config.http.trustProxy !== false;
  const bodyTimeoutMs = config.http.requestTimeoutMs;
  const docs = config.docsEnabled;
  const refuseWrongMethod = methodNotAllowed(app);

  // One shared listener (`this` is the response): nothing is allocated per request for it.
  function onClose(this: TrackedResponse) {
    const reply = this[REPLY]!;
    this[REPLY] = undefined;
    metrics.closed(this, reply);
    logLine(this, reply);
  }

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    const route = request.routeOptions.url;
    raw.routeTemplate = route ?? UNMATCHED_ROUTE;
    if (trustProxy) raw.clientIp = request.ip;
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.headers(headers);
    if (lifecycle.isDraining && raw.httpVersionMajor < 2) reply.header('connection', 'close');
    const res = reply.raw as TrackedResponse;
    watchBodyDeadline(request, res, bodyTimeoutMs);
    metrics.started();
    res[REPLY] = reply;
    res.on('close', onClose);
    if (docs && request.url.startsWith('/docs/')) {
      const path = request.url.split('?', 1)[0];
      if (isHiddenDocsPath(path)) return refuseDocsPath(path, request, reply);
    }
    done();
  });

  fastify.addHook('preValidation', (request, reply, done) => {
    if (refuseWrongMethod(request, reply) || refuseHostileInput(request, reply)) return;
    done();
  });

  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    done(null, representation(request, reply, payload));
  });

  server.use(livenessShortcut(headers, lifecycle, metrics));
}
