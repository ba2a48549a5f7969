import { Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { AppConfig } from '../config/app-config.js';
import { Database } from '../database/database.service.js';
import { MetricsRegistry } from './metrics.registry.js';

/** The pg pool's state, read at scrape time (nothing is counted per query). */
@Injectable()
export class DatabasePoolMetrics {
  constructor(metrics: MetricsRegistry, database: Database, config: AppConfig) {
    const registers: Registry[] = [metrics.registry];
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('db_pool_connections', 'Open database connections (idle + in use)', () => database.poolUsage().total);
    gauge('db_pool_idle_connections', 'Open database connections not in use', () => database.poolUsage().idle);
    gauge('db_pool_waiting_clients', 'Queries waiting for a free database connection', () => database.poolUsage().waiting);
    gauge('db_pool_max_connections', 'Pool size limit (DB_POOL_MAX)', () => config.database.poolMax);
  }
}
