import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { AppConfig } from '../config/app-config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { watchQueries } from './query-watchdog.js';

/**
 * The Prisma client for the whole app, on a pg pool we own (so its size and waiting
 * clients can be exported as metrics and it has bounded connect/statement timeouts).
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);
  readonly pool: Pool;
  private readonly stopWatchingQueries: () => void;

  constructor(config: AppConfig) {
    const { url, poolMax, connectTimeoutMs, statementTimeoutMs } = config.database;
    if (!url) throw new Error('PrismaService: database URL is not set');
    const pool = new Pool({
      connectionString: url,
      max: poolMax,
      connectionTimeoutMillis: connectTimeoutMs,
      statement_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: statementTimeoutMs,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'shop-api',
    });
    // An idle client losing its connection (database restart, failover) must not crash the process.
    pool.on('error', (err) => this.logger.warn(`database connection lost: ${err.message}`));
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
    // The driver gives up 1 s after the server's statement timeout (a hung server enforces none).
    this.stopWatchingQueries = watchQueries(pool, statementTimeoutMs + 1000);
  }

  async onModuleInit(): Promise<void> {
    // Connect lazily but fail fast when the database is unreachable at start-up.
    await this.$connect();
  }

  /**
   * After the HTTP server has closed and drained (Nest runs shutdown hooks after that, destroy
   * hooks before it): in-flight requests keep their database until they have answered.
   */
  async onApplicationShutdown(): Promise<void> {
    this.stopWatchingQueries();
    await this.$disconnect();
    await this.pool.end();
  }
}
