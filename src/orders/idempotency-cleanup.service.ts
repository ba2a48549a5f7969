import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { IdempotencyKeysRepository } from './idempotency-keys.repository.js';

const EVERY_MS = 60 * 60 * 1000;

/**
 * Deletes expired idempotency keys hourly, so the table does not grow forever (an expired key
 * is also replaced when it is reused: see IdempotencyKeysRepository.claim). Best effort; the
 * timer does not keep the process alive.
 */
@Injectable()
export class IdempotencyCleanup implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyCleanup.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly keys: IdempotencyKeysRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async run(): Promise<number> {
    try {
      return await this.keys.deleteExpired();
    } catch (err) {
      this.logger.warn(`idempotency key cleanup failed: ${(err as Error).message}`);
      return 0;
    }
  }
}
