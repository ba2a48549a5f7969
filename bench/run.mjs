#!/usr/bin/env node
// npm run bench: the service (node dist/main.js, production mode) against a raw node:http + pg
// baseline (bench/baseline-server.mjs) on identical databases, four scenarios, several rounds
// in alternating order; prints medians and ratios, writes bench/results/<timestamp>.json.
// See the Performance section of README.md. Needs `npm run build` first (the npm script does it).
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, release, totalmem, platform } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runLoad, stopAllLoads } from './lib/load.mjs'
import { freePort, requestJson } from './lib/net.mjs'
import { cloneDatabase, createMigratedDatabase, dropDatabase, serverVersion, startPostgres, withClient } from './lib/postgres.mjs'
import { memoryOf, sampleRss, startServer, stopAllServers } from './lib/processes.mjs'
import { printSummary, summarise, TARGETS } from './lib/report.mjs'
import { buildScenarios, probe } from './lib/scenarios.mjs'
import { insertAdmin, makeDataset, seedThroughApi } from './lib/seed.mjs'
import { compareStatements, enableStatementStats, resetStatementStats, statementsOf } from './lib/statements.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const RESULTS_DIR = join(ROOT, 'bench', 'results')
const SERVICE_ENTRY = join(ROOT, 'dist', 'main.js')
const BASELINE_ENTRY = join(ROOT, 'bench', 'baseline-server.mjs')
const POOL_MAX = process.env.DB_POOL_MAX ?? '10' // the service's default; the baseline gets the same

/** NODE_OPTIONS of the Dockerfile's runtime stage (the V8 heap limit): the service runs as in production. */
function productionNodeOptions() {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
  return /^ENV\b.*\bNODE_OPTIONS=("[^"]*"|\S+)/m.exec(runtimeStage)?.[1].replace(/^"|"$/g, '') ?? ''
}
const NODE_OPTIONS = productionNodeOptions()

const USAGE = `usage: node bench/run.mjs [--rounds N] [--duration S] [--warmup S] [--connections N] [--products N] [--service-log FILE] [--smoke]
  --rounds N        measurement rounds, order alternating service/baseline (default 3)
  --duration S      seconds of measurement per scenario and server (default 10)
  --warmup S        seconds of unmeasured load before each measurement (default 2)
  --connections N   concurrent connections (default 32)
  --products N      products to seed (default 2000)
  --service-log F   append the service's JSON logs to F (default: /dev/null)
  --smoke           1 round of 2 s, no warm-up: proves the harness works end to end
DATABASE_URL set: the run uses that server (two scratch databases, dropped at the end); else an embedded PostgreSQL.`

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      products: { type: 'string' },
      'service-log': { type: 'string' },
      smoke: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const number = (name, fallback, min) => {
    const value = values[name] === undefined ? fallback : Number(values[name])
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number >= ${min}\n${USAGE}`)
    return value
  }
  return {
    smoke: values.smoke,
    rounds: number('rounds', values.smoke ? 1 : 3, 1),
    duration: number('duration', values.smoke ? 2 : 10, 1),
    warmup: number('warmup', values.smoke ? 0 : 2, 0),
    connections: number('connections', 32, 1),
    products: number('products', 2000, 2),
    serviceLog: values['service-log'] ?? '/dev/null',
  }
}

const log = (message) => process.stderr.write(`[bench] ${message}\n`)
const cleanups = [] // run in reverse order, once
let interrupted = false
let cleaning

/** Stops loads, servers and the database; every caller awaits the same single clean-up. */
function cleanUp() {
  cleaning ??= (async () => {
    stopAllLoads()
    await stopAllServers()
    for (const step of cleanups.splice(0).reverse()) await step().catch((err) => log(`clean-up: ${err.message}`))
  })()
  return cleaning
}

function onSignal(signal) {
  if (interrupted) process.exit(130) // second Ctrl-C: leave at once
  interrupted = true
  log(`${signal}: stopping the servers and the database…`)
  cleanUp().finally(() => process.exit(130))
}

function serviceEnv(port, databaseUrl, jwtSecret) {
  return {
    NODE_ENV: 'production',
    NODE_OPTIONS,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: POOL_MAX,
    JWT_SECRET: jwtSecret,
    METRICS_TOKEN: jwtSecret, // production refuses an open /metrics; the benchmark never scrapes it
    JWT_ACCESS_TTL_SECONDS: '86400', // the seeding tokens must outlive the whole run
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    THROTTLE_ENABLED: 'false',
    SEED_DEMO_DATA: 'false',
    MIGRATE_ON_START: 'false',
  }
}

async function startService(databaseUrl, jwtSecret, logFile) {
  const port = await freePort()
  return startServer({ name: 'service', script: SERVICE_ENTRY, env: serviceEnv(port, databaseUrl, jwtSecret), port, readyPath: '/health/ready', logFile })
}

async function startBaseline(databaseUrl, jwtSecret) {
  const port = await freePort()
  const env = { HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: databaseUrl, DB_POOL_MAX: POOL_MAX, JWT_SECRET: jwtSecret, NODE_ENV: 'production' }
  return startServer({ name: 'baseline', script: BASELINE_ENTRY, env, port, readyPath: '/health/live' })
}

/** Which scenarios each server implements: a 404 on the probe means the route does not exist (yet). */
async function availability(servers, scenarios) {
  const result = {}
  for (const scenario of scenarios) {
    result[scenario.id] = {}
    for (const server of servers) {
      const { status, body } = await probe(server.url, scenario)
      if (status === 404) {
        result[scenario.id][server.name] = { available: false, reason: '404' }
        log(`${scenario.id} ${server.name}: not available (404) — skipped`)
      } else {
        if (status !== scenario.status) log(`${scenario.id} ${server.name}: probe answered ${status}, expected ${scenario.status}: ${body}`)
        result[scenario.id][server.name] = { available: true }
      }
    }
  }
  return result
}

async function measure(opts, servers, scenarios, available) {
  const rounds = []
  for (let r = 0; r < opts.rounds && !interrupted; r++) {
    const round = {}
    for (const [i, scenario] of scenarios.entries()) {
      round[scenario.id] = {}
      // Alternate who goes first, per round and per scenario, so drift hits both alike.
      const order = (r + i) % 2 === 0 ? [servers.service, servers.baseline] : [servers.baseline, servers.service]
      for (const server of order) {
        if (interrupted) return rounds
        const state = available[scenario.id][server.name]
        if (!state.available) {
          round[scenario.id][server.name] = state
          continue
        }
        const load = { baseUrl: server.url, scenario, connections: opts.connections }
        if (opts.warmup > 0) await runLoad({ ...load, duration: opts.warmup })
        const rss = sampleRss(server.pid)
        const m = await runLoad({ ...load, duration: opts.duration })
        if (interrupted) return rounds // cut short: not a measurement
        const entry = { available: true, ...m, peakRssMB: rss.stop() }
        round[scenario.id][server.name] = entry
        log(
          `round ${r + 1}/${opts.rounds} ${scenario.id} ${server.name.padEnd(8)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  failed ${m.errors + m.unexpected}  RSS ${entry.peakRssMB?.toFixed(0)} MB`,
        )
      }
    }
    rounds.push(round)
  }
  return rounds
}

function machine(pgVersion, embedded) {
  const cpuList = cpus()
  return {
    cpu: cpuList[0]?.model ?? 'unknown',
    cores: cpuList.length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    postgres: `${pgVersion}${embedded ? ' (embedded, fsync off)' : ' (DATABASE_URL)'}`,
  }
}

function writeResults(result) {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const file = join(RESULTS_DIR, `${result.startedAt.replace(/[:.]/g, '-')}${result.mode === 'smoke' ? '-smoke' : ''}.json`)
  const json = `${JSON.stringify(result, null, 2)}\n`
  writeFileSync(file, json)
  writeFileSync(join(RESULTS_DIR, 'latest.json'), json)
  return file
}

async function main() {
  const opts = options()
  const startedAt = new Date().toISOString()
  if (!existsSync(SERVICE_ENTRY)) throw new Error('dist/main.js not found: run `npm run build` first (npm run bench does)')

  log(process.env.DATABASE_URL ? 'using the PostgreSQL server at DATABASE_URL' : 'starting an embedded PostgreSQL…')
  const postgres = await startPostgres()
  cleanups.push(postgres.stop)
  const pgVersion = await serverVersion(postgres.adminUrl)
  const names = { service: `shop_bench_${process.pid}_service`, baseline: `shop_bench_${process.pid}_baseline` }
  if (!postgres.embedded) {
    cleanups.push(
      () => dropDatabase(postgres.adminUrl, names.service),
      () => dropDatabase(postgres.adminUrl, names.baseline),
    )
  }
  const serviceDb = await createMigratedDatabase(postgres.adminUrl, names.service)

  const dataset = makeDataset({ products: opts.products })
  const jwtSecret = randomBytes(32).toString('hex')
  await insertAdmin(serviceDb, dataset.admin)

  log(`seeding ${dataset.products.length} products and ${dataset.users.length} users through the API…`)
  const seeding = await startService(serviceDb, jwtSecret, opts.serviceLog)
  const seeded = await seedThroughApi(seeding.url, serviceDb, dataset)
  await seeding.stop() // the measured process starts fresh: seeding's argon2 work must not count in its peak RSS
  if (seeded.via.categories !== 'api' || seeded.via.products !== 'api') {
    log(`NOTE: categories via ${seeded.via.categories}, products via ${seeded.via.products}`)
  }
  await withClient(serviceDb, (c) => c.query('VACUUM ANALYZE'))
  const baselineDb = await cloneDatabase(postgres.adminUrl, names.service, names.baseline)

  const service = await startService(serviceDb, jwtSecret, opts.serviceLog)
  await loadTheOrm(service)
  const baseline = await startBaseline(baselineDb, jwtSecret)
  const scenarios = buildScenarios({ productIds: seeded.productIds, tokens: seeded.tokens })
  const available = await availability([service, baseline], scenarios)
  const statementStats = await enableStatementStats(serviceDb)
  if (statementStats) await resetStatementStats(serviceDb, [names.service, names.baseline])

  const total = opts.rounds * scenarios.length * 2 * (opts.duration + opts.warmup)
  log(
    `measuring: ${opts.rounds} round(s), ${opts.connections} connections, ${opts.warmup} s warm-up + ${opts.duration} s per scenario (at most ~${Math.ceil(total)} s)`,
  )
  const rounds = await measure(opts, { service, baseline }, scenarios, available)
  if (interrupted) return 130
  const serverPeaks = { service: memoryOf(service.pid)?.peakMB, baseline: memoryOf(baseline.pid)?.peakMB }
  const parity = statementStats ? await sqlParity(serviceDb, names) : { checked: false }
  await cleanUp()

  const summary = summarise(rounds, scenarios, serverPeaks)
  printSummary(summary, opts)
  printParity(parity)
  const file = writeResults({
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: opts.smoke ? 'smoke' : 'full',
    options: { rounds: opts.rounds, duration: opts.duration, warmup: opts.warmup, connections: opts.connections, dbPoolMax: Number(POOL_MAX) },
    machine: machine(pgVersion, postgres.embedded),
    service: { entry: 'node dist/main.js', env: { NODE_ENV: 'production', NODE_OPTIONS, LOG_LEVEL: 'info', THROTTLE_ENABLED: 'false' }, logs: opts.serviceLog },
    data: { products: seeded.productIds.length, users: dataset.users.length, stock: dataset.products[0].stock, seededVia: seeded.via },
    targets: TARGETS,
    scenarios: scenarios.map(({ id, label, status }) => ({ id, label, expectedStatus: status })),
    rounds,
    summary,
    sqlParity: parity,
  })
  log(`results: ${file} (and bench/results/latest.json)`)
  // A run with failed requests, or whose baseline sent other SQL, measured something else than
  // the scenarios: make it visible to scripts.
  return summary.failedRequests === 0 && parity.same !== false ? 0 : 1
}

/**
 * Any process that has served a Prisma-backed route (a login, the categories) holds Prisma's query
 * compiler in memory; the scenarios' routes use raw SQL. One such request before measuring, so
 * the service's peak RSS is that of a process in real use.
 */
async function loadTheOrm(service) {
  const res = await requestJson(service.url, 'GET', '/v1/categories')
  if (res.status !== 200) throw new Error(`GET /v1/categories answered ${res.status}: ${res.text.slice(0, 300)}`)
}

async function sqlParity(databaseUrl, names) {
  const stats = await statementsOf(databaseUrl, [names.service, names.baseline])
  return { checked: true, ...compareStatements(stats[names.service], stats[names.baseline]) }
}

function printParity(parity) {
  if (!parity.checked) {
    console.log('SQL parity: not checked (pg_stat_statements is not loaded on that PostgreSQL server)')
    return
  }
  if (parity.same) {
    console.log(`SQL parity: the service and the baseline sent the same ${parity.shared} statements (pg_stat_statements)`)
    return
  }
  console.log('SQL parity: FAILED — the baseline does not ask PostgreSQL for the same work as the service')
  for (const s of parity.onlyService) console.log(`  only the service (${s.calls} calls): ${s.query}`)
  for (const s of parity.onlyBaseline) console.log(`  only the baseline (${s.calls} calls): ${s.query}`)
}

process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
main()
  .catch((err) => {
    if (!interrupted) log(`failed: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  })
  .then(async (code) => {
    await cleanUp()
    process.exit(interrupted ? 130 : code)
  })
