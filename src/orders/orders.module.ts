import { Module } from '@nestjs/common';
import { CursorCodec } from '../common/pagination/cursor.js';
import { IdempotencyCleanup } from './idempotency-cleanup.service.js';
import { IdempotencyKeysRepository } from './idempotency-keys.repository.js';
import { OrdersController } from './orders.controller.js';
import { OrdersRepository } from './orders.repository.js';
import { OrdersService } from './orders.service.js';

@Module({
  controllers: [OrdersController],
  providers: [OrdersService, OrdersRepository, IdempotencyKeysRepository, IdempotencyCleanup, CursorCodec],
})
export class OrdersModule {}
