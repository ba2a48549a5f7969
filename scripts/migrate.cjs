#!/usr/bin/env node
// SQL migration runner for Prisma's migration layout, used because `prisma migrate` needs Prisma's
// native schema engine, which cannot be downloaded on these machines.
//
//   node scripts/migrate.cjs up            apply pending prisma/migrations/<ts>_<name>/migration.sql (= prisma migrate deploy)
//   node scripts/migrate.cjs status        list applied / pending migrations
//   node scripts/migrate.cjs reset         drop + recreate schema "public", then apply all (test/dev only)
//   node scripts/migrate.cjs new <name>    create prisma/migrations/<UTC ts>_<name>/migration.sql
//
// Ordering and bookkeeping go through umzug. History is kept in Prisma's own `_prisma_migrations`
// table (same DDL, sha256 checksum of the file, one row per migration), so `prisma migrate status` /
// `prisma migrate deploy` on a machine that has the native engine see the same history.
// Each file runs in one transaction together with its history row; the whole run holds Prisma
// Migrate's advisory lock (72707369), so it also excludes a concurrent `prisma migrate deploy`.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const crypto = require('node:crypto')
const { Client } = require('pg')
const { Umzug } = require('umzug')

const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'prisma', 'migrations')
const PRISMA_LOCK_KEY = 72707369
const HISTORY_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`

const sha256 = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex')
// Prisma accepts a checksum computed with either line-ending convention.
const checksumMatches = (sql, sum) => [sql, sql.replace(/\r\n/g, '\n'), sql.replace(/\r?\n/g, '\r\n')].some((v) => sha256(v) === sum)

function localMigrations() {
  if (!fs.existsSync(MIGRATIONS_DIR)) return []
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(MIGRATIONS_DIR, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, file: path.join(MIGRATIONS_DIR, name, 'migration.sql') }))
}

async function connect(url, log = console.log) {
  const client = new Client({ connectionString: url })
  try {
    await client.connect()
    return client
  } catch (err) {
    if (err.code !== '3D000') throw err // 3D000: database does not exist -> create it, like Prisma does
    const target = new URL(url)
    const dbName = decodeURIComponent(target.pathname.slice(1))
    const admin = new URL(url)
    admin.pathname = '/postgres'
    const adminClient = new Client({ connectionString: admin.toString() })
    await adminClient.connect()
    try {
      await adminClient.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`)
      log(`Created database "${dbName}"`)
    } finally {
      await adminClient.end()
    }
    const again = new Client({ connectionString: url })
    await again.connect()
    return again
  }
}

function makeUmzug(client, log = console.log) {
  const local = localMigrations()
  return new Umzug({
    context: client,
    logger: {
      info: (e) => e && e.event === 'migrating' && log(`Applying ${e.name}`),
      warn: (e) => console.warn(e),
      error: (e) => console.error(e),
      debug: () => {},
    },
    migrations: local.map(({ name, file }) => ({
      name,
      path: file,
      up: async ({ context: db }) => {
        const sql = fs.readFileSync(file, 'utf8')
        const startedAt = new Date()
        await db.query('BEGIN')
        try {
          await db.query(sql) // no parameters -> simple-query protocol: the whole file in one go, like Prisma
          await db.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, $4, now(), 1)`,
            [crypto.randomUUID(), sha256(sql), name, startedAt],
          )
          await db.query('COMMIT')
        } catch (err) {
          await db.query('ROLLBACK').catch(() => {})
          err.message = `Migration ${name} failed: ${err.message}`
          throw err
        }
      },
    })),
    storage: {
      async executed({ context: db }) {
        await db.query(HISTORY_DDL)
        const { rows } = await db.query(
          `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
           WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`,
        )
        const failed = rows.filter((r) => !r.finished_at).map((r) => r.migration_name)
        if (failed.length) throw new Error(`Failed migrations recorded in _prisma_migrations: ${failed.join(', ')}`)
        const byName = new Map(local.map((m) => [m.name, m.file]))
        for (const r of rows) {
          const file = byName.get(r.migration_name)
          if (!file) console.warn(`warning: ${r.migration_name} is applied but missing from prisma/migrations`)
          else if (!checksumMatches(fs.readFileSync(file, 'utf8'), r.checksum))
            throw new Error(`Migration ${r.migration_name} was modified after it was applied (checksum mismatch)`)
        }
        return rows.map((r) => r.migration_name)
      },
      async logMigration() {}, // recorded inside the migration's own transaction (see up)
      async unlogMigration() {
        throw new Error('Down migrations are not supported (same as Prisma Migrate)')
      },
    },
  })
}

async function withLockedClient(url, fn, log) {
  const client = await connect(url, log)
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_LOCK_KEY])
    return await fn(client)
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_LOCK_KEY]).catch(() => {})
    await client.end()
  }
}

/** Applies pending migrations. `options.log` receives progress lines (default: console.log). */
async function up(url, { log = console.log } = {}) {
  return withLockedClient(
    url,
    async (client) => {
      const applied = await makeUmzug(client, log).up()
      if (applied.length === 0) log('No pending migrations to apply.')
      else log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`)
      return applied.map((m) => m.name)
    },
    log,
  )
}

async function status(url) {
  return withLockedClient(url, async (client) => {
    const u = makeUmzug(client)
    const executed = (await u.executed()).map((m) => m.name)
    const pending = (await u.pending()).map((m) => m.name)
    for (const n of executed) console.log(`applied  ${n}`)
    for (const n of pending) console.log(`pending  ${n}`)
    console.log(pending.length ? `${pending.length} pending migration(s).` : 'Database schema is up to date.')
    return { executed, pending }
  })
}

async function reset(url, { log = console.log } = {}) {
  if (process.env.NODE_ENV === 'production') throw new Error('Refusing to reset with NODE_ENV=production')
  await withLockedClient(
    url,
    async (client) => {
      await client.query('DROP SCHEMA IF EXISTS "public" CASCADE; CREATE SCHEMA "public";')
    },
    log,
  )
  log('Dropped and recreated schema "public".')
  return up(url, { log })
}

function newMigration(name) {
  if (!name || !/^[a-z0-9_]+$/i.test(name)) throw new Error('usage: migrate.cjs new <name> (letters, digits, _)')
  const ts = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14) // UTC YYYYMMDDHHMMSS, as Prisma
  const dir = path.join(MIGRATIONS_DIR, `${ts}_${name}`)
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'migration.sql')
  fs.writeFileSync(file, `-- ${name}: write the SQL that makes the database match prisma/schema.prisma\n`)
  console.log(`Created ${path.relative(process.cwd(), file)}`)
  return file
}

module.exports = { up, status, reset, newMigration, localMigrations, sha256 }

if (require.main === module) {
  const [cmd, arg] = process.argv.slice(2)
  const url = process.env.DATABASE_URL
  const run = async () => {
    if (cmd === 'new') return newMigration(arg)
    if (!url) throw new Error('DATABASE_URL is not set')
    if (cmd === 'up' || cmd === 'deploy') return up(url)
    if (cmd === 'status') return status(url)
    if (cmd === 'reset') return reset(url)
    throw new Error('usage: migrate.cjs up|status|reset|new <name>')
  }
  run().catch((err) => {
    console.error(err.message)
    process.exit(1)
  })
}
