/**
 * What went wrong in the database, classified from Prisma's, the pg adapter's and pg's own errors
 * (the only place that reads their codes). Repositories turn the kinds they expect into typed
 * outcomes; whatever nobody expects reaches the global exception filter, which answers each kind
 * with its problem (src/common/problems/problem-details.filter.ts).
 */
export type DatabaseFailure =
  /** A unique index refused the write; `fields` are its columns when the error names them. */
  | { kind: 'unique-violation'; constraint?: string; fields: string[] }
  /** A foreign key refused the write: a missing referenced row, or a row still referenced. */
  | { kind: 'foreign-key-violation'; constraint?: string }
  /** A CHECK or NOT NULL rule of the schema. */
  | { kind: 'rule-violation'; sqlState: string }
  /** A value the column cannot hold; `reason` when the error says which way. */
  | { kind: 'data-exception'; reason?: DataExceptionReason }
  /** The record a write needed does not exist (Prisma's P2025). */
  | { kind: 'record-not-found' }
  /** A deadlock or serialization failure: the whole transaction may be retried. */
  | { kind: 'retryable' }
  /** The database cannot be reached, is shutting down, timed out or has no connection left. */
  | { kind: 'unavailable' };

export type DataExceptionReason = 'too-long' | 'out-of-range' | 'unstorable-character' | 'wrong-format';

const DATA_EXCEPTION_REASONS: Record<string, DataExceptionReason> = {
  '22001': 'too-long',
  '22003': 'out-of-range',
  '22021': 'unstorable-character',
  '22P02': 'wrong-format',
  '22P05': 'unstorable-character',
};

interface DriverError {
  name?: string;
  code?: unknown;
  meta?: Record<string, unknown>;
  message?: string;
  constraint?: unknown;
}

export function classifyDatabaseError(error: unknown): DatabaseFailure | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const err = error as DriverError;
  const code = typeof err.code === 'string' ? err.code : undefined;
  const sqlState = code && isSqlState(code) ? code : sqlStateFromPrisma(err);

  if (code === 'P2002' || sqlState === '23505') return { kind: 'unique-violation', constraint: constraintOf(err), fields: uniqueFields(err) };
  if (code === 'P2003' || sqlState === '23503') return { kind: 'foreign-key-violation', constraint: constraintOf(err) };
  if (sqlState === '23514' || sqlState === '23502') return { kind: 'rule-violation', sqlState };
  if (code === 'P2025') return { kind: 'record-not-found' };
  if (code === 'P2034' || sqlState === '40001' || sqlState === '40P01') return { kind: 'retryable' };
  if ((sqlState && sqlState.startsWith('22')) || (code && PRISMA_DATA_CODES.has(code)))
    return { kind: 'data-exception', reason: DATA_EXCEPTION_REASONS[sqlState ?? ''] };
  if (isDatabaseUnavailable(err, code, sqlState)) return { kind: 'unavailable' };
  return undefined;
}

/** Deadlocks and serialization failures: worth retrying the whole transaction. */
export function isRetryableTransactionError(error: unknown): boolean {
  return classifyDatabaseError(error)?.kind === 'retryable';
}

/**
 * A replica read that the primary may answer instead: the replica is unreachable, shutting down
 * or timed out, or it cancelled the query for a conflict with recovery (40001 on a standby).
 */
export function isReplicaFailure(error: unknown): boolean {
  const kind = classifyDatabaseError(error)?.kind;
  return kind === 'retryable' || kind === 'unavailable';
}

/** PostgreSQL's five-character SQLSTATE, as opposed to Prisma's own P1234 codes. */
const isSqlState = (code: string) => /^[0-9A-Z]{5}$/.test(code) && !/^P\d{4}$/.test(code);

type AdapterCause = { originalCode?: string; kind?: string; constraint?: { fields?: string[]; index?: string } };
const adapterCause = (err: DriverError) => (err.meta?.driverAdapterError as { cause?: AdapterCause } | undefined)?.cause;

function sqlStateFromPrisma(err: DriverError): string | undefined {
  const original = adapterCause(err)?.originalCode ?? (err.meta?.code as string | undefined);
  return typeof original === 'string' ? original : undefined;
}

/** The constraint or index the error names: pg errors name the constraint, Prisma 7 often only the index. */
function constraintOf(err: DriverError): string | undefined {
  const index = adapterCause(err)?.constraint?.index;
  if (typeof index === 'string') return index;
  return typeof err.constraint === 'string' ? err.constraint : undefined;
}

function uniqueFields(err: DriverError): string[] {
  const target = err.meta?.target;
  if (Array.isArray(target)) return target.map(String);
  const fields = adapterCause(err)?.constraint?.fields;
  if (Array.isArray(fields)) return fields.map((f) => f.replace(/"/g, ''));
  // Both follow Prisma's <Table>_<column>[_<column>…]_key convention, and our columns are camelCase (no "_").
  const index = constraintOf(err);
  const match = index ? /^[A-Za-z]+_(.+)_key$/.exec(index) : null;
  return match ? match[1].split('_') : [];
}

/** Prisma's codes for values a column cannot hold (too long, out of range, invalid). */
const PRISMA_DATA_CODES = new Set(['P2000', 'P2005', 'P2006', 'P2007', 'P2020', 'P2023', 'P2033']);

const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

function isDatabaseUnavailable(err: DriverError, code: string | undefined, sqlState: string | undefined): boolean {
  if (code && (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  // 08xxx connection exceptions, 57P0x shutdown/crash, 57014 statement timeout, 53300 too many connections.
  if (sqlState && (/^08/.test(sqlState) || /^57P0/.test(sqlState) || sqlState === '57014' || sqlState === '53300')) return true;
  if (err.name === 'PrismaClientInitializationError') return true;
  const kind = adapterCause(err)?.kind;
  if (kind && /DatabaseNotReachable|SocketTimeout|ConnectionClosed|TooManyConnections|TransactionAlreadyClosed/.test(kind)) return true;
  const message = err.message ?? '';
  // pg's own errors, passed through by the adapter: pool connect timeout, client query_timeout, dropped connection.
  return /timeout exceeded when trying to connect|Query read timeout|Connection terminated|connect ECONNREFUSED|Can't reach database server|terminating connection/i.test(
    message,
  );
}
