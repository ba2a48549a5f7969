import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpMetrics } from './http-metrics.js';
import { registerMetricsEndpoint } from './metrics.endpoint.js';

/** The HTTP metric hooks and GET /metrics; before app.init() (the hooks must see every route). */
export function installMetrics(app: NestFastifyApplication): void {
  app.get(HttpMetrics).install(app);
  registerMetricsEndpoint(app);
}
