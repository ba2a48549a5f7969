import { randomUUID } from 'node:crypto';
import { createTestApp, createTestDatabase, type TestApp, testConfig } from './utils/test-app.js';
import { createApp } from '../src/app.factory.js';
import { PrismaService } from '../src/database/prisma.service.js';
import request from 'supertest';
import { expectProblem } from './utils/problem.js';

const login = (t: TestApp, email: string) => t.http.post('/v1/auth/login').send({ email, password: 'wrong password' });
const uniqueEmail = (label: string) => `${label}-${randomUUID()}@example.com`;
/**
 * A client address no other test (nor an earlier run, in Redis) has used: a random /64 of the
 * documentation prefix, sent through a trusted proxy (TRUST_PROXY=loopback, as tests come from 127.0.0.1).
 */
const uniqueClientIp = () => `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}::1`;
type Agent = ReturnType<typeof request>;
const loginFrom = (agent: Agent, ip: string, email: string) =>
  agent.post('/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password: 'wrong password' });

function expectRateLimited(res: request.Response): void {
  expectProblem(res, 429, 'rate-limited');
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
}

/**
 * With AUTH_THROTTLE_LIMIT=2 and AUTH_THROTTLE_IP_LIMIT=5: the per-(IP, e-mail) limit and the
 * per-IP one both apply; attempts go round the agents (app instances), which must share counters.
 */
async function expectBothAuthLimits(agents: Agent[], prisma: TestApp['prisma']): Promise<void> {
  const agent = (i: number) => agents[i % agents.length];
  const ip = uniqueClientIp();
  const victim = uniqueEmail('victim');
  expect((await loginFrom(agent(0), ip, victim)).status).toBe(401);
  expect((await loginFrom(agent(1), ip, victim)).status).toBe(401);
  expectRateLimited(await loginFrom(agent(2), ip, victim)); // per IP and e-mail: 2 spent
  // Other e-mails from the same IP: the per-IP budget (5) counts every attempt, the refused one too.
  expect((await loginFrom(agent(3), ip, uniqueEmail('spray'))).status).toBe(401);
  expect((await loginFrom(agent(4), ip, uniqueEmail('spray'))).status).toBe(401);
  expectRateLimited(await loginFrom(agent(5), ip, uniqueEmail('spray')));
  // One budget for all auth routes: registering from that IP is refused too, and creates nothing.
  const newcomer = uniqueEmail('newcomer');
  expectRateLimited(
    await agent(6).post('/v1/auth/register').set('X-Forwarded-For', ip).send({ email: newcomer, name: 'New', password: 'long enough password' }),
  );
  expect(await prisma.user.count({ where: { email: newcomer } })).toBe(0);
  // Only this IP, and only the auth routes: another client still gets in, this one elsewhere.
  expect((await loginFrom(agent(7), uniqueClientIp(), uniqueEmail('other'))).status).toBe(401);
  expect((await agent(8).get('/v1/users/me').set('X-Forwarded-For', ip)).status).toBe(401);
}

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

describe('Password spraying: a per-IP limit on the auth routes beside the per-(IP, e-mail) one (in memory)', () => {
  it('refuses an attempt when either limit is spent, with 429 problem and Retry-After', async () => {
    const t = await createTestApp({
      THROTTLE_ENABLED: 'true',
      AUTH_THROTTLE_LIMIT: '2',
      AUTH_THROTTLE_IP_LIMIT: '5',
      THROTTLE_TTL_MS: '60000',
      TRUST_PROXY: 'loopback',
    });
    try {
      await expectBothAuthLimits([t.http], t.prisma);
    } finally {
      await t.close();
    }
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
    const env = { THROTTLE_ENABLED: 'true', AUTH_THROTTLE_LIMIT: '4', REDIS_URL: redisUrl, TRUST_PROXY: 'loopback' };
    const apps = await Promise.all([createApp(testConfig(database.url, env)), createApp(testConfig(database.url, env))]);
    try {
      await Promise.all(apps.map((app) => app.getHttpAdapter().getInstance().ready()));
      const [a, b] = apps.map((app) => request(app.getHttpServer()));
      const email = `shared-${randomUUID()}@example.com`;
      const ip = uniqueClientIp(); // the per-IP counter lives in Redis beyond this run
      const attempt = (agent: typeof a) => loginFrom(agent, ip, email);
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

  it('shares the per-IP auth limit across instances too, beside the per-(IP, e-mail) one', async () => {
    const database = await createTestDatabase();
    const env = {
      THROTTLE_ENABLED: 'true',
      AUTH_THROTTLE_LIMIT: '2',
      AUTH_THROTTLE_IP_LIMIT: '5',
      THROTTLE_TTL_MS: '60000',
      REDIS_URL: redisUrl,
      TRUST_PROXY: 'loopback',
    };
    const apps = await Promise.all([createApp(testConfig(database.url, env)), createApp(testConfig(database.url, env))]);
    try {
      await Promise.all(apps.map((app) => app.getHttpAdapter().getInstance().ready()));
      await expectBothAuthLimits(
        apps.map((app) => request(app.getHttpServer())),
        apps[0].get(PrismaService),
      );
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await database.drop();
    }
  });
});

describe('Rate limits count an IPv6 /64 as one client', () => {
  it('addresses rotated within one /64 share the general budget and the per-(IP, e-mail) one', async () => {
    const t = await createTestApp({ THROTTLE_ENABLED: 'true', THROTTLE_LIMIT: '3', AUTH_THROTTLE_LIMIT: '2', TRUST_PROXY: 'loopback' });
    try {
      const prefix = uniqueClientIp().replace(/::1$/, '');
      const from = (host: number) => `${prefix}::${host.toString(16)}`;
      for (let host = 1; host <= 3; host++) expect((await t.http.get('/v1/users/me').set('X-Forwarded-For', from(host))).status).toBe(401);
      expectRateLimited(await t.http.get('/v1/users/me').set('X-Forwarded-For', from(4)));
      const victim = uniqueEmail('victim');
      expect((await loginFrom(t.http, `${uniqueClientIp().replace(/::1$/, '')}::a`, victim)).status).toBe(401);
      const other = uniqueClientIp().replace(/::1$/, '');
      expect((await loginFrom(t.http, `${other}::1`, victim)).status).toBe(401);
      expect((await loginFrom(t.http, `${other}::2`, victim)).status).toBe(401);
      expectRateLimited(await loginFrom(t.http, `${other}::3`, victim));
    } finally {
      await t.close();
    }
  });
});
