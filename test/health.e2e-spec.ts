import { Client } from 'pg';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { expectProblem } from './utils/problem.js';

describe('Health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DB_CONNECT_TIMEOUT_MS: '500' });
  });
  afterAll(() => t.close());

  it('live answers 200 without touching the database', async () => {
    const res = await t.http.get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('ready answers 200 when the database answers', async () => {
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'up' } });
  });

  it('ready answers 503 while the database refuses connections, and recovers', async () => {
    const dbName = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new Client({ connectionString: t.databaseUrl.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [dbName]);
      const down = await t.http.get('/health/ready');
      expectProblem(down, 503, 'service-unavailable');
      expect(down.headers['retry-after']).toBeDefined();

      await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`);
      await t.http.get('/health/ready').expect(200);
    } finally {
      await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
    }
  });
});
