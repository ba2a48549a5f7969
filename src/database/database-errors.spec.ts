import { mapDatabaseError } from './database-errors.js';

/** Error shapes observed while a real PostgreSQL was stopped or frozen under the app (test/database-outage.e2e-spec.ts). */
describe('mapDatabaseError: outages are 503', () => {
  const unavailable = (error: unknown) => mapDatabaseError(error)?.problem.status;

  it.each([
    ['server stopped (Prisma P1001)', Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { name: 'PrismaClientKnownRequestError', code: 'P1001' })],
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
