// SQL parity: which statements each server sent PostgreSQL during the measurement, from
// pg_stat_statements. The baseline is only a yardstick if it asks the database for the same work
// as the service, so the run compares the two sets and fails when they differ.
import { withClient } from './postgres.mjs'

/** Statements sent at least this often by one server count as part of its workload. */
const SIGNIFICANT_CALLS = 100

/**
 * Creates the extension in the service's scratch database (dropped with it; the view covers every
 * database); false when the server has not preloaded the library (a DATABASE_URL server may not).
 */
export async function enableStatementStats(databaseUrl) {
  try {
    await withClient(databaseUrl, async (c) => {
      await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      await c.query('SELECT 1 FROM pg_stat_statements LIMIT 1')
    })
    return true
  } catch {
    return false
  }
}

/** Forgets what the two databases ran so far (and nothing of other databases on a shared server). */
export function resetStatementStats(databaseUrl, databases) {
  return withClient(databaseUrl, (c) => c.query('SELECT pg_stat_statements_reset(0, oid, 0) FROM pg_database WHERE datname = ANY($1)', [databases]))
}

/** { [database]: Map(queryid → { query, calls }) } for the given databases. */
export async function statementsOf(databaseUrl, databases) {
  const { rows } = await withClient(databaseUrl, (c) =>
    c.query(
      `SELECT d.datname, s.queryid::text AS queryid, s.query, s.calls::int AS calls
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ANY($1)`,
      [databases],
    ),
  )
  const result = Object.fromEntries(databases.map((name) => [name, new Map()]))
  for (const row of rows) result[row.datname].set(row.queryid, { query: row.query, calls: row.calls })
  return result
}

/**
 * Statements one server sent at least SIGNIFICANT_CALLS times that the other never sent. The
 * baseline database is a TEMPLATE copy of the service's, so equal SQL has equal query ids.
 */
export function compareStatements(service, baseline) {
  const missingFrom = (from, other) =>
    [...from]
      .filter(([id, s]) => s.calls >= SIGNIFICANT_CALLS && !other.has(id))
      .map(([, s]) => ({ calls: s.calls, query: s.query.replace(/\s+/g, ' ').slice(0, 300) }))
  const onlyService = missingFrom(service, baseline)
  const onlyBaseline = missingFrom(baseline, service)
  const shared = [...service].filter(([id, s]) => s.calls >= SIGNIFICANT_CALLS && baseline.has(id)).length
  return { same: onlyService.length === 0 && onlyBaseline.length === 0, shared, onlyService, onlyBaseline }
}
