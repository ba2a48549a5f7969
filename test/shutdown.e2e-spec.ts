import { once } from 'node:events';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { LifecycleState } from '../src/lifecycle/lifecycle-state.js';
import { createTestApp, createTestDatabase } from './utils/test-app.js';
import { expectProblem } from './utils/problem.js';
import { freePort } from '../src/database/free-port.js';
import { lockProduct, ordersWaitingOnLock, waitFor } from './utils/row-locks.js';
import { startService, type ServiceProcess } from './utils/service-process.js';

const PASSWORD = 'correct horse battery';

type Outcome = { status: number; headers: Record<string, string | string[] | undefined>; body: string } | { error: string };

/** One request on a connection of its own (no keep-alive), so every failure is that request's own. */
function send(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(`${baseUrl}${path}`, {
      method,
      agent: false,
      headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end(payload);
  });
}

/** Seeds what an order needs straight into the database: a customer, a category and a product. */
async function seed(databaseUrl: string, stock: number): Promise<{ email: string; productId: number }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const email = `shutdown-${process.pid}@example.com`;
    const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id });
    await db.query(`INSERT INTO "User" (email, name, "passwordHash", role, "updatedAt") VALUES ($1, 'Shutdown test', $2, 'customer', now())`, [email, hash]);
    const category = await db.query(`INSERT INTO "Category" (name, slug, "updatedAt") VALUES ('Tools', 'tools', now()) RETURNING id`);
    const product = await db.query(
      `INSERT INTO "Product" (sku, name, price, stock, "categoryId", "updatedAt") VALUES ('HAMMER-1', 'Hammer', 12.50, $1, $2, now()) RETURNING id`,
      [stock, category.rows[0].id],
    );
    return { email, productId: product.rows[0].id };
  } finally {
    await db.end();
  }
}

/** Locks the product row in a transaction of the test's own: orders for it wait until release(). */
describe('Graceful shutdown of the real process (SIGTERM)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let service: ServiceProcess | undefined;
  afterEach(async () => {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    service = undefined;
    await database?.drop();
  });

  const start = async (env: Record<string, string>, stock: number) => {
    database = await createTestDatabase();
    const seeded = await seed(database.url, stock);
    service = await startService({ DATABASE_URL: database.url, DB_POOL_MAX: '30', ...env });
    const login = await send(service.baseUrl, 'POST', '/v1/auth/login', { email: seeded.email, password: PASSWORD });
    if (!('status' in login) || login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login)}`);
    return { ...seeded, auth: { authorization: `Bearer ${JSON.parse(login.body).accessToken}` } };
  };
  const placeOrder = (auth: Record<string, string>, productId: number, note: string) =>
    send(service!.baseUrl, 'POST', '/v1/orders', { items: [{ productId, quantity: 2 }], note }, auth);

  it('stops accepting, lets in-flight orders finish, loses none, and exits 0', async () => {
    const { auth, productId } = await start({ SHUTDOWN_TIMEOUT_MS: '8000' }, 1000);
    const exited = once(service!.child, 'exit');
    const lock = await lockProduct(database.url, productId);
    let released = false;
    try {
      // Wave 1: accepted and in flight (each one waits for the product's row lock) when SIGTERM comes.
      const wave1 = Array.from({ length: 20 }, (_, i) => placeOrder(auth, productId, `wave1-${i}`));
      await waitFor('20 orders in flight', async () => (await ordersWaitingOnLock(database.url)) === 20);

      const signalledAt = Date.now();
      service!.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));

      // After SIGTERM: not ready (refused, or a 503 while the listener closes), and new orders are refused.
      const ready = await send(service!.baseUrl, 'GET', '/health/ready');
      expect('error' in ready ? ready.error : String(ready.status)).toMatch(/^(ECONNREFUSED|503)$/);
      const wave2 = Array.from({ length: 10 }, (_, i) => placeOrder(auth, productId, `wave2-${i}`));

      // The in-flight orders are still waiting: release them inside the grace period.
      await new Promise((r) => setTimeout(r, 500));
      expect(service!.child.exitCode).toBeNull();
      await lock.release();
      released = true;

      const results1 = await Promise.all(wave1);
      const results2 = await Promise.all(wave2);
      const [code] = await exited;
      const shutdownMs = Date.now() - signalledAt;

      // Every accepted request got its whole answer: 201, each telling the client to reconnect elsewhere.
      for (const r of results1) {
        expect('status' in r && r.status).toBe(201);
        expect('status' in r && r.headers.connection).toBe('close');
      }
      // Requests sent after SIGTERM were refused at the door, never cut off halfway.
      for (const r of results2) expect('error' in r ? r.error : String(r.status)).toMatch(/^(ECONNREFUSED|201|503)$/);
      expect(code).toBe(0);
      expect(shutdownMs).toBeLessThan(8000);

      // What the clients were told is what the database holds: every 201 is an order, and nothing else is.
      const answered = [...results1, ...results2].flatMap((r) => ('status' in r && r.status === 201 ? [JSON.parse(r.body)] : []));
      const db = new Client({ connectionString: database.url });
      await db.connect();
      try {
        const orders = await db.query(`SELECT id, note FROM "Order" ORDER BY id`);
        expect(orders.rows.map((o) => o.note).sort()).toEqual(answered.map((o) => o.note).sort());
        expect(orders.rows.map((o) => o.id).sort()).toEqual(answered.map((o) => o.id).sort());
        const stock = await db.query(`SELECT stock FROM "Product" WHERE id = $1`, [productId]);
        expect(stock.rows[0].stock).toBe(1000 - 2 * answered.length);
      } finally {
        await db.end();
      }
      const messages = service!.lines.join('\n');
      expect(messages).toMatch(/SIGTERM received/);
      expect(messages).toMatch(/Shutdown complete/);
    } finally {
      if (!released) await lock.release();
    }
  }, 60_000);

  it('with SHUTDOWN_DELAY_MS, turns unready at once but keeps serving new connections until the delay is over', async () => {
    const { auth, productId } = await start({ SHUTDOWN_DELAY_MS: '5000' }, 1000);
    const exited = once(service!.child, 'exit');
    const signalledAt = Date.now();
    service!.child.kill('SIGTERM');
    await waitFor('readiness to turn 503', async () => {
      const ready = await send(service!.baseUrl, 'GET', '/health/ready');
      return 'status' in ready && ready.status === 503;
    });
    // The load balancer has not taken the instance out yet: what it still sends is served, on a
    // new connection, and each answer asks the client to reconnect elsewhere.
    const order = await placeOrder(auth, productId, 'during-the-delay');
    const live = await send(service!.baseUrl, 'GET', '/health/live');
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect('status' in order && order.status).toBe(201);
    expect('status' in order && order.headers.connection).toBe('close');
    expect('status' in live && live.status).toBe(200);
    const [code] = await exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(5000);
    expect(service!.lines.join('\n')).toMatch(/serving 5000 ms more before closing the listener/);
  }, 60_000);

  it('cuts off what is still running after SHUTDOWN_TIMEOUT_MS and exits 1, committing none of it', async () => {
    const { auth, productId } = await start({ SHUTDOWN_TIMEOUT_MS: '1000' }, 1000);
    const exited = once(service!.child, 'exit');
    const lock = await lockProduct(database.url, productId);
    try {
      const stuck = Array.from({ length: 5 }, (_, i) => placeOrder(auth, productId, `stuck-${i}`));
      await waitFor('5 orders in flight', async () => (await ordersWaitingOnLock(database.url)) === 5);
      const signalledAt = Date.now();
      service!.child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(1);
      expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(900);
      expect(Date.now() - signalledAt).toBeLessThan(5000);
      for (const r of await Promise.all(stuck)) expect('error' in r).toBe(true);
      expect(service!.lines.join('\n')).toMatch(/Shutdown took longer than 1000 ms/);
    } finally {
      await lock.release();
    }
    // The cut-off transactions were rolled back with their connections.
    await waitFor('the cut-off backends to end', async () => (await ordersWaitingOnLock(database.url)) === 0);
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      expect((await db.query(`SELECT count(*)::int AS n FROM "Order"`)).rows[0].n).toBe(0);
      expect((await db.query(`SELECT stock FROM "Product" WHERE id = $1`, [productId])).rows[0].stock).toBe(1000);
    } finally {
      await db.end();
    }
  }, 60_000);
});

describe('Graceful shutdown with the embedded PostgreSQL (no DATABASE_URL)', () => {
  it('stops the embedded server too, and exits 0; the next start finds its generated password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-api-shutdown-'));
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as "postgres" and must reach the folder
    const pgPort = await freePort();
    // The embedded database is for development: it refuses NODE_ENV=production.
    const env = {
      NODE_ENV: 'development',
      LOG_PRETTY: 'false',
      SEED_DEMO_DATA: 'false',
      EMBEDDED_PG_DIR: join(dir, 'pg'),
      EMBEDDED_PG_PORT: String(pgPort),
      DATABASE_URL: undefined,
    };
    let service: ServiceProcess | undefined;
    try {
      service = await startService(env, 60_000);
      expect(await portOpen(pgPort)).toBe(true);
      expect(await service.stop('SIGTERM')).toBe(0);
      expect(await portOpen(pgPort)).toBe(false);
      service = await startService(env, 60_000);
      expect(await service.stop('SIGTERM')).toBe(0);
    } finally {
      if (service?.child.exitCode === null) service.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('Draining (in process)', () => {
  it('turns readiness to 503 at once and asks clients to reconnect elsewhere, while still serving', async () => {
    const t = await createTestApp();
    try {
      await t.http.get('/health/ready').expect(200);
      t.app.get(LifecycleState).startDraining();
      const ready = await t.http.get('/health/ready');
      expectProblem(ready, 503, 'service-unavailable');
      expect(ready.body.detail).toMatch(/shutting down/);
      expect(ready.headers.connection).toBe('close');
      const live = await t.http.get('/health/live').expect(200);
      expect(live.headers.connection).toBe('close');
    } finally {
      await t.close();
    }
  });
});
