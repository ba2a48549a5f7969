import cluster from 'node:cluster';
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { metricsTokenMatcher } from './metrics-token.js';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * With METRICS_PORT, GET /metrics is served on that port only (meant for a network that only
 * Prometheus reaches), by a bare node:http server; METRICS_TOKEN, if set, is checked there too.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, token } = this.config.metrics;
    // In a cluster the primary owns the port and asks the workers (cluster-primary.ts).
    if (port === undefined || cluster.isWorker) return;
    const { registry } = this.metrics;
    this.server = await listenForScrapes(port, this.config.host, token, () => registry.metrics(), registry.contentType);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }
}

/** GET /metrics (METRICS_TOKEN checked when set) on a bare node:http server; resolves once it listens. */
export async function listenForScrapes(
  port: number,
  host: string,
  token: string | undefined,
  metrics: () => Promise<string>,
  contentType: string,
): Promise<Server> {
  const authorized = token ? metricsTokenMatcher(token) : () => true;
  const handler: RequestListener = (request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
    } else if (!authorized(request.headers.authorization)) {
      response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' }).end('Unauthorized\n');
    } else {
      metrics().then(
        (text) => response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(text),
        () => response.writeHead(500).end(),
      );
    }
  };
  const server = createServer(handler);
  server.listen(port, host);
  await once(server, 'listening');
  new Logger('Metrics').log(`Metrics on http://${host}:${port}/metrics`);
  return server;
}
