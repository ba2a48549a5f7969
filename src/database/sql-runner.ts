import type { Pool } from 'pg';
import { inOneWrite } from './one-write.js';
import type { StatementQueryable } from './shared-connection.js';
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
  /**
   * A lookup by primary or unique key (one index probe, a handful of rows at most): it shares a
   * connection with the other lookups in flight, pipelined, instead of taking one of its own
   * (shared-connection.ts). Never for a statement that can be slow: those behind it would wait.
   */
  byKey?: boolean;
}

/** The options of a lookup by key (ReadOptions.byKey). */
export const BY_KEY: ReadOptions = Object.freeze({ byKey: true });

/** Runs typed statements; repositories take one (a reader, the primary, or a transaction handle). */
export interface SqlRunner {
  rows<Row>(statement: Statement<Row>, options?: ReadOptions): Promise<Row[]>;
  /**
   * Two reads whose answers are needed together (a page and its count), each its own statement as
   * two `rows` calls would run them, but on one connection and in one write: one pool checkout,
   * one system call and one wake-up of PostgreSQL instead of two each (README, "Performance").
   */
  rowsOfBoth<First, Second>(first: Statement<First>, second: Statement<Second>): Promise<[First[], Second[]]>;
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
 * Both statements on one pooled connection, written together (the pool pipelines): PostgreSQL runs
 * them in order, each in its own implicit transaction, as on two connections. As pool.query does, a
 * connection on which a statement failed is discarded rather than reused.
 */
async function bothOnOneConnection<First, Second>(
  pool: Pick<Pool, 'connect'>,
  first: Statement<First>,
  second: Statement<Second>,
): Promise<[First[], Second[]]> {
  const client = await pool.connect();
  const sent = inOneWrite(client, () => [client.query<First & object>(first), client.query<Second & object>(second)] as const);
  const [a, b] = await Promise.allSettled(sent);
  const failure = a.status === 'rejected' ? a : b.status === 'rejected' ? b : undefined;
  client.release(failure === undefined ? undefined : (failure.reason as Error));
  if (failure !== undefined) throw failure.reason;
  return [(a as PromiseFulfilledResult<{ rows: First[] }>).value.rows, (b as PromiseFulfilledResult<{ rows: Second[] }>).value.rows];
}

/**
 * A runner over a pool (`pool` given: reads with `indexScansOnly` and pairs of reads take a connection of their own,
 * lookups by key go to `keyLookups`) or over a transaction's connection (statements run as they
 * are: a transaction's statements are its own, and no search runs in one).
 */
export function sqlRunner(queryable: Queryable, pool?: Pick<Pool, 'connect'>, keyLookups?: StatementQueryable): SqlRunner {
  return {
    async rows<Row>(statement: Statement<Row>, options?: ReadOptions): Promise<Row[]> {
      if (options !== undefined && pool) {
        if (options.indexScansOnly) return withoutSeqScans(pool, statement);
        if (options.byKey && keyLookups) return (await keyLookups.query(statement as Statement<Row & object>)).rows;
      }
      const { rows } = await queryable.query<Row & object>(statement);
      return rows;
    },
    async rowsOfBoth<First, Second>(first: Statement<First>, second: Statement<Second>): Promise<[First[], Second[]]> {
      if (pool) return bothOnOneConnection(pool, first, second);
      const [a, b] = await Promise.all([queryable.query<First & object>(first), queryable.query<Second & object>(second)]);
      return [a.rows, b.rows];
    },
    async rowCount(statement: Statement<unknown>): Promise<number> {
      const result = await queryable.query(statement);
      return result.rowCount ?? 0;
    },
  };
}
