import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { sendProblem } from '../common/problems/send-problem.js';
import { AppConfig } from '../config/app-config.js';
import { metricsTokenMatcher } from './metrics-token.js';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * GET /metrics on the public port: a plain Fastify route rather than a Nest controller, because
 * the Authorization header carries the metrics token, not an access token for the global JWT
 * guard; scrapes also skip the guard and pipe machinery. Never rate limited. Not in the OpenAPI
 * document (like /docs). Outside Nest, so problems are sent, not thrown. With METRICS_PORT the
 * route is not here at all: metrics-server.ts serves it on that port.
 */
export function registerMetricsEndpoint(app: NestFastifyApplication): void {
  const config = app.get(AppConfig);
  if (config.metrics.port !== undefined) return;
  const { registry } = app.get(MetricsRegistry);
  const authorized = config.metrics.token ? metricsTokenMatcher(config.metrics.token) : () => true;
  app
    .getHttpAdapter()
    .getInstance()
    .get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
      if (!authorized(request.headers.authorization)) {
        const problem = new ProblemException(Problems.unauthorized, {
          detail: 'Send the metrics token as "Authorization: Bearer <token>"',
          headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
        });
        return sendProblem(problem, request, reply);
      }
      reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
      return registry.metrics();
    });
}
