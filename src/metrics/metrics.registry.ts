import { Injectable } from '@nestjs/common';
import { Registry } from 'prom-client';

/** The app's own prom-client registry (one per app instance, so tests do not share counters). */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
}
