import pg from 'pg';
import { migrateUp } from '../src/database/migrator.js';
import { createTestDatabase } from './utils/test-app.js';

const MIGRATION = '20261126100000_email_normalisation';

/**
 * Migration 20261126100000_email_normalisation on rows written before it: they are normalised
 * like new input, and rows that would collide stop the migration without changing anything.
 */
describe(`migration ${MIGRATION}`, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;

  /** A migrated database rolled back to just before this migration, holding `emails`. */
  async function databaseBeforeMigration(emails: string[]): Promise<number[]> {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`DROP INDEX "User_email_lower_key"`);
    await client.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [MIGRATION]);
    const ids: number[] = [];
    for (const email of emails) {
      const row = await client.query(`INSERT INTO "User" (email, name, "passwordHash", "updatedAt") VALUES ($1, 'U', 'x', now()) RETURNING id`, [email]);
      ids.push(row.rows[0].id);
    }
    return ids;
  }
  const emailsById = async () => (await client.query(`SELECT id, email FROM "User" ORDER BY id`)).rows;
  const applied = async () => (await client.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [MIGRATION])).rowCount;

  afterEach(async () => {
    await client.end();
    await database.drop();
  });

  it('normalises existing addresses and makes them unique regardless of case', async () => {
    // As the old code stored them: trimmed and lower-cased only.
    const ids = await databaseBeforeMigration(['\uff42\uff4f\uff42@example.com', 'i\u0307nfo@example.com', 'rene\u0301@example.com', 'carol@example.com']);
    await migrateUp(database.url, () => undefined);
    expect(await emailsById()).toEqual([
      { id: ids[0], email: 'bob@example.com' },
      { id: ids[1], email: 'info@example.com' },
      { id: ids[2], email: 'ren\u00e9@example.com' },
      { id: ids[3], email: 'carol@example.com' },
    ]);
    expect(await applied()).toBe(1);
    const duplicate = client.query(`INSERT INTO "User" (email, name, "passwordHash", "updatedAt") VALUES ('Carol@Example.com', 'U', 'x', now())`);
    await expect(duplicate).rejects.toMatchObject({ code: '23505', constraint: 'User_email_lower_key' });
  });

  it('stops with a clear message and changes nothing when two addresses become one', async () => {
    const ids = await databaseBeforeMigration(['dave@example.com', '\uff44\uff41\uff56\uff45@example.com', 'e\u0301ve@example.com']);
    const before = await emailsById();
    await expect(migrateUp(database.url, () => undefined)).rejects.toThrow(
      `accounts whose e-mail addresses become the same when normalised: dave@example.com (user ids ${ids[0]}, ${ids[1]})`,
    );
    expect(await emailsById()).toEqual(before); // not even the one that does not collide (éve) changed
    expect(await applied()).toBe(0);
    const indexes = await client.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'User_email_lower_key'`);
    expect(indexes.rowCount).toBe(0);
  });
});
