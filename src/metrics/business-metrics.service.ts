import { Injectable } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import { MetricsRegistry } from './metrics.registry.js';

/** Business counters, incremented by the services that know the facts. */
@Injectable()
export class BusinessMetrics {
  private readonly ordersPlaced: Counter;
  private readonly stockConflicts: Counter;

  constructor(registry: MetricsRegistry) {
    const registers: Registry[] = [registry.registry];
    this.ordersPlaced = new Counter({ name: 'shop_orders_placed_total', help: 'Orders placed', registers });
    this.stockConflicts = new Counter({
      name: 'shop_stock_conflicts_total',
      help: 'Orders refused with 409 insufficient-stock (short stock or a product that cannot be ordered)',
      registers,
    });
  }

  orderPlaced(): void {
    this.ordersPlaced.inc();
  }

  stockConflict(): void {
    this.stockConflicts.inc();
  }
}
