import type { ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { MetricsRegistry } from './metrics.registry.js';

/** Label for requests that matched no route (404s): keeps label cardinality bounded. */
export const UNMATCHED_ROUTE = 'unmatched';

type RawRequest = FastifyRequest['raw'] & { routeTemplate?: string };
type Labels = 'method' | 'route' | 'status_code';

/**
 * HTTP RED metrics, labelled by method, route template (`/v1/products/:id`, never the raw URL)
 * and status code. The hooks are on the hot path: no allocation beyond the label object and one
 * shared listener, the duration is Fastify's own hrtime-based `reply.elapsedTime`, and the
 * in-flight gauge is a plain number read at scrape time.
 */
@Injectable()
export class HttpMetrics {
  private inFlight = 0;
  private readonly duration: Histogram<Labels>;
  private readonly requests: Counter<Labels>;
  private readonly aborted: Counter<'method' | 'route'>;

  constructor(metrics: MetricsRegistry) {
    const registers: Registry[] = [metrics.registry];
    const labelNames = ['method', 'route', 'status_code'] as const;
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from the start of a request to the end of its answer, by route template',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames, registers });
    this.aborted = new Counter({
      name: 'http_requests_aborted_total',
      help: 'HTTP requests whose client went away before the answer was sent (not in the metrics above)',
      labelNames: ['method', 'route'],
      registers,
    });
    const self = this;
    new Gauge({
      name: 'http_requests_in_flight',
      help: 'HTTP requests being processed',
      registers,
      collect() {
        this.set(self.inFlight);
      },
    });
  }

  /** Adds the hooks (see install-metrics.ts): before app.init(), so that they also see 404s and errors. */
  install(app: NestFastifyApplication): void {
    // 'close' fires exactly once per response, whether it was sent or the client went away
    // (then onResponse never runs). One shared function, so nothing is allocated per request.
    const metrics = this;
    function onClose(this: ServerResponse) {
      metrics.inFlight--;
      if (!this.writableFinished) metrics.aborted.inc({ method: this.req.method ?? 'unknown', route: routeOf(this.req) });
    }
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addHook('onRequest', (_request, reply, done) => {
      this.inFlight++;
      reply.raw.on('close', onClose); // not once(): that would allocate a wrapper
      done();
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      this.record(request, reply);
      done();
    });
  }

  private record(request: FastifyRequest, reply: FastifyReply): void {
    const labels = { method: request.method, route: routeOf(request.raw), status_code: reply.statusCode };
    this.duration.observe(labels, reply.elapsedTime / 1000);
    this.requests.inc(labels);
  }
}

const routeOf = (raw: RawRequest) => raw.routeTemplate ?? UNMATCHED_ROUTE;
