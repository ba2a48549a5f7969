import cluster from 'node:cluster';
import { Injectable } from '@nestjs/common';
import { AggregatorRegistry, collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The app's own prom-client registry (one per app instance, so tests do not share counters),
 * with prom-client's process and Node.js metrics (CPU, memory, event-loop lag, GC, handles).
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    if (cluster.isWorker) {
      // WORKERS > 1: the primary serves /metrics, summed over the workers it asks over IPC.
      new AggregatorRegistry(); // installs the worker's answering listener
      AggregatorRegistry.setRegistries([this.registry]);
    }
  }
}
