import { DisposablePostgres } from './support/disposable-postgres.js';
import { startService, type ServiceProcess } from './utils/service-process.js';

const CONNECT_TIMEOUT_MS = 1000;
const STATEMENT_TIMEOUT_MS = 1000;
/** What a DB-backed request may take while the database is gone: a timeout plus slack for a busy CI machine. */
const BOUND_MS = CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 2000;

/**
 * The real service (dist/main.js) on a PostgreSQL server of the test's own, which the test stops,
 * restarts, freezes and thaws under it: requests must fail fast with 503 problems and the
 * service must recover by itself.
 */
describe('Database outages', () => {
  let pg: DisposablePostgres;
  let service: ServiceProcess;

  beforeAll(async () => {
    pg = await DisposablePostgres.create();
    service = await startService({
      DATABASE_URL: pg.url('shop'),
      MIGRATE_ON_START: 'true', // a fresh server: the service creates and migrates the database
      DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DB_POOL_MAX: '4',
      LOG_LEVEL: 'warn',
    });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await pg?.destroy();
  });

  const timed = async (path: string, init?: RequestInit) => {
    const started = performance.now();
    const res = await fetch(`${service.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
    const body = await res.text();
    return { res, body, ms: performance.now() - started };
  };
  const login = () =>
    timed('/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'some long password' }),
    });
  /** DB-backed requests: a public list and a login (which looks the user up). */
  const databaseRequests = () => [timed('/v1/products'), timed('/v1/categories'), login()];

  const expectUnavailable = ({ res, body, ms }: Awaited<ReturnType<typeof timed>>) => {
    expect({ status: res.status, fast: ms < BOUND_MS }).toEqual({ status: 503, fast: true });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    const problem = JSON.parse(body);
    expect(problem).toEqual(expect.objectContaining({ type: 'https://shop-api.dev/problems/service-unavailable', status: 503 }));
    expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|prisma|postgres|timeout exceeded|node_modules/i);
  };
  const expectHealthy = async () => {
    const deadline = Date.now() + 15_000;
    while ((await timed('/health/ready')).res.status !== 200) {
      if (Date.now() > deadline) throw new Error('the service did not become ready again');
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const { res } of await Promise.all([timed('/v1/products'), timed('/v1/categories')])) expect(res.status).toBe(200);
    expect((await login()).res.status).toBe(401); // the database answers again: an unknown user
  };

  it('works while the database is up', async () => {
    await expectHealthy();
  });

  it('answers 503 problems at once while the database is down, and recovers when it is back (no restart)', async () => {
    await pg.stop();
    try {
      for (const result of await Promise.all(databaseRequests())) expectUnavailable(result);
      expectUnavailable(await timed('/health/ready'));
      // Again, now that the pool has no connection left.
      for (const result of await Promise.all(databaseRequests())) expectUnavailable(result);
      const live = await timed('/health/live');
      expect(live.res.status).toBe(200);
      expect(service.child.exitCode).toBeNull();
    } finally {
      await pg.start();
    }
    await expectHealthy();
    expect(service.child.exitCode).toBeNull();
  }, 60_000);

  it('answers 503 problems within the timeouts while the database hangs, and recovers when it answers again', async () => {
    pg.freeze();
    try {
      for (const result of await Promise.all(databaseRequests())) expectUnavailable(result);
      const ready = await timed('/health/ready');
      expectUnavailable(ready);
      expect((await timed('/health/live')).res.status).toBe(200);
    } finally {
      pg.thaw();
    }
    await expectHealthy();
    expect(service.child.exitCode).toBeNull();
  }, 60_000);
});
