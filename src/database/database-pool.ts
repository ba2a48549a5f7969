import type { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { watchQueries } from './query-watchdog.js';
import { SharedConnection, type StatementQueryable } from './shared-connection.js';

export interface WatchedPool {
  pool: Pool;
  /** Where lookups by key go: one connection they share (shared-connection.ts), or the pool when it has a single connection. */
  keyLookups: StatementQueryable;
  /** Stops the query watchdog and closes every connection. */
  close: () => Promise<void>;
}

/**
 * A pg pool with the app's bounds (size, connect and statement timeouts, the query watchdog), for
 * the primary and for each read replica alike.
 */
export function openPool(url: string, database: AppConfig['database'], applicationName: string, logger: Logger): WatchedPool {
  const { poolMax, connectTimeoutMs, statementTimeoutMs } = database;
  const pool = new Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: statementTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: applicationName,
    // No JIT compilation and no parallel workers: both pay off for long analytical queries, while
    // every statement here is an OLTP one. A plan whose estimate crosses jit_above_cost (a search's
    // count at a million rows) spent ~400 ms compiling to save a few; a first page of a search
    // planned as a parallel walk of the primary key waited ~90 ms for its two workers to start
    // (113 ms against 13 ms alone, at a million products), and under load the workers only take
    // cores from other requests. Sent at connection, as statement_timeout is.
    options: '-c jit=off -c max_parallel_workers_per_gather=0',
    // A query is written as soon as it is made, without waiting for the one before it to be
    // answered (node-postgres's pipelining): a transaction's BEGIN travels with its first statement
    // (unit-of-work.ts). Each query still gets its own answer or error, in order; everything that
    // awaits each query before making the next behaves as before.
    pipeline: true,
  });
  // An idle client losing its connection (database restart, failover) must not crash the process.
  pool.on('error', (err) => logger.warn(`database connection lost (${applicationName}): ${err.message}`));
  // The driver gives up 1 s after the server's statement timeout (a hung server enforces none).
  const stopWatching = watchQueries(pool, statementTimeoutMs + 1000);
  // A pool of one connection keeps it for whatever comes: a shared one would take it for good.
  const shared = poolMax >= 2 ? new SharedConnection(pool) : undefined;
  return {
    pool,
    keyLookups: shared ?? pool,
    close: async () => {
      shared?.close();
      stopWatching();
      await pool.end();
    },
  };
}
