import { randomUUID } from 'node:crypto';
import { createTestApp, createTestDatabase, type TestApp, testConfig } from './utils/test-app.js';
import { createApp } from '../src/app.factory.js';
import request from 'supertest';
import { expectProblem } from './utils/problem.js';

const login = (t: TestApp, email: string) => t.http.post('/v1/auth/login').send({ email, password: 'wrong password' });

describe('Rate limits (in memory)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_ENABLED: 'true', THROTTLE_LIMIT: '8', AUTH_THROTTLE_LIMIT: '3', THROTTLE_TTL_MS: '60000' });
  });
  afterAll(() => t.close());

  it('limits login attempts per IP and e-mail, answering 429 with Retry-After', async () => {
    const email = `victim-${randomUUID()}@example.com`;
    for (let i = 0; i < 3; i++) expect((await login(t, email)).status).toBe(401);
    const limited = await login(t, email);
    expectProblem(limited, 429, 'rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another e-mail from the same IP still has its own budget.
    expect((await login(t, `other-${randomUUID()}@example.com`)).status).toBe(401);
  });

  it('counts lookalike forms of one e-mail as the same e-mail', async () => {
    const id = randomUUID().slice(0, 8);
    const forms = [`victim-${id}@example.com`, `VICTIM-${id}@EXAMPLE.COM`, `ｖｉｃｔｉｍ-${id}@example.com`];
    for (const email of forms) expect((await login(t, email)).status).toBe(401);
    expectProblem(await login(t, `victim-${id}@ｅｘａｍｐｌｅ.com`), 429, 'rate-limited');
  });

  it('applies a general per-IP limit elsewhere, but never to health checks', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await t.http.get('/v1/users/me')).status);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expectProblem(await t.http.get('/v1/users/me'), 429, 'rate-limited');
    for (let i = 0; i < 20; i++) await t.http.get('/health/live').expect(200);
  });
});

describe('Rate limits switched off', () => {
  it('lets everything through with THROTTLE_ENABLED=false', async () => {
    const t = await createTestApp({ THROTTLE_ENABLED: 'false', AUTH_THROTTLE_LIMIT: '1' });
    try {
      for (let i = 0; i < 5; i++) expect((await login(t, 'someone@example.com')).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});

const redisUrl = process.env.REDIS_URL;
(redisUrl ? describe : describe.skip)('Rate limits shared through Redis (REDIS_URL)', () => {
  it('counts attempts across two app instances', async () => {
    const database = await createTestDatabase();
    const env = { THROTTLE_ENABLED: 'true', AUTH_THROTTLE_LIMIT: '4', REDIS_URL: redisUrl };
    const apps = await Promise.all([createApp(testConfig(database.url, env)), createApp(testConfig(database.url, env))]);
    try {
      await Promise.all(apps.map((app) => app.getHttpAdapter().getInstance().ready()));
      const [a, b] = apps.map((app) => request(app.getHttpServer()));
      const email = `shared-${randomUUID()}@example.com`;
      const attempt = (agent: typeof a) => agent.post('/v1/auth/login').send({ email, password: 'wrong password' });
      const statuses = [];
      for (const agent of [a, b, a, b]) statuses.push((await attempt(agent)).status);
      expect(statuses).toEqual([401, 401, 401, 401]);
      expectProblem(await attempt(a), 429, 'rate-limited');
      expectProblem(await attempt(b), 429, 'rate-limited');
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await database.drop();
    }
  });
});
