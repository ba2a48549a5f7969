import { Global, Module } from '@nestjs/common';
import { LifecycleState } from './lifecycle-state.js';

/** The process's lifecycle flags, for the readiness probe, the request hooks and the graceful shutdown. */
@Global()
@Module({
  providers: [LifecycleState],
  exports: [LifecycleState],
})
export class LifecycleModule {}
