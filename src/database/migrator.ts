import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { Umzug } from 'umzug';

/**
 * SQL migrations in Prisma's layout (prisma/migrations/<ts>_<name>/migration.sql), applied with
 * umzug because `prisma migrate` needs Prisma's native schema engine, which cannot be downloaded on
 * these machines (README, "Why migrations are not prisma migrate"). History is kept in Prisma's own
 * `_prisma_migrations` table (same DDL, sha256 checksum of the file, one row per migration), so
 * `prisma migrate status` / `deploy` on a machine that has the engine see the same history. Each
 * file runs in one transaction with its history row; a run holds Prisma Migrate's advisory lock, so
 * it also excludes a concurrent `prisma migrate deploy`.
 */
export const MIGRATIONS_DIR = resolve(import.meta.dirname, '..', '..', 'prisma', 'migrations');
const PRISMA_LOCK_KEY = 72707369;
const HISTORY_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export type Log = (line: string) => void;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
// Prisma accepts a checksum computed with either line-ending convention.
const checksumMatches = (sql: string, sum: string) => [sql, sql.replace(/\r\n/g, '\n'), sql.replace(/\r?\n/g, '\r\n')].some((v) => sha256(v) === sum);

function localMigrations(dir = MIGRATIONS_DIR): Array<{ name: string; file: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, file: join(dir, name, 'migration.sql') }));
}

/** Connects to `url`, creating the database first when it does not exist (as Prisma does). */
async function connect(url: string, log: Log): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return client;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err; // 3D000: no such database
    const name = decodeURIComponent(new URL(url).pathname.slice(1));
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const adminClient = new pg.Client({ connectionString: admin.toString() });
    await adminClient.connect();
    try {
      await adminClient.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      log(`Created database "${name}"`);
    } finally {
      await adminClient.end();
    }
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    return again;
  }
}

async function applyFile(db: pg.Client, name: string, file: string): Promise<void> {
  const sql = readFileSync(file, 'utf8');
  const startedAt = new Date();
  await db.query('BEGIN');
  try {
    await db.query(sql); // no parameters: the simple-query protocol runs the whole file at once, like Prisma
    await db.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, $4, now(), 1)`,
      [randomUUID(), sha256(sql), name, startedAt],
    );
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    if (err instanceof Error) err.message = `Migration ${name} failed: ${err.message}`;
    throw err;
  }
}

/** The names recorded as applied; refuses a failed run's leftovers and files changed after they were applied. */
async function appliedMigrations(db: pg.Client, local: Array<{ name: string; file: string }>, log: Log): Promise<string[]> {
  await db.query(HISTORY_DDL);
  const { rows } = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
     WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`,
  );
  const failed = rows.filter((r) => !r.finished_at).map((r) => r.migration_name);
  if (failed.length) throw new Error(`Failed migrations recorded in _prisma_migrations: ${failed.join(', ')}`);
  const byName = new Map(local.map((m) => [m.name, m.file]));
  for (const row of rows) {
    const file = byName.get(row.migration_name);
    if (!file) log(`warning: ${row.migration_name} is applied but missing from prisma/migrations`);
    else if (!checksumMatches(readFileSync(file, 'utf8'), row.checksum)) {
      throw new Error(`Migration ${row.migration_name} was modified after it was applied (checksum mismatch)`);
    }
  }
  return rows.map((r) => r.migration_name);
}

function migrationsOf(db: pg.Client, log: Log): Umzug<pg.Client> {
  const local = localMigrations();
  return new Umzug<pg.Client>({
    context: db,
    logger: {
      info: (event: { event?: string; name?: string }) => {
        if (event?.event === 'migrating') log(`Applying ${event.name}`);
      },
      warn: (event) => log(`warning: ${JSON.stringify(event)}`),
      error: (event) => log(`error: ${JSON.stringify(event)}`),
      debug: () => undefined,
    },
    migrations: local.map(({ name, file }) => ({ name, path: file, up: ({ context }) => applyFile(context, name, file) })),
    storage: {
      executed: ({ context }) => appliedMigrations(context, local, log),
      logMigration: async () => undefined, // recorded inside the migration's own transaction (applyFile)
      unlogMigration: () => Promise.reject(new Error('Down migrations are not supported (same as Prisma Migrate)')),
    },
  });
}

async function withLockedClient<T>(url: string, log: Log, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = await connect(url, log);
  try {
    await db.query('SELECT pg_advisory_lock($1)', [PRISMA_LOCK_KEY]);
    return await work(db);
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [PRISMA_LOCK_KEY]).catch(() => undefined);
    await db.end();
  }
}

/** Applies the pending migrations (= prisma migrate deploy); returns their names. */
export function migrateUp(url: string, log: Log = console.log): Promise<string[]> {
  return withLockedClient(url, log, async (db) => {
    const applied = (await migrationsOf(db, log).up()).map((m) => m.name);
    log(applied.length === 0 ? 'No pending migrations to apply.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`);
    return applied;
  });
}

export function migrationStatus(url: string, log: Log = console.log): Promise<{ executed: string[]; pending: string[] }> {
  return withLockedClient(url, log, async (db) => {
    const migrations = migrationsOf(db, log);
    const executed = (await migrations.executed()).map((m) => m.name);
    const pending = (await migrations.pending()).map((m) => m.name);
    for (const name of executed) log(`applied  ${name}`);
    for (const name of pending) log(`pending  ${name}`);
    log(pending.length ? `${pending.length} pending migration(s).` : 'Database schema is up to date.');
    return { executed, pending };
  });
}

/** Drops and recreates schema "public", then applies every migration (development and tests only). */
export async function resetDatabase(url: string, log: Log = console.log): Promise<string[]> {
  if (process.env.NODE_ENV === 'production') throw new Error('Refusing to reset with NODE_ENV=production');
  await withLockedClient(url, log, (db) => db.query('DROP SCHEMA IF EXISTS "public" CASCADE; CREATE SCHEMA "public";'));
  log('Dropped and recreated schema "public".');
  return migrateUp(url, log);
}

/** The service's start-up migration, logging through Nest: the outcome at info, each step at debug. */
export function applyMigrations(url: string): Promise<string[]> {
  const logger = new Logger('Migrations');
  return migrateUp(url, (line) => (/^(Applying |No pending)/.test(line) ? logger.debug(line) : logger.log(line)));
}
