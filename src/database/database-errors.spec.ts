import { mapDatabaseError } from './database-errors.js';

/** Error shapes observed while a real PostgreSQL was stopped or frozen under the app (test/database-outage.e2e-spec.ts). */
describe('mapDatabaseError: outages are 503', () => {
  const unavailable = (error: unknown) => mapDatabaseError(error)?.problem.status;

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
    expect(unavailable(error)).toBe(503);
  });

  it('leaves other errors alone', () => {
    expect(mapDatabaseError(new Error('something else'))).toBeUndefined();
  });
});

describe('mapDatabaseError: unique violations are 409 naming the fields', () => {
  const fields = (error: unknown) => mapDatabaseError(error)?.details.errors?.map((e) => e.field);

  it('reads the fields from a Prisma 7 error that names only the index', () => {
    const error = Object.assign(new Error('Unique constraint failed'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2002',
      meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation', constraint: { index: 'Category_slug_key' } } } },
    });
    expect(mapDatabaseError(error)?.problem.status).toBe(409);
    expect(fields(error)).toEqual(['slug']);
  });

  it('reads the fields from a pg error on a compound key', () => {
    const error = Object.assign(new Error('duplicate key value'), { code: '23505', constraint: 'IdempotencyKey_userId_key_key' });
    expect(fields(error)).toEqual(['userId', 'key']);
  });

  it('still answers 409 when nothing names the fields', () => {
    const error = Object.assign(new Error('duplicate key value'), { code: '23505' });
    expect(mapDatabaseError(error)?.problem.status).toBe(409);
    expect(fields(error)).toEqual([]);
  });
});

describe('mapDatabaseError: data exceptions are 400', () => {
  it.each([
    ['NUL in text (22021)', Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' })],
    ['integer out of range (22003)', Object.assign(new Error('integer out of range'), { code: '22003' })],
    ['bad bigint text (22P02)', Object.assign(new Error('invalid input syntax for type bigint'), { code: '22P02' })],
    ['a class-22 code not listed (22008)', Object.assign(new Error('date/time field value out of range'), { code: '22008' })],
    [
      'Prisma: number does not fit 64 bits (P2033)',
      Object.assign(new Error('A number used in the query does not fit'), { name: 'PrismaClientKnownRequestError', code: 'P2033' }),
    ],
    [
      'Prisma adapter error carrying the SQLSTATE',
      Object.assign(new Error('db error'), {
        name: 'PrismaClientKnownRequestError',
        code: 'P2010',
        meta: { driverAdapterError: { cause: { originalCode: '22021' } } },
      }),
    ],
  ])('%s', (_name, error) => {
    const problem = mapDatabaseError(error);
    expect(problem?.problem.status).toBe(400);
    expect(problem?.details.detail).not.toMatch(/0x00|bigint|UTF8|SELECT/);
  });
});

describe('mapDatabaseError: schema rules are 409', () => {
  it('maps a CHECK violation (23514) to a conflict that names no constraint', () => {
    const problem = mapDatabaseError(Object.assign(new Error('new row violates check constraint "Product_stock_max_check"'), { code: '23514' }));
    expect(problem?.problem.status).toBe(409);
    expect(problem?.details.detail).not.toMatch(/Product|check constraint/);
  });
});
