import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { LifecycleState } from './lifecycle.state.js';

@Global()
@Module({
  controllers: [HealthController],
  providers: [HealthService, LifecycleState],
  exports: [LifecycleState],
})
export class HealthModule {}
