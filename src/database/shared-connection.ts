import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { Statement } from './statement.js';

/** What runs one statement: a pool, or the shared connection. */
export interface StatementQueryable {
  query<Row extends QueryResultRow>(statement: Statement<Row>): Promise<QueryResult<Row>>;
}

/**
 * One pooled connection that concurrent lookups by key share (SqlRunner's `byKey` reads). Each
 * statement is written as soon as it is made, without waiting for the answers of those before it
 * (node-postgres's pipelining, on for every connection, database-pool.ts), and each gets its own
 * answer or error, in order, each in its own implicit transaction as on a connection of its own.
 * Under load PostgreSQL then reads several statements per wake-up and the service several answers
 * per read, where a connection per statement woke both sides for every one: GET /v1/products/{id}
 * answered about 1.8 times the requests per second (README, "Performance").
 *
 * Only for statements that cannot hold up those queued behind them: a lookup by key is one index
 * probe and, outside a transaction, never waits for a lock. The connection is checked out of the
 * pool when first needed and kept (one of DB_POOL_MAX, which must be at least 2 for it to be used:
 * database-pool.ts). When it fails (the database restarted, the query watchdog gave up on a hung
 * one) every statement on it fails as on any pooled connection (a 503), and the pool replaces it
 * at the next lookup.
 */
export class SharedConnection implements StatementQueryable {
  private client?: PoolClient;
  private connecting?: Promise<StatementQueryable>;
  private closed = false;

  constructor(private readonly pool: Pool) {}

  query<Row extends QueryResultRow>(statement: Statement<Row>): Promise<QueryResult<Row>> {
    if (this.client) return this.client.query<Row>(statement);
    if (this.closed) return this.pool.query<Row>(statement);
    return (this.connecting ??= this.connect()).then((connection) => connection.query<Row>(statement));
  }

  /** Gives the connection back to the pool (at shutdown, once the server has drained). */
  close(): void {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    client?.release();
  }

  private async connect(): Promise<StatementQueryable> {
    try {
      const client = await this.pool.connect();
      if (this.closed) {
        client.release();
        return this.pool;
      }
      const discard = (error?: Error) => {
        if (this.client !== client) return;
        this.client = undefined;
        client.release(error ?? new Error('the shared connection ended'));
      };
      client.once('error', discard);
      client.once('end', () => discard());
      this.client = client;
      return client;
    } finally {
      this.connecting = undefined;
    }
  }
}
