import type { Logger } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import type { AppConfig } from '../config/app-config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { openPool, type WatchedPool } from './database-pool.js';

/**
 * How far the replica's replay is behind, in ms: 0 when it has replayed all it has received (an
 * idle primary sends nothing, and then the replica is current however old its last transaction),
 * otherwise the age of the last replayed commit, which over-estimates (never under-estimates) the
 * lag. A server not in recovery has nothing to be behind of. "All it has received" is `<=`, not
 * `=`: a restarted replica streams again from the start of its current WAL segment, so until the
 * primary writes something its received position stays behind what it had already replayed, and
 * an idle primary would have kept a current replica out of use indefinitely.
 */
export const REPLICA_LAG_SQL = `SELECT (CASE
  WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000, 'Infinity')
END)::float8 AS "lagMs"`;

/** One read replica: its own pool and Prisma client, and whether it may be read from now. */
export class ReadReplica {
  readonly name: string;
  readonly pool: WatchedPool['pool'];
  /** Where lookups by key go (database-pool.ts). */
  readonly keyLookups: WatchedPool['keyLookups'];
  readonly prisma: PrismaClient;
  /** False until a probe finds it reachable and within the lag bound; false again on any failure. */
  usable = false;
  lagMs: number | undefined;
  /** Reads sent to it, and those of them the primary answered because it failed them (for metrics). */
  reads = 0;
  fallbacks = 0;
  private readonly closePool: () => Promise<void>;

  constructor(
    url: string,
    private readonly config: AppConfig['database'],
    private readonly logger: Logger,
  ) {
    // host:port/database only: the URL may carry a password.
    const parsed = new URL(url);
    this.name = `${parsed.host}${parsed.pathname}`;
    const { pool, keyLookups, close } = openPool(url, config, 'shop-api-reader', logger);
    this.pool = pool;
    this.keyLookups = keyLookups;
    this.closePool = close;
    this.prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  }

  /** One probe; never throws. A probe slower than the connect timeout counts as a failure. */
  async check(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('probe timed out')), this.config.connectTimeoutMs);
    });
    try {
      const { rows } = await Promise.race([this.pool.query<{ lagMs: number }>(REPLICA_LAG_SQL), timeout]);
      this.lagMs = rows[0].lagMs;
      const withinBound = this.lagMs <= this.config.replicas.maxLagMs;
      this.setUsable(withinBound, withinBound ? undefined : `${Math.round(this.lagMs)} ms behind the primary`);
    } catch (error) {
      this.lagMs = undefined;
      this.setUsable(false, (error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A read failed on it: skip it until the next probe finds it healthy. */
  markFailed(error: unknown): void {
    this.fallbacks++;
    this.setUsable(false, (error as Error).message);
  }

  async close(): Promise<void> {
    await this.prisma.$disconnect();
    await this.closePool();
  }

  private setUsable(usable: boolean, reason?: string): void {
    if (usable === this.usable) return;
    this.usable = usable;
    if (usable) this.logger.log(`read replica ${this.name} is in use`);
    else this.logger.warn(`read replica ${this.name} is skipped: ${reason}`);
  }
}
