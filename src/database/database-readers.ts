import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { AppConfig } from '../config/app-config.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { isReplicaFailure } from './database-errors.js';
import { PrismaService } from './prisma.service.js';
import { ReadReplica } from './read-replica.js';
import { type SqlRunner, sqlRunner } from './sql-runner.js';

/**
 * Where a read may go: 'primary' when it must see the latest writes (staff, a client's reads of
 * its own data, anything in a transaction); 'replica' when a copy at most
 * DATABASE_REPLICA_MAX_LAG_MS behind will do (the public catalogue).
 */
export type ReadFrom = 'primary' | 'replica';

/** The Prisma read handle: the catalogue's models (reads only, by convention of the callers). */
export type PrismaReader = Pick<PrismaClient, 'category' | 'product'>;

interface ReplicaHandles {
  replica: ReadReplica;
  sql: SqlRunner;
  prisma: PrismaReader;
}

/**
 * Routes reads between the primary and the read replicas (DATABASE_REPLICA_URLS). Each replica is
 * probed every DATABASE_REPLICA_CHECK_INTERVAL_MS (reachable, replay lag within the bound), never
 * per request; 'replica' reads go round-robin to the usable ones, or to the primary when there is
 * none. A replica read that fails for the replica's sake (down, shutting down, a recovery
 * conflict) is answered by the primary and the replica skipped until a probe finds it healthy
 * again, so a replica going away costs no request.
 */
@Injectable()
export class DatabaseReaders implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseReaders.name);
  private readonly handles: ReplicaHandles[];
  private readonly primarySql: SqlRunner;
  private nextIndex = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly primary: PrismaService,
    private readonly config: AppConfig,
  ) {
    this.primarySql = sqlRunner(primary.pool, primary.pool, primary.keyLookups);
    this.handles = config.database.replicas.urls.map((url) => this.handlesFor(new ReadReplica(url, config.database, this.logger)));
  }

  get replicas(): readonly ReadReplica[] {
    return this.handles.map((h) => h.replica);
  }

  /** The SQL reader for a read of this kind. */
  sql(from: ReadFrom): SqlRunner {
    return (from === 'replica' && this.pick()?.sql) || this.primarySql;
  }

  /** The Prisma reader for a read of this kind. */
  prisma(from: ReadFrom): PrismaReader {
    return (from === 'replica' && this.pick()?.prisma) || this.primary;
  }

  /** The first probe round completes before the app serves; a replica down at start-up is skipped. */
  async onModuleInit(): Promise<void> {
    if (this.handles.length === 0) return;
    await this.checkAll();
    this.scheduleChecks();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all(this.handles.map((h) => h.replica.close()));
  }

  private pick(): ReplicaHandles | undefined {
    const count = this.handles.length;
    for (let i = 0; i < count; i++) {
      const candidate = this.handles[(this.nextIndex + i) % count];
      if (candidate.replica.usable) {
        this.nextIndex = (this.nextIndex + i + 1) % count;
        return candidate;
      }
    }
    return undefined;
  }

  private async checkAll(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.replica.check()));
  }

  /** Probe rounds one after the other (a slow probe never piles up behind the next). */
  private scheduleChecks(): void {
    this.timer = setTimeout(() => {
      void this.checkAll().then(() => {
        if (!this.stopped) this.scheduleChecks();
      });
    }, this.config.database.replicas.checkIntervalMs).unref();
  }

  /** The replica's readers, each falling back to the primary when the replica fails the read. */
  private handlesFor(replica: ReadReplica): ReplicaHandles {
    const primary = this.primary;
    /** An error the primary would give too (a bad statement…) is the caller's; any other skips the replica. */
    const skipReplicaOrRethrow = (error: unknown) => {
      if (!isReplicaFailure(error)) throw error;
      replica.markFailed(error);
    };
    const query = ((...args: Parameters<Pool['query']>) => {
      replica.reads++;
      return (replica.pool.query as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
        skipReplicaOrRethrow(error);
        return (primary.pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
      });
    }) as Pool['query'];
    const prisma = replica.prisma.$extends({
      query: {
        async $allOperations({ model, operation, args, query: run }) {
          replica.reads++;
          try {
            return await run(args);
          } catch (error) {
            if (!model) throw error;
            skipReplicaOrRethrow(error);
            const delegate = (primary as unknown as Record<string, Record<string, (a: unknown) => Promise<unknown>>>)[
              model.charAt(0).toLowerCase() + model.slice(1)
            ];
            return delegate[operation](args);
          }
        },
      },
    }) as unknown as PrismaReader;
    const runner = sqlRunner({ query }, replica.pool, replica.keyLookups);
    const primarySql = this.primarySql;
    const sql: SqlRunner = {
      ...runner,
      // A pair of reads on one connection falls back to the primary as a single statement does.
      rowsOfBoth: async (first, second) => {
        replica.reads += 2;
        try {
          return await runner.rowsOfBoth(first, second);
        } catch (error) {
          skipReplicaOrRethrow(error);
          return primarySql.rowsOfBoth(first, second);
        }
      },
      // A read in a transaction of its own (indexScansOnly) or on the shared connection (byKey)
      // falls back to the primary as a single statement does.
      rows: async (statement, options) => {
        if (!options?.indexScansOnly && !options?.byKey) return runner.rows(statement);
        replica.reads++;
        try {
          return await runner.rows(statement, options);
        } catch (error) {
          skipReplicaOrRethrow(error);
          return primarySql.rows(statement, options);
        }
      },
    };
    return { replica, sql, prisma };
  }
}
