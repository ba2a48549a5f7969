import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The app's own prom-client registry (one per app instance, so tests do not share counters),
 * with prom-client's process and Node.js metrics (CPU, memory, event-loop lag, GC, handles).
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
