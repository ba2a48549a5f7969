import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
  type QueryId,
  type RootOperationNode,
} from 'kysely';
import type { DB } from '../generated/kysely/database.js';
import { Parameter } from './parameter.js';

/** PostgreSQL's compiler, sending a Parameter used several times in a statement as one `$n`. */
class SharedParameterCompiler extends PostgresQueryCompiler {
  private numbered = new Map<Parameter, string>();

  override compileQuery(node: RootOperationNode, queryId: QueryId): CompiledQuery {
    this.numbered = new Map();
    return super.compileQuery(node, queryId);
  }

  protected override appendValue(value: unknown): void {
    if (!(value instanceof Parameter)) return super.appendValue(value);
    const placeholder = this.numbered.get(value);
    if (placeholder) return this.append(placeholder);
    super.appendValue(value);
    this.numbered.set(value, this.getCurrentParameterPlaceholder());
  }
}

/**
 * Kysely as a typed SQL builder only: it compiles statements against the tables generated from
 * prisma/schema.prisma (generator "kysely"), and never runs them. Statements go through the app's
 * own pg pools (sql-runner.ts), which keeps the named prepared statements, the pool metrics, the
 * watchdog and the read-replica routing in one place.
 */
export const kysely = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new SharedParameterCompiler(),
  },
});

export type { DB } from '../generated/kysely/database.js';
