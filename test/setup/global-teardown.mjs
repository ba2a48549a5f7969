// Drops the run's template database (test files drop their own), stops the throwaway server.
import pg from 'pg'

export default async function globalTeardown() {
  const serverUrl = process.env.SHOP_TEST_SERVER_URL
  const template = process.env.SHOP_TEST_TEMPLATE_DB
  if (globalThis.__EMBEDDED_PG__) {
    await globalThis.__EMBEDDED_PG__.stop()
    return
  }
  if (!serverUrl || !template) return
  const admin = new URL(serverUrl)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`)
  } finally {
    await client.end()
  }
}
