import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { newMigration, schemaEngine } from '../src/cli/new-migration.js';
import { seed } from '../src/cli/seed.js';
import { DEMO_CATALOGUE } from '../src/seed/demo-catalogue.js';
import { createTestDatabase, TEST_JWT_SECRET } from './utils/test-app.js';

describe('npm run db:seed', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });
  const env = (extra: Record<string, string> = {}) => ({ NODE_ENV: 'test', DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...extra });
  const count = async (table: string) => Number((await client.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
  const demoProducts = DEMO_CATALOGUE.flatMap((c) => c.products).length;

  it('refuses in production without --force and changes nothing', async () => {
    const result = await seed([], env({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET }));
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/NODE_ENV=production: refusing .* nothing changed\. Run with --force/);
    expect(await count('Category')).toBe(0);
    expect(await count('User')).toBe(0);
  });

  it('seeds the demo catalogue and the first admin, then is idempotent', async () => {
    const first = await seed([], env({ ADMIN_PASSWORD: 'seeded admin password' }));
    expect(first).toEqual({
      code: 0,
      output: `Demo catalogue: added ${DEMO_CATALOGUE.length} categories and ${demoProducts} products.\nCreated the first admin admin@shop.local with ADMIN_PASSWORD.`,
    });
    expect(await count('Category')).toBe(DEMO_CATALOGUE.length);
    expect(await count('Product')).toBe(demoProducts);
    const again = await seed([], env());
    expect(again.output).toBe(
      'Demo catalogue: complete already; nothing added.\nThe database has users already: no admin created (npm run create-admin makes one).',
    );
    expect(await count('Product')).toBe(demoProducts);
    expect(await count('User')).toBe(1);
  });

  it('adds back a missing demo product and never changes an existing one', async () => {
    await client.query(`UPDATE "Product" SET price = 1.23 WHERE sku = 'COF-ESP-1KG'`);
    await client.query(`DELETE FROM "Product" WHERE sku = 'TEA-SENCHA'`);
    expect((await seed([], env())).output).toMatch(/^Demo catalogue: added 0 categories and 1 products\./);
    expect((await client.query(`SELECT price::text FROM "Product" WHERE sku = 'COF-ESP-1KG'`)).rows[0].price).toBe('1.23');
    expect(await count('Product')).toBe(demoProducts);
  });

  it('seeds in production with --force', async () => {
    await client.query(`DELETE FROM "Product" WHERE sku = 'GEAR-V60'`);
    const result = await seed(['--force'], env({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET }));
    expect(result).toEqual(expect.objectContaining({ code: 0, output: expect.stringMatching(/added 0 categories and 1 products/) }));
  });

  it('says what is wrong with its arguments', async () => {
    expect(await seed(['--forse'], env())).toEqual({ code: 2, output: expect.stringMatching(/Unknown option '--forse'[\s\S]*Usage: npm run db:seed/) });
  });
});

describe('npm run db:new', () => {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("without Prisma's schema engine: writes the file with what to do, and says so", () => {
    const lines: string[] = [];
    const env = { PRISMA_SCHEMA_ENGINE_BINARY: 'scripts/prisma-no-schema-engine.sh' };
    expect(schemaEngine(env)).toBeUndefined();
    const { file, drafted } = newMigration('add_colour', { migrationsDir: dir, env, log: (l) => lines.push(l) });
    expect(drafted).toBe(false);
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^\d{14}_add_colour$/)]);
    const sql = readFileSync(file, 'utf8');
    expect(sql).toMatch(/^-- add_colour\n-- Not drafted: Prisma's schema engine is not installed here/);
    expect(sql).toMatch(/npm run db:check/);
    expect(lines).toEqual([
      expect.stringMatching(/^Created .*add_colour\/migration\.sql with instructions: write the SQL \(Prisma's schema engine is not installed here\)\.$/),
    ]);
  });

  it('refuses a name that is not letters, digits and _', () => {
    expect(() => newMigration('add colour', { migrationsDir: dir, env: {}, log: () => undefined })).toThrow(/letters, digits and _: npm run db:new -- /);
  });
});
