import type { Pool } from 'pg';
import type { Statement } from './statement.js';

/** What runs statements: a pool (one statement, any connection) or an open transaction (its connection). */
export type Queryable = Pick<Pool, 'query'>;

/** Runs typed statements; repositories take one (a reader, the primary, or a transaction handle). */
export interface SqlRunner {
  rows<Row>(statement: Statement<Row>): Promise<Row[]>;
  /** The statement's row count (rows changed by an INSERT/UPDATE/DELETE without RETURNING). */
  rowCount(statement: Statement<unknown>): Promise<number>;
}

export function sqlRunner(queryable: Queryable): SqlRunner {
  return {
    async rows<Row>(statement: Statement<Row>): Promise<Row[]> {
      const { rows } = await queryable.query<Row & object>(statement);
      return rows;
    },
    async rowCount(statement: Statement<unknown>): Promise<number> {
      const result = await queryable.query(statement);
      return result.rowCount ?? 0;
    },
  };
}
