import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { MetricsRegistry } from './metrics.registry.js';

/** Label for requests that matched no route (404s): keeps label cardinality bounded. */
export const UNMATCHED_ROUTE = 'unmatched';

type Labels = 'method' | 'route' | 'status_code';

/**
 * HTTP RED metrics, labelled by method, route template (`/v1/products/:id`, never the raw URL)
 * and status code. Fed by request-hooks.ts on the hot path: no allocation beyond the label
 * object, the duration is Fastify's own hrtime-based `reply.elapsedTime`, and the in-flight gauge
 * is a plain number read at scrape time.
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

  /** A request has started (request-hooks.ts' onRequest hook, which sees every request, 404s and errors included). */
  started(): void {
    this.inFlight++;
  }

  /**
   * Its response has closed ('close' fires exactly once per response, whether it was sent or the
   * client went away): counted and timed by route template, or counted as aborted.
   */
  closed(res: ServerResponse, reply: FastifyReply): void {
    this.inFlight--;
    const raw = res.req;
    if (!res.writableFinished) {
      this.aborted.inc({ method: raw.method ?? 'unknown', route: routeOf(raw) });
      return;
    }
    this.answered(raw.method ?? 'unknown', routeOf(raw), res.statusCode, reply.elapsedTime);
  }

  /** An answered request, counted and timed (`durationMs`): by closed(), and for the requests answered before Fastify (health/liveness.ts). */
  answered(method: string, route: string, status: number, durationMs: number): void {
    const labels = { method, route, status_code: status };
    this.duration.observe(labels, durationMs / 1000);
    this.requests.inc(labels);
  }
}

const routeOf = (raw: IncomingMessage) => raw.routeTemplate ?? UNMATCHED_ROUTE;
