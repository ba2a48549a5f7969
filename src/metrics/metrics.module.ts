import { Global, Module } from '@nestjs/common';
import { BusinessMetrics } from './business-metrics.service.js';
import { MetricsRegistry } from './metrics.registry.js';

@Global()
@Module({
  providers: [MetricsRegistry, BusinessMetrics],
  exports: [MetricsRegistry, BusinessMetrics],
})
export class MetricsModule {}
