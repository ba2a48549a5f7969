import pg from 'pg';
import { watchQueries } from '../src/database/query-watchdog.js';
import { createTestDatabase } from './utils/test-app.js';

/** The client-side query timeout that replaces pg's per-query timers (src/database/query-watchdog.ts). */
describe('watchQueries', () => {
  const LIMIT_MS = 400;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  let stop: () => void;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined); // the destroyed connection; the pool replaces it
    stop = watchQueries(pool, LIMIT_MS);
  });
  afterAll(async () => {
    stop();
    await pool.end();
    await database.drop();
  });

  it('fails a query that waits longer than the limit, soon after it, and the pool carries on', async () => {
    const started = performance.now();
    await expect(pool.query('SELECT pg_sleep(5)')).rejects.toThrow(/Query read timeout|Connection terminated/);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(LIMIT_MS);
    expect(waited).toBeLessThan(LIMIT_MS + 3000); // well before pg_sleep(5) ends, with room for a busy machine
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('times each query, not the connection: shorter queries in a row are left alone', async () => {
    const client = await pool.connect();
    try {
      for (let i = 0; i < 4; i++) await client.query('SELECT pg_sleep(0.25)'); // 1 s on one connection, 250 ms each
    } finally {
      client.release();
    }
  });

  it('fails the query inside a transaction, whose connection is then not reused', async () => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await expect(client.query('SELECT pg_sleep(5)')).rejects.toThrow(/Query read timeout|Connection terminated/);
    } catch (err) {
      broken = err as Error;
    } finally {
      client.release(broken ?? new Error('connection destroyed by the watchdog'));
    }
    expect((await pool.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });
});
