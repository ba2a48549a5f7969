import { request as httpRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BusinessMetrics } from '../src/metrics/business-metrics.service.js';
import { createUser } from './utils/fixtures.js';
import { createProduct } from './utils/order-fixtures.js';
import { lockProduct, ordersWaitingOnLock, waitFor } from './utils/row-locks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { expectProblem } from './utils/problem.js';

/** A garbage collection now: the GC histogram has no series before the first one, which a fresh Jest worker may not have had yet. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Parses the Prometheus text format into samples: `name{labels} value`. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DB_POOL_MAX: '2' });
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const res = await t.http.get('/metrics').expect(200);
    return samples(res.text);
  };
  const value = (all: ReturnType<typeof samples>, name: string, labels: Record<string, string> = {}) =>
    all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  it('answers the text exposition format, uncached, without a token when METRICS_TOKEN is unset', async () => {
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toMatch(/^# HELP http_request_duration_seconds /m);
    expect(res.text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    expect(res.text).toMatch(/^# TYPE http_requests_total counter$/m);
    expect(res.text).toMatch(/^# TYPE http_requests_in_flight gauge$/m);
  });

  it('labels requests by method, route template (never the raw URL) and status, 404s as "unmatched"', async () => {
    await t.http.patch('/v1/users/123').send({ role: 'staff' }).expect(401);
    await t.http.patch('/v1/users/456').send({ role: 'staff' }).expect(401);
    await t.http.get('/v1/no-such-thing/789').expect(404);
    await t.http.get('/health/live').expect(200);

    const all = await scrape();
    const route = { method: 'PATCH', route: '/v1/users/:id', status_code: '401' };
    expect(value(all, 'http_requests_total', route)).toBe(2);
    expect(value(all, 'http_request_duration_seconds_count', route)).toBe(2);
    expect(value(all, 'http_request_duration_seconds_sum', route)).toBeGreaterThan(0);
    expect(value(all, 'http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBe(2);
    expect(value(all, 'http_request_duration_seconds_bucket', { ...route, le: '0.005' })).toBeDefined();
    expect(value(all, 'http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    expect(value(all, 'http_requests_total', { method: 'GET', route: '/health/live', status_code: '200' })).toBe(1);

    const httpSamples = all.filter((s) => s.name.startsWith('http_'));
    for (const s of httpSamples) {
      expect(
        Object.keys(s.labels)
          .filter((k) => k !== 'le')
          .sort(),
      ).toEqual(
        s.name === 'http_requests_in_flight' ? [] : s.name === 'http_requests_aborted_total' ? ['method', 'route'] : ['method', 'route', 'status_code'],
      );
      expect(s.labels.route ?? '').not.toMatch(/\d{3}/); // no raw ids: bounded cardinality
    }
  });

  it('counts requests in flight, and clients that went away before the answer', async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as { port: number };
    const buyer = await createUser(t, 'customer');
    const product = await createProduct(t);
    // The orders wait for the product's row lock inside the handler: certainly in flight, on any machine.
    const lock = await lockProduct(t.databaseUrl, product.id);
    const requests = [1, 2].map(() => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/v1/orders', headers: { 'content-type': 'application/json', ...buyer.auth } });
      req.on('error', () => undefined);
      req.end(JSON.stringify({ items: [{ productId: product.id, quantity: 1 }] }));
      return req;
    });
    try {
      await waitFor('2 orders in flight', async () => (await ordersWaitingOnLock(t.databaseUrl)) === 2);
      expect(value(await scrape(), 'http_requests_in_flight')).toBe(3); // the two orders and the scrape
      for (const req of requests) req.destroy(); // the clients hang up before their answer
    } finally {
      await lock.release();
    }
    // The handlers finish into closed sockets; poll until both are counted.
    const aborted = async () => value(await scrape(), 'http_requests_aborted_total', { method: 'POST', route: '/v1/orders' });
    await waitFor('2 aborted requests', async () => (await aborted()) === 2);
    await waitFor('nothing in flight but the scrape', async () => value(await scrape(), 'http_requests_in_flight') === 1);
  });

  it('exports process and Node.js default metrics', async () => {
    collectGarbage(); // the collection is reported asynchronously (a PerformanceObserver)
    await waitFor('a garbage collection counted', async () => (await scrape()).some((s) => s.name === 'nodejs_gc_duration_seconds_count'));
    const names = new Set((await scrape()).map((s) => s.name));
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_active_handles_total',
      'nodejs_gc_duration_seconds_count',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('exports the database pool: open, idle and max connections and waiting clients', async () => {
    const pool = t.prisma.pool;
    const held = [await pool.connect(), await pool.connect()]; // DB_POOL_MAX=2: the pool is exhausted
    const waiting = pool.query('SELECT 1');
    try {
      const all = await scrape();
      expect(value(all, 'db_pool_connections')).toBe(2);
      expect(value(all, 'db_pool_idle_connections')).toBe(0);
      expect(value(all, 'db_pool_waiting_clients')).toBe(1);
      expect(value(all, 'db_pool_max_connections')).toBe(2);
    } finally {
      held.forEach((client) => client.release());
      await waiting;
    }
    const after = await scrape();
    expect(value(after, 'db_pool_waiting_clients')).toBe(0);
    expect(value(after, 'db_pool_idle_connections')).toBe(2);
  });

  it('exports the business counters: orders placed and stock conflicts', async () => {
    const before = await scrape();
    const business = t.app.get(BusinessMetrics);
    business.orderPlaced();
    business.orderPlaced();
    business.stockConflict();
    const after = await scrape();
    expect(value(after, 'shop_orders_placed_total')).toBe(value(before, 'shop_orders_placed_total')! + 2);
    expect(value(after, 'shop_stock_conflicts_total')).toBe(value(before, 'shop_stock_conflicts_total')! + 1);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'metrics-token-0123456789abcdef';
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: token, THROTTLE_ENABLED: 'true', THROTTLE_LIMIT: '2' });
  });
  afterAll(() => t.close());

  it('answers 401 problems without the token or with a wrong one', async () => {
    const missing = await t.http.get('/metrics');
    expectProblem(missing, 401, 'unauthorized');
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(missing.text).not.toContain('http_requests_total');
    expectProblem(await t.http.get('/metrics').set('Authorization', `Bearer ${token}x`), 401, 'unauthorized');
    expectProblem(await t.http.get('/metrics').set('Authorization', token), 401, 'unauthorized');
  });

  it('answers with the token, and is never rate limited', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.http.get('/metrics').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('http_requests_total');
    }
  });
});
