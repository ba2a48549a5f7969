import pg from 'pg';
import { startThrowawayPostgres } from '../src/database/embedded-postgres.js';
import { freePort } from '../src/database/free-port.js';
import { startService } from './utils/service-process.js';
import { createTestDatabase } from './utils/test-app.js';

type Database = Awaited<ReturnType<typeof createTestDatabase>>;

async function userCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM "User"')).rows[0].n);
  } finally {
    await client.end();
  }
}

describe('Safe defaults: development conveniences only on the embedded database, nothing internal open in production', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('with DATABASE_URL and NODE_ENV unset, refuses to start without JWT_SECRET, and seeds nothing', async () => {
    await expect(startService({ NODE_ENV: undefined, JWT_SECRET: undefined, DATABASE_URL: database.url, MIGRATE_ON_START: 'false' })).rejects.toThrow(
      /JWT_SECRET: required with DATABASE_URL/,
    );
    expect(await userCount(database.url)).toBe(0);
  });

  it('with DATABASE_URL and NODE_ENV unset, neither seeds an admin nor prints a password unless SEED_DEMO_DATA=true', async () => {
    const service = await startService({ NODE_ENV: undefined, LOG_PRETTY: 'false', DATABASE_URL: database.url, MIGRATE_ON_START: 'false' });
    try {
      expect(await userCount(database.url)).toBe(0);
      expect(service.lines.join('\n')).not.toMatch(/Password|admin@shop\.local/);
    } finally {
      await service.stop();
    }
  });

  it('in production, refuses to start while /metrics would be open on the public port', async () => {
    await expect(startService({ DATABASE_URL: database.url, METRICS_TOKEN: undefined })).rejects.toThrow(
      /METRICS_TOKEN or METRICS_PORT: one is required in production/,
    );
  });

  it('with METRICS_PORT, serves /metrics there only', async () => {
    const metricsPort = await freePort();
    const service = await startService({ DATABASE_URL: database.url, METRICS_TOKEN: undefined, METRICS_PORT: String(metricsPort) });
    try {
      expect((await fetch(`${service.baseUrl}/metrics`)).status).toBe(404);
      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scrape.status).toBe(200);
      expect(await scrape.text()).toMatch(/^# HELP/m);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/v1/products`)).status).toBe(404);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  });

  it.each(['a'.repeat(32), 'your-256-bit-secret-your-256-bit-secret'])('in production, refuses the weak JWT_SECRET %p', async (secret) => {
    await expect(startService({ DATABASE_URL: database.url, JWT_SECRET: secret })).rejects.toThrow(/JWT_SECRET is too weak for production/);
  });

  it('in production, refuses the embedded PostgreSQL with a clear message', async () => {
    await expect(startService({ DATABASE_URL: undefined })).rejects.toThrow(
      /DATABASE_URL is required in production: the embedded PostgreSQL is for development/,
    );
  });
});

describe('The embedded PostgreSQL', () => {
  it('gets a generated password, not "postgres"', async () => {
    const server = await startThrowawayPostgres();
    try {
      const url = new URL(server.url);
      expect(url.password).not.toBe('postgres');
      expect(url.password.length).toBeGreaterThanOrEqual(24);
      url.password = 'postgres';
      const guess = new pg.Client({ connectionString: url.toString() });
      await expect(guess.connect()).rejects.toThrow(/password authentication failed/);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.end();
    } finally {
      await server.stop();
    }
  });
});
