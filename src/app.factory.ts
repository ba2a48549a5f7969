import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { registerAdminConsole } from './admin-console/admin-console.js';
import { AppModule } from './app.module.js';
import { installDeprecationHeaders } from './common/http/deprecated.decorator.js';
import { ShortcutHttpServer } from './common/http/http-server.js';
import { generateRequestId } from './common/http/request-id.js';
import { AppConfig } from './config/app-config.js';
import { setupDocs } from './docs/openapi.js';
import { enableCors } from './hardening/cors.js';
import { clientErrorHandler, frameworkErrors } from './hardening/low-level-errors.js';
import { AppLogger } from './logging/app-logger.js';
import { registerMetricsEndpoint } from './metrics/metrics.endpoint.js';
import { installRequestHooks } from './request-hooks.js';
import { registerRateLimits } from './throttling/rate-limit.js';

/** How often Node looks for requests over REQUEST_TIMEOUT_MS: a 408 comes at most 25 % late. */
const requestTimeoutCheckInterval = (requestTimeoutMs: number) => Math.min(30_000, Math.max(250, Math.floor(requestTimeoutMs / 4)));

/**
 * Builds the whole application (used by main.ts and by every e2e test): Fastify with
 * JSON-only bodies up to 1 MiB, request ids, URI versioning (/v1), docs, security headers,
 * CORS allow-list, HTTP metrics, the staff console at /admin, and problem documents even for errors Fastify answers itself.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const server = new ShortcutHttpServer();
  const adapter = new FastifyAdapter({
    serverFactory: server.factory,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    genReqId: generateRequestId,
    requestIdHeader: false,
    // While draining, requests on open connections are served with `Connection: close` (see
    // request-hooks.ts) instead of getting Fastify's own (non-problem) 503.
    return503OnClosing: false,
    frameworkErrors,
    clientErrorHandler,
    requestTimeout: config.http.requestTimeoutMs,
    // Node checks request timeouts only every 30 s by default, so a 30 s limit fired after 30–60 s.
    http: { connectionsCheckingInterval: requestTimeoutCheckInterval(config.http.requestTimeoutMs) },
    routerOptions: { ignoreTrailingSlash: true },
    // No Nest middleware anywhere (request logs are a Fastify hook): no @fastify/middie and its
    // hook on every request. A middleware added later would fail loudly at start-up.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bufferLogs: true,
    // Nest would add form-urlencoded parsing; the API takes JSON only (others answer 415).
    bodyParser: false,
  });
  app.useLogger(app.get(AppLogger));
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });

  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain']);
  installRequestHooks(app, server);
  registerMetricsEndpoint(app);
  installDeprecationHeaders(app);
  enableCors(app, config);

  await registerRateLimits(app, config);
  if (config.docsEnabled) setupDocs(app);
  await registerAdminConsole(app);
  await app.init();
  return app;
}
