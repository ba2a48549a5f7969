import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'pg';
import { isRetryableTransactionError } from './database-errors.js';
import { inOneWrite, sendAndRelease } from './one-write.js';
import { type SqlRunner, sqlRunner } from './sql-runner.js';

/**
 * The handle of an open transaction (READ COMMITTED, the server default): repositories run their
 * statements on it. Only the unit of work makes one, so a method that must run inside a transaction
 * (one that locks rows for the statements after it) cannot be handed the pool by mistake.
 */
export interface Transaction extends SqlRunner {
  readonly inTransaction: true;
}

export const TRANSACTION_RETRIES = 3;

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT when it returns, ROLLBACK
 * when it throws (the error propagates). A connection whose ROLLBACK fails is discarded.
 *
 * BEGIN is not awaited before `work` starts: the pool pipelines (database-pool.ts), so BEGIN and
 * the work's first statement reach PostgreSQL in one round trip, and it runs them in that order
 * (an order placement: two round trips instead of three). COMMIT is still sent only after the last
 * statement has answered, by a process that is alive to send it, so work cut off before then
 * (the process stopped) never takes effect. BEGIN itself fails only with its connection, and then
 * so does every statement written behind it. The connection's socket is corked from BEGIN until
 * the work's synchronous start has made its first statement, so both leave in one write.
 *
 * The connection goes back to the pool as COMMIT is written, before its answer (sendAndRelease):
 * under load a unit of work is waiting for it, and that one's BEGIN and first statement leave in
 * the same write as this COMMIT, which PostgreSQL runs first. This unit still returns only once
 * COMMIT has answered; a failed COMMIT (the transaction was rolled back) rejects it as before,
 * and needs no ROLLBACK of ours: PostgreSQL has ended the transaction, and the connection, if it
 * broke, fails the next user's queries, which discards it.
 */
async function once<T>(pool: Pool, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const tx: Transaction = { ...sqlRunner(client), inTransaction: true };
  // The async arrow runs `work` at once, to its first await, and turns a synchronous throw into a rejection.
  const [begun, working] = inOneWrite(client, () => [client.query('BEGIN'), (async () => work(tx))()] as const);
  begun.catch(() => undefined); // awaited below; a failure then is the work's failure too
  let result: T;
  try {
    result = await working;
    await begun;
  } catch (err) {
    let broken: Error | undefined;
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    client.release(broken);
    throw err;
  }
  await sendAndRelease(client, () => client.query('COMMIT'));
  return result;
}

/**
 * The one way to open a unit of work: `work` runs in one transaction, re-run from the start up
 * to TRANSACTION_RETRIES times when PostgreSQL reports a deadlock (40P01) or a serialization
 * failure (40001), after a short jittered backoff. So `work` must be safe to repeat (it only
 * talks to the database through `tx`). After the last attempt the error propagates (the problem
 * filter answers 409 conflict).
 */
export function inTransaction<T>(pool: Pool, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return retried(() => once(pool, work));
}

async function retried<T>(attempt: () => Promise<T>): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (err) {
      if (retry >= TRANSACTION_RETRIES || !isRetryableTransactionError(err)) throw err;
      const base = 5 * 2 ** retry;
      await sleep(base + Math.random() * base);
    }
  }
}
