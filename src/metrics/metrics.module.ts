import { Global, Module } from '@nestjs/common';
import { BusinessMetrics } from './business-metrics.service.js';
import { DatabasePoolMetrics } from './database-pool.metrics.js';
import { HttpMetrics } from './http-metrics.js';
import { MetricsRegistry } from './metrics.registry.js';

@Global()
@Module({
  providers: [MetricsRegistry, BusinessMetrics, HttpMetrics, DatabasePoolMetrics],
  exports: [MetricsRegistry, BusinessMetrics],
})
export class MetricsModule {}
