import type { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { watchQueries } from './query-watchdog.js';

export interface WatchedPool {
  pool: Pool;
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
    // No JIT compilation: it pays off for long analytical queries, while every statement here is
    // an OLTP one, and a plan whose estimate crosses jit_above_cost (a search's count at a million
    // rows) spent ~400 ms compiling to save a few. Sent at connection, as statement_timeout is.
    options: '-c jit=off',
  });
  // An idle client losing its connection (database restart, failover) must not crash the process.
  pool.on('error', (err) => logger.warn(`database connection lost (${applicationName}): ${err.message}`));
  // The driver gives up 1 s after the server's statement timeout (a hung server enforces none).
  const stopWatching = watchQueries(pool, statementTimeoutMs + 1000);
  return {
    pool,
    close: async () => {
      stopWatching();
      await pool.end();
    },
  };
}
