import type { Pool } from 'pg';
import { inOneWrite } from './one-write.js';
import type { Statement } from './statement.js';

/** What runs statements: a pool (one statement, any connection) or an open transaction (its connection). */
export type Queryable = Pick<Pool, 'query'>;

export interface ReadOptions {
  /**
   * Plan the statement with sequential scans disabled (`SET LOCAL enable_seqscan = off` in a
   * transaction of its own). For a statement whose condition is an expensive expression that an
   * index answers exactly: the planner charges that expression to a bitmap scan of the index as
   * much as to a sequential scan, but only the sequential scan computes it, row by row (README,
   * "Indexes": the one- and two-character searches).
   */
  indexScansOnly?: boolean;
}

/** Runs typed statements; repositories take one (a reader, the primary, or a transaction handle). */
export interface SqlRunner {
  rows<Row>(statement: Statement<Row>, options?: ReadOptions): Promise<Row[]>;
  /** The statement's row count (rows changed by an INSERT/UPDATE/DELETE without RETURNING). */
  rowCount(statement: Statement<unknown>): Promise<number>;
}

/**
 * The statement in a read-only transaction of its own that plans without sequential scans. The
 * pool pipelines (database-pool.ts), so the transaction's start, the statement and COMMIT travel
 * in one round trip (one write): PostgreSQL runs them in order, and a failure aborts the transaction, which
 * COMMIT then ends as a rollback (nothing was written either way). A connection on which anything
 * failed is discarded rather than reused.
 */
async function withoutSeqScans<Row>(pool: Pick<Pool, 'connect'>, statement: Statement<Row>): Promise<Row[]> {
  const client = await pool.connect();
  const sent = inOneWrite(
    client,
    () => [client.query('BEGIN READ ONLY; SET LOCAL enable_seqscan = off'), client.query<Row & object>(statement), client.query('COMMIT')] as const,
  );
  const [begun, read, committed] = await Promise.allSettled(sent);
  const failure = [read, begun, committed].find((outcome) => outcome.status === 'rejected');
  client.release(failure === undefined ? undefined : (failure.reason as Error));
  if (failure !== undefined) throw failure.reason;
  return (read as PromiseFulfilledResult<{ rows: Row[] }>).value.rows;
}

/**
 * A runner over a pool (`pool` given: reads with `indexScansOnly` take a connection of their own)
 * or over a transaction's connection (statements run as they are: a transaction's statements are
 * its own, and no search runs in one).
 */
export function sqlRunner(queryable: Queryable, pool?: Pick<Pool, 'connect'>): SqlRunner {
  return {
    async rows<Row>(statement: Statement<Row>, options?: ReadOptions): Promise<Row[]> {
      if (options?.indexScansOnly && pool) return withoutSeqScans(pool, statement);
      const { rows } = await queryable.query<Row & object>(statement);
      return rows;
    },
    async rowCount(statement: Statement<unknown>): Promise<number> {
      const result = await queryable.query(statement);
      return result.rowCount ?? 0;
    },
  };
}
