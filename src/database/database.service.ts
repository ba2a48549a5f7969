import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { PrismaService } from './prisma.service.js';
import { type SqlRunner, sqlRunner } from './sql-runner.js';
import { statement } from './statement.js';
import { inTransaction, type Transaction } from './unit-of-work.js';

/** How busy the primary's pool is (for metrics). */
export interface PoolUsage {
  total: number;
  idle: number;
  waiting: number;
}

const PING = statement(sql<{ ok: number }>`SELECT 1 AS ok`);

/**
 * The primary database for hand-written SQL (Vendure's TransactionalConnection in spirit):
 * single statements on the pool, and `transaction`, the one unit of work for every write of
 * more than one statement. Feature code never sees the pg pool.
 */
@Injectable()
export class Database {
  /** Single statements on the primary, outside any transaction. */
  readonly primary: SqlRunner;

  constructor(private readonly prisma: PrismaService) {
    this.primary = sqlRunner(prisma.pool, prisma.pool, prisma.keyLookups);
  }

  /** One transaction, retried on deadlock / serialization failure (unit-of-work.ts). */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return inTransaction(this.prisma.pool, work);
  }

  /** One round trip to the primary; throws when it does not answer. */
  async ping(): Promise<void> {
    await this.primary.rows(PING);
  }

  poolUsage(): PoolUsage {
    const { pool } = this.prisma;
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  }
}
