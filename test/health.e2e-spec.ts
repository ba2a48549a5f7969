import { jest } from '@jest/globals';
import { Client } from 'pg';
import { JwtAuthGuard } from '../src/auth/guards/jwt-auth.guard.js';
import { createUser } from './utils/fixtures.js';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { expectProblem } from './utils/problem.js';

describe('Health', () => {
  let t: TestApp;
  const guard = jest.spyOn(JwtAuthGuard.prototype, 'canActivate'); // the first step of Nest's pipeline
  beforeAll(async () => {
    t = await createTestApp({ DB_CONNECT_TIMEOUT_MS: '500' });
  });
  afterAll(async () => {
    guard.mockRestore();
    await t.close();
  });
  beforeEach(() => guard.mockClear());

  it('live answers 200 without touching the database', async () => {
    const res = await t.http.get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it("answers a plain probe before Fastify and Nest's guards and handler; a probe with a token, a query, an Origin or a body goes through them", async () => {
    const staff = await createUser(t, 'staff');
    guard.mockClear();
    await t.http.get('/health/live').expect(200);
    const head = await t.http.head('/health/live').expect(200);
    expect(head.headers['content-length']).toBe('15');
    expect(guard).not.toHaveBeenCalled();

    // A sent token must be valid on every route, this one included.
    expectProblem(await t.http.get('/health/live').set('Authorization', 'Bearer not-a-token'), 401, 'invalid-token');
    expect((await t.http.get('/health/live').set(staff.auth).expect(200)).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/health/live?verbose=1').expect(200)).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/health/live').set('Origin', 'https://shop.example').expect(200)).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/health/live').set('Content-Type', 'application/json').send('{}').expect(200)).body).toEqual({ status: 'ok' });
    expect(guard).toHaveBeenCalledTimes(5);
    expectProblem(await t.http.get('/health/live?x=%01'), 400, 'validation-error'); // the input guard, before Nest
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
