import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { DatabaseReaders } from '../database/database-readers.js';
import type { ReadReplica } from '../database/read-replica.js';
import { MetricsRegistry } from './metrics.registry.js';

/** Each read replica's state as of its last probe, read at scrape time. */
@Injectable()
export class DatabaseReplicaMetrics {
  constructor(metrics: MetricsRegistry, readers: DatabaseReaders) {
    if (readers.replicas.length === 0) return;
    new Gauge({
      name: 'db_replica_usable',
      help: 'Whether catalogue reads go to this read replica (1) or skip it (0: down or lagging)',
      labelNames: ['replica'],
      registers: [metrics.registry],
      collect() {
        for (const replica of readers.replicas) this.set({ replica: replica.name }, replica.usable ? 1 : 0);
      },
    });
    new Gauge({
      name: 'db_replica_lag_seconds',
      help: 'Replay lag of the read replica at its last probe (absent when unreachable)',
      labelNames: ['replica'],
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const replica of readers.replicas) {
          if (replica.lagMs !== undefined && Number.isFinite(replica.lagMs)) this.set({ replica: replica.name }, replica.lagMs / 1000);
        }
      },
    });
    const counter = (name: string, help: string, read: (replica: ReadReplica) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['replica'],
        registers: [metrics.registry],
        collect() {
          this.reset();
          for (const replica of readers.replicas) this.inc({ replica: replica.name }, read(replica));
        },
      });
    counter('db_replica_reads_total', 'Reads sent to the read replica', (replica) => replica.reads);
    counter('db_replica_fallbacks_total', 'Replica reads the primary answered because the replica failed them', (replica) => replica.fallbacks);
  }
}
