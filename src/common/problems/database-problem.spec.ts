import { classifyDatabaseError, type DatabaseFailure } from '../../database/database-errors.js';
import { databaseProblem } from './database-problem.js';

const problemOf = (error: unknown) => databaseProblem(classifyDatabaseError(error) as DatabaseFailure);

describe('databaseProblem', () => {
  it('answers an outage with 503 and Retry-After: 5', () => {
    const problem = problemOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    expect(problem.problem.status).toBe(503);
    expect(problem.details.headers).toEqual({ 'Retry-After': '5' });
  });

  it('answers a unique violation with 409 naming the fields', () => {
    const problem = problemOf(Object.assign(new Error('duplicate key value'), { code: '23505', constraint: 'IdempotencyKey_userId_key_key' }));
    expect(problem.problem.status).toBe(409);
    expect(problem.details.errors?.map((e) => e.field)).toEqual(['userId', 'key']);
    expect(problem.details.detail).toBe('A record with this userId, key already exists');
  });

  it('answers a unique violation that names no field with 409 and no field errors', () => {
    const problem = problemOf(Object.assign(new Error('duplicate key value'), { code: '23505' }));
    expect(problem.problem.status).toBe(409);
    expect(problem.details.errors).toEqual([]);
  });

  it('answers a foreign key violation with 409 in-use', () => {
    const problem = problemOf(Object.assign(new Error('violates foreign key constraint'), { code: '23503' }));
    expect(problem.problem.status).toBe(409);
    expect(problem.problem.slug).toBe('in-use');
  });

  it.each([
    ['22021', Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' })],
    ['22P02', Object.assign(new Error('invalid input syntax for type bigint'), { code: '22P02' })],
    ['22008', Object.assign(new Error('date/time field value out of range: "SELECT"'), { code: '22008' })],
  ])('answers a data exception (%s) with 400 that shows nothing of the database', (_code, error) => {
    const problem = problemOf(error);
    expect(problem.problem.status).toBe(400);
    expect(problem.details.detail).not.toMatch(/0x00|bigint|UTF8|SELECT/);
  });

  it('answers a CHECK violation with a 409 that names no constraint', () => {
    const problem = problemOf(Object.assign(new Error('new row violates check constraint "Product_stock_max_check"'), { code: '23514' }));
    expect(problem.problem.status).toBe(409);
    expect(problem.details.detail).not.toMatch(/Product|check constraint/);
  });

  it('answers a deadlock that outlived its retries with 409', () => {
    expect(problemOf(Object.assign(new Error('deadlock detected'), { code: '40P01' })).problem.status).toBe(409);
  });
});
