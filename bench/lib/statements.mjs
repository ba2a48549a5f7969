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

const normalised = (query) => query.replace(/\s+/g, ' ').trim()

/**
 * A server's statements grouped by their normalised text, calls summed. One statement can have
 * two query ids: when a prepared statement's plan is invalidated (autovacuum's ANALYZE of a table
 * it touches, under S3's inserts), PostgreSQL analyses it again with the parameter types it
 * inferred the first time, and a parameter that was untyped in the select list of an INSERT …
 * SELECT (the placement's `SELECT $1, 'pending', …, $3`) now yields a different tree (a column of
 * the sub-select instead of the parameter itself), so a different query id for the same text.
 * Each connection switches at its own moment, so either server may show either id.
 */
function byText(stats) {
  const groups = new Map()
  for (const [id, s] of stats) {
    const query = normalised(s.query)
    const group = groups.get(query) ?? { query, calls: 0, ids: [] }
    group.calls += s.calls
    group.ids.push(id)
    groups.set(query, group)
  }
  return groups
}

/**
 * Statements one server sent at least SIGNIFICANT_CALLS times that the other never sent, under
 * the same text or the same query id (the baseline database is a TEMPLATE copy of the service's,
 * so the same SQL written differently still has the same query id).
 */
export function compareStatements(service, baseline) {
  const serviceGroups = byText(service)
  const baselineGroups = byText(baseline)
  const sentBy = (groups, stats) => (group) => groups.has(group.query) || group.ids.some((id) => stats.has(id))
  const missingFrom = (groups, isShared) =>
    [...groups.values()].filter((g) => g.calls >= SIGNIFICANT_CALLS && !isShared(g)).map((g) => ({ calls: g.calls, query: g.query.slice(0, 300) }))
  const onlyService = missingFrom(serviceGroups, sentBy(baselineGroups, baseline))
  const onlyBaseline = missingFrom(baselineGroups, sentBy(serviceGroups, service))
  const shared = [...serviceGroups.values()].filter((g) => g.calls >= SIGNIFICANT_CALLS && sentBy(baselineGroups, baseline)(g)).length
  const underSeveralIds = (groups) => [...groups.values()].filter((g) => g.calls >= SIGNIFICANT_CALLS && g.ids.length > 1).length
  const reanalysed = { service: underSeveralIds(serviceGroups), baseline: underSeveralIds(baselineGroups) }
  return { same: onlyService.length === 0 && onlyBaseline.length === 0, shared, reanalysed, onlyService, onlyBaseline }
}

/**
 * What `database` has run so far, from pg_stat_statements (read through `url`, a database that has
 * the extension: enableStatementStats): statements executed, and statements planned (0 unless
 * pg_stat_statements.track_planning is on: a named statement is planned once per connection, an
 * unnamed one at every execution).
 */
export async function workOf(url, database) {
  const { rows } = await withClient(url, (c) =>
    c.query(
      `SELECT coalesce(sum(s.calls), 0)::float8 AS calls, coalesce(sum(s.plans), 0)::float8 AS plans
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1`,
      [database],
    ),
  )
  return rows[0]
}
