import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';

/**
 * The single place that turns Prisma / PostgreSQL / driver errors into HTTP problems.
 * Services may catch and re-throw something more specific (e.g. "sku already exists");
 * whatever they do not handle lands here through the global exception filter.
 */
export function mapDatabaseError(error: unknown): ProblemException | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const err = error as { name?: string; code?: unknown; meta?: Record<string, unknown>; message?: string };
  const code = typeof err.code === 'string' ? err.code : undefined;
  const sqlState = code && isSqlState(code) ? code : sqlStateFromPrisma(err);

  if (code === 'P2002' || sqlState === '23505') {
    const fields = uniqueFields(err);
    return new ProblemException(Problems.duplicate, {
      detail: fields.length ? `A record with this ${fields.join(', ')} already exists` : 'A record with this value already exists',
      errors: fields.map((field) => ({ field, message: `${field} must be unique` })),
    });
  }
  if (code === 'P2003' || sqlState === '23503') {
    return new ProblemException(Problems.inUse, { detail: 'The operation conflicts with a related record' });
  }
  if (sqlState === '23514' || sqlState === '23502') {
    // A CHECK or NOT NULL rule of the schema: the API validates first, so reaching one means a rule
    // the validation missed; still the request's conflict with the data, not a server failure.
    return new ProblemException(Problems.conflict, { detail: 'The change conflicts with a rule of the stored data' });
  }
  if (code === 'P2025') return new ProblemException(Problems.notFound, { detail: 'Resource not found' });
  if (code === 'P2034' || sqlState === '40001' || sqlState === '40P01') {
    return new ProblemException(Problems.conflict, { detail: 'The request conflicted with a concurrent update; retry it' });
  }
  if ((sqlState && sqlState.startsWith('22')) || (code && PRISMA_DATA_CODES.has(code))) {
    // A data exception (a value the column cannot hold, a character PostgreSQL cannot store…)
    // is the request's fault, whichever path let it through validation: a 400, not a 500.
    return new ProblemException(Problems.badRequest, { detail: DATA_EXCEPTION_DETAIL[sqlState ?? ''] ?? 'A value in the request cannot be stored' });
  }
  if (isDatabaseUnavailable(err, code, sqlState)) {
    return new ProblemException(Problems.serviceUnavailable, {
      detail: 'The database is not available; retry later',
      headers: { 'Retry-After': '5' },
    });
  }
  return undefined;
}

/** Deadlocks and serialization failures: worth retrying the whole transaction. */
export function isRetryableTransactionError(error: unknown): boolean {
  const err = error as { code?: unknown; meta?: Record<string, unknown> };
  if (!err || typeof err !== 'object') return false;
  const sqlState = typeof err.code === 'string' && isSqlState(err.code) ? err.code : sqlStateFromPrisma(err);
  return err.code === 'P2034' || sqlState === '40001' || sqlState === '40P01';
}

/** PostgreSQL's five-character SQLSTATE, as opposed to Prisma's own P1234 codes. */
const isSqlState = (code: string) => /^[0-9A-Z]{5}$/.test(code) && !/^P\d{4}$/.test(code);

function sqlStateFromPrisma(err: { meta?: Record<string, unknown> }): string | undefined {
  const adapterError = err.meta?.driverAdapterError as { cause?: { originalCode?: string; kind?: string } } | undefined;
  const original = adapterError?.cause?.originalCode ?? (err.meta?.code as string | undefined);
  return typeof original === 'string' ? original : undefined;
}

function uniqueFields(err: { meta?: Record<string, unknown>; constraint?: unknown }): string[] {
  const target = err.meta?.target;
  if (Array.isArray(target)) return target.map(String);
  const constraint = (err.meta?.driverAdapterError as { cause?: { constraint?: { fields?: string[]; index?: string } } } | undefined)?.cause?.constraint;
  if (Array.isArray(constraint?.fields)) return constraint.fields.map((f) => f.replace(/"/g, ''));
  // Prisma 7 often names only the index; pg errors name the constraint. Both follow Prisma's
  // <Table>_<column>[_<column>…]_key convention, and our columns are camelCase (no "_").
  const index = constraint?.index ?? (typeof err.constraint === 'string' ? err.constraint : undefined);
  const match = index ? /^[A-Za-z]+_(.+)_key$/.exec(index) : null;
  return match ? match[1].split('_') : [];
}

/** Prisma's codes for values a column cannot hold (too long, out of range, invalid). */
const PRISMA_DATA_CODES = new Set(['P2000', 'P2005', 'P2006', 'P2007', 'P2020', 'P2023', 'P2033']);
const DATA_EXCEPTION_DETAIL: Record<string, string> = {
  '22001': 'A text value in the request is too long',
  '22003': 'A number in the request is out of range',
  '22021': 'A text value in the request contains a character that cannot be stored',
  '22P02': 'A value in the request has the wrong format',
  '22P05': 'A text value in the request contains a character that cannot be stored',
};

const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

function isDatabaseUnavailable(
  err: { name?: string; message?: string; meta?: Record<string, unknown> },
  code: string | undefined,
  sqlState: string | undefined,
): boolean {
  if (code && (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  // 08xxx connection exceptions, 57P0x shutdown/crash, 57014 statement timeout, 53300 too many connections.
  if (sqlState && (/^08/.test(sqlState) || /^57P0/.test(sqlState) || sqlState === '57014' || sqlState === '53300')) return true;
  if (err.name === 'PrismaClientInitializationError') return true;
  const kind = (err.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined)?.cause?.kind;
  if (kind && /DatabaseNotReachable|SocketTimeout|ConnectionClosed|TooManyConnections|TransactionAlreadyClosed/.test(kind)) return true;
  const message = err.message ?? '';
  // pg's own errors, passed through by the adapter: pool connect timeout, client query_timeout, dropped connection.
  return /timeout exceeded when trying to connect|Query read timeout|Connection terminated|connect ECONNREFUSED|Can't reach database server|terminating connection/i.test(
    message,
  );
}

/**
 * A replica read that the primary may answer instead: the replica is unreachable, shutting down
 * or timed out, or it cancelled the query for a conflict with recovery (40001 on a standby).
 */
export function isReplicaFailure(error: unknown): boolean {
  return isRetryableTransactionError(error) || mapDatabaseError(error)?.problem === Problems.serviceUnavailable;
}
