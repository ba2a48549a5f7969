import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolClient } from 'pg';
import { isRetryableTransactionError } from '../database/database-errors.js';

/** A connection inside an open transaction (READ COMMITTED, the server default). */
export type Tx = Pick<PoolClient, 'query'>;

export const TRANSACTION_RETRIES = 3;

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT when it returns, ROLLBACK
 * when it throws (the error propagates). A connection whose ROLLBACK fails is discarded.
 */
export async function inTransaction<T>(pool: Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * inTransaction, re-run from the start up to TRANSACTION_RETRIES times when PostgreSQL
 * reports a deadlock (40P01) or a serialization failure (40001), with a short jittered
 * backoff. After the last attempt the error propagates (database-errors.ts: 409 conflict).
 */
export async function inRetriedTransaction<T>(pool: Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(pool, work);
    } catch (err) {
      if (attempt >= TRANSACTION_RETRIES || !isRetryableTransactionError(err)) throw err;
      const base = 5 * 2 ** attempt;
      await sleep(base + Math.random() * base);
    }
  }
}
