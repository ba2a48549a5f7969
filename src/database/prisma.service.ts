import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { AppConfig } from '../config/app-config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { openPool, type WatchedPool } from './database-pool.js';

/**
 * The Prisma client for the whole app, on a pg pool we own (so its size and waiting
 * clients can be exported as metrics and it has bounded connect/statement timeouts). The pool is
 * src/database's own: hand-written SQL reaches it through Database and DatabaseReaders.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  readonly pool: Pool;
  /** Where lookups by key go (database-pool.ts). */
  readonly keyLookups: WatchedPool['keyLookups'];
  private readonly closePool: () => Promise<void>;

  constructor(config: AppConfig) {
    const { url } = config.database;
    if (!url) throw new Error('PrismaService: database URL is not set');
    const { pool, keyLookups, close } = openPool(url, config.database, 'shop-api', new Logger(PrismaService.name));
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
    this.keyLookups = keyLookups;
    this.closePool = close;
  }

  async onModuleInit(): Promise<void> {
    // Connect lazily but fail fast when the database is unreachable at start-up.
    await this.$connect();
  }

  /**
   * After the HTTP server has closed and drained (Nest runs shutdown hooks after that, destroy
   * hooks before it): in-flight requests keep their database until they have answered.
   */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** Disconnects the client and closes the pool (the command-line tools, which run without Nest, call it themselves). */
  async close(): Promise<void> {
    await this.$disconnect();
    await this.closePool();
  }
}
