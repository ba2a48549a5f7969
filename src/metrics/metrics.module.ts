import { Global, Module } from '@nestjs/common';
import { BusinessMetrics } from './business-metrics.service.js';
import { DatabasePoolMetrics } from './database-pool.metrics.js';
import { DatabaseReplicaMetrics } from './database-replica.metrics.js';
import { HttpMetrics } from './http-metrics.js';
import { MetricsServer } from './metrics-server.js';
import { MetricsRegistry } from './metrics.registry.js';

@Global()
@Module({
  providers: [MetricsRegistry, BusinessMetrics, HttpMetrics, DatabasePoolMetrics, DatabaseReplicaMetrics, MetricsServer],
  exports: [MetricsRegistry, BusinessMetrics],
})
export class MetricsModule {}
