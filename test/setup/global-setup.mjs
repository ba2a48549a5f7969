// Jest global setup, in plain JavaScript because Jest loads it outside its ESM/TypeScript
// pipeline; it uses the build in dist/, which `npm test` makes first. Once per run: find a
// PostgreSQL server (TEST_DATABASE_URL, else DATABASE_URL, else a throwaway embedded one) and
// build a migrated template database that each test file clones into its own database
// (CREATE DATABASE … TEMPLATE).
import pg from 'pg'
import { startThrowawayPostgres } from '../../dist/database/embedded-postgres.js'
import { migrateUp } from '../../dist/database/migrator.js'

export default async function globalSetup() {
  let serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL
  if (!serverUrl) {
    const server = await startThrowawayPostgres()
    globalThis.__EMBEDDED_PG__ = server
    serverUrl = server.url
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
  await migrateUp(url.toString(), () => undefined)
  process.env.SHOP_TEST_SERVER_URL = serverUrl
  process.env.SHOP_TEST_TEMPLATE_DB = template
}
