import { classifyDatabaseError, isReplicaFailure, isRetryableTransactionError } from './database-errors.js';

const kind = (error: unknown) => classifyDatabaseError(error)?.kind;

/** Error shapes observed while a real PostgreSQL was stopped or frozen under the app (test/database-outage.e2e-spec.ts). */
describe('classifyDatabaseError: outages are "unavailable"', () => {
  it.each([
    [
      'server stopped (Prisma P1001)',
      Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { name: 'PrismaClientKnownRequestError', code: 'P1001' }),
    ],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['connection timeout', new Error('Connection terminated due to connection timeout')],
    ['query_timeout on a hung server', new Error('Query read timeout')],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['admin shutdown (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['statement_timeout (57014)', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })],
  ])('%s', (_name, error) => {
    expect(kind(error)).toBe('unavailable');
    expect(isReplicaFailure(error)).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(classifyDatabaseError(new Error('something else'))).toBeUndefined();
    expect(classifyDatabaseError(undefined)).toBeUndefined();
    expect(isReplicaFailure(new Error('something else'))).toBe(false);
  });
});

describe('classifyDatabaseError: unique violations name the constraint and its fields', () => {
  it('reads the fields from a Prisma 7 error that names only the index', () => {
    const error = Object.assign(new Error('Unique constraint failed'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2002',
      meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation', constraint: { index: 'Category_slug_key' } } } },
    });
    expect(classifyDatabaseError(error)).toEqual({ kind: 'unique-violation', constraint: 'Category_slug_key', fields: ['slug'] });
  });

  it('reads the fields from Prisma’s target', () => {
    const error = Object.assign(new Error('Unique constraint failed'), { code: 'P2002', meta: { target: ['email'] } });
    expect(classifyDatabaseError(error)).toMatchObject({ kind: 'unique-violation', fields: ['email'] });
  });

  it('reads the fields from a pg error on a compound key', () => {
    const error = Object.assign(new Error('duplicate key value'), { code: '23505', constraint: 'IdempotencyKey_userId_key_key' });
    expect(classifyDatabaseError(error)).toEqual({ kind: 'unique-violation', constraint: 'IdempotencyKey_userId_key_key', fields: ['userId', 'key'] });
  });

  it('is still a unique violation when nothing names the fields', () => {
    expect(classifyDatabaseError(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toEqual({
      kind: 'unique-violation',
      constraint: undefined,
      fields: [],
    });
  });
});

describe('classifyDatabaseError: other kinds', () => {
  it.each([
    [
      'pg foreign key (23503)',
      Object.assign(new Error('violates foreign key constraint'), { code: '23503', constraint: 'Product_categoryId_fkey' }),
      'foreign-key-violation',
    ],
    ['Prisma foreign key (P2003)', Object.assign(new Error('Foreign key constraint violated'), { code: 'P2003' }), 'foreign-key-violation'],
    ['CHECK (23514)', Object.assign(new Error('new row violates check constraint'), { code: '23514' }), 'rule-violation'],
    ['NOT NULL (23502)', Object.assign(new Error('null value in column'), { code: '23502' }), 'rule-violation'],
    ['record to update not found (P2025)', Object.assign(new Error('not found'), { code: 'P2025' }), 'record-not-found'],
    ['deadlock (40P01)', Object.assign(new Error('deadlock detected'), { code: '40P01' }), 'retryable'],
    ['serialization failure (40001)', Object.assign(new Error('could not serialize access'), { code: '40001' }), 'retryable'],
    ['Prisma write conflict (P2034)', Object.assign(new Error('write conflict'), { code: 'P2034' }), 'retryable'],
  ])('%s', (_name, error, expected) => {
    expect(kind(error)).toBe(expected);
  });

  it('names the foreign key that refused the write', () => {
    const error = Object.assign(new Error('violates foreign key constraint'), { code: '23503', constraint: 'Product_categoryId_fkey' });
    expect(classifyDatabaseError(error)).toEqual({ kind: 'foreign-key-violation', constraint: 'Product_categoryId_fkey' });
  });

  it('retries deadlocks and serialization failures only; a replica’s recovery conflict falls back to the primary', () => {
    expect(isRetryableTransactionError(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
    expect(isRetryableTransactionError(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isReplicaFailure(Object.assign(new Error('canceling statement due to conflict with recovery'), { code: '40001' }))).toBe(true);
    expect(isReplicaFailure(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
  });
});

describe('classifyDatabaseError: data exceptions say why when the SQLSTATE does', () => {
  it.each([
    ['NUL in text (22021)', Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }), 'unstorable-character'],
    ['integer out of range (22003)', Object.assign(new Error('integer out of range'), { code: '22003' }), 'out-of-range'],
    ['bad bigint text (22P02)', Object.assign(new Error('invalid input syntax for type bigint'), { code: '22P02' }), 'wrong-format'],
    ['a class-22 code not listed (22008)', Object.assign(new Error('date/time field value out of range'), { code: '22008' }), undefined],
    [
      'Prisma: number does not fit 64 bits (P2033)',
      Object.assign(new Error('A number used in the query does not fit'), { name: 'PrismaClientKnownRequestError', code: 'P2033' }),
      undefined,
    ],
    [
      'Prisma adapter error carrying the SQLSTATE',
      Object.assign(new Error('db error'), {
        name: 'PrismaClientKnownRequestError',
        code: 'P2010',
        meta: { driverAdapterError: { cause: { originalCode: '22021' } } },
      }),
      'unstorable-character',
    ],
  ])('%s', (_name, error, reason) => {
    expect(classifyDatabaseError(error)).toEqual({ kind: 'data-exception', reason });
  });
});
