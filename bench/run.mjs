#!/usr/bin/env node
// npm run bench: the service (node dist/main.js, production mode, as a user starts it) against two
// raw node:http + pg baselines on identical databases: bench/independent-baseline.mjs (its own,
// leanest SQL; the targets are judged against it) and bench/baseline-server.mjs (the service's SQL
// word for word: framework cost only); with --python, also FastAPI and Django REST framework
// implementations of the same contract subset (bench/python/). Four scenarios, several rounds in
// rotating order; prints medians and ratios, writes bench/results/<timestamp>.json.
// See the Performance section of README.md. Needs `npm run build` first (the npm script does it).
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem, platform, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runLoad, stopAllLoads } from './lib/load.mjs'
import { freePort, requestJson } from './lib/net.mjs'
import { cloneDatabase, createMigratedDatabase, dropDatabase, serverVersion, startPostgres, withClient } from './lib/postgres.mjs'
import { memoryOf, sampleRss, startServer, stopAllServers } from './lib/processes.mjs'
import { baselineEnv, POOL_MAX, serviceEnv } from './lib/server-env.mjs'
import { checkOrderBehaviour, checkRequestIds } from './lib/behaviour.mjs'
import { JUDGED_BASELINE, printSummary, summarise, TARGETS } from './lib/report.mjs'
import { buildScenarios, probe } from './lib/scenarios.mjs'
import { insertAdmin, makeDataset, seedThroughApi } from './lib/seed.mjs'
import { findPython, PYTHON_SERVERS, startPythonServer } from './lib/python-servers.mjs'
import { compareStatements, enableStatementStats, resetStatementStats, statementsOf } from './lib/statements.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const RESULTS_DIR = join(ROOT, 'bench', 'results')
const SERVICE_ENTRY = join(ROOT, 'dist', 'main.js')
const BASELINES = { independent: join(ROOT, 'bench', 'independent-baseline.mjs'), baseline: join(ROOT, 'bench', 'baseline-server.mjs') }

const USAGE = `usage: node bench/run.mjs [--rounds N] [--duration S] [--warmup S] [--connections N] [--products N] [--service-log FILE] [--scenarios LIST] [--python | --with LIST] [--smoke]
  --rounds N        measurement rounds, order rotating among the servers (default 3)
  --duration S      seconds of measurement per scenario and server (default 10)
  --warmup S        seconds of unmeasured load before each measurement (default 2)
  --connections N   concurrent connections (default 32)
  --products N      products to seed (default 2000)
  --service-log F   append the service's JSON logs (info level) to F (default: a new file in the temporary directory)
  --scenarios LIST  a comma-separated subset to measure, e.g. S3 or S0,S1 (default: all four)
  --python          also measure the FastAPI and DRF implementations (bench/python/; skipped, with the
                    apt-get line to run, when no Python can import their packages; PYTHON=… picks one)
  --with LIST       the same for a comma-separated subset: fastapi, drf
  --smoke           1 round of 2 s, no warm-up: proves the harness works end to end
DATABASE_URL set: the run uses that server (a scratch database per server, dropped at the end); else an embedded PostgreSQL.`

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      products: { type: 'string' },
      'service-log': { type: 'string' },
      scenarios: { type: 'string' },
      python: { type: 'boolean', default: false },
      with: { type: 'string' },
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
  const python = values.with === undefined ? (values.python ? Object.keys(PYTHON_SERVERS) : []) : values.with.split(',').filter(Boolean)
  const unknown = python.filter((name) => !Object.hasOwn(PYTHON_SERVERS, name))
  if (unknown.length) throw new Error(`--with: unknown server ${unknown.join(', ')} (known: ${Object.keys(PYTHON_SERVERS).join(', ')})\n${USAGE}`)
  return {
    smoke: values.smoke,
    python,
    rounds: number('rounds', values.smoke ? 1 : 3, 1),
    duration: number('duration', values.smoke ? 2 : 10, 1),
    warmup: number('warmup', values.smoke ? 0 : 2, 0),
    connections: number('connections', 32, 1),
    products: number('products', 2000, 2),
    serviceLog: values['service-log'] ?? join(tmpdir(), `shop-api-bench-service-${process.pid}.log`),
    scenarios: scenarioIds(values.scenarios),
  }
}

/** The Python contenders asked for that this machine can run: { [name]: { python, versions } }; logs the others as skipped. */
function pythonContenders(requested) {
  const found = {}
  for (const name of requested) {
    const result = findPython(name)
    if (result.python) found[name] = result
    else log(`${PYTHON_SERVERS[name].label}: skipped — ${result.reason}`)
  }
  return found
}

/** The ids --scenarios names, checked before anything is seeded (undefined: all of them). */
function scenarioIds(raw) {
  if (raw === undefined) return undefined
  const ids = raw.split(',').filter(Boolean)
  const known = buildScenarios({ productIds: [1], tokens: [''] }).map((s) => s.id)
  const unknown = ids.filter((id) => !known.includes(id))
  if (unknown.length) throw new Error(`--scenarios: unknown ${unknown.join(', ')} (known: ${known.join(', ')})\n${USAGE}`)
  return ids
}

/** The scenarios named by --scenarios, all of them without it. */
const selected = (scenarios, ids) => (ids === undefined ? scenarios : scenarios.filter((s) => ids.includes(s.id)))

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

/** WORKERS=N in the environment runs the service in cluster mode (README, "Using every core"). */
const WORKERS = Number(process.env.WORKERS ?? 1)

async function startService(databaseUrl, jwtSecret, logFile) {
  const port = await freePort()
  const env = serviceEnv(port, databaseUrl, jwtSecret)
  if (WORKERS > 1) Object.assign(env, { WORKERS: String(WORKERS), METRICS_PORT: String(await freePort()) })
  const server = await startServer({ name: 'service', script: SERVICE_ENTRY, env, port, readyPath: '/health/ready', logFile })
  // Ready once one worker answers; the primary's scrape succeeds only when every worker answers it.
  if (WORKERS > 1) await untilScrapeSucceeds(`http://127.0.0.1:${env.METRICS_PORT}/metrics`, jwtSecret)
  return server
}

async function untilScrapeSucceeds(url, token) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } }).catch(() => undefined)
    await res?.arrayBuffer()
    if (res?.status === 200) return
  }
  throw new Error(`the service's workers did not all answer ${url} within 60 s`)
}

async function startBaseline(name, databaseUrl, jwtSecret, logFile) {
  const port = await freePort()
  return startServer({ name, script: BASELINES[name], env: baselineEnv(port, databaseUrl, jwtSecret), port, readyPath: '/health/live', logFile })
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
      // Rotate who goes first, per round and per scenario, so drift hits all alike.
      const all = Object.values(servers)
      const order = all.map((_, k) => all[(k + r + i) % all.length])
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
        const peak = rss.stop()
        const entry = { available: true, ...m, peakRssMB: peak.rssMB, peakPssMB: peak.pssMB }
        round[scenario.id][server.name] = entry
        log(
          `round ${r + 1}/${opts.rounds} ${scenario.id} ${server.name.padEnd(8)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  failed ${m.errors + m.unexpected}  RSS ${entry.peakRssMB?.toFixed(0)} MB  PSS ${entry.peakPssMB?.toFixed(0)} MB`,
        )
      }
    }
    rounds.push(round)
  }
  return rounds
}

function machine(pgVersion, embedded, loadAverageAtStart) {
  const cpuList = cpus()
  return {
    loadAverageAtStart,
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
  const loadAverageAtStart = loadavg().map((l) => Number(l.toFixed(2)))
  if (!existsSync(SERVICE_ENTRY)) throw new Error('dist/main.js not found: run `npm run build` first (npm run bench does)')

  log(process.env.DATABASE_URL ? 'using the PostgreSQL server at DATABASE_URL' : 'starting an embedded PostgreSQL…')
  const postgres = await startPostgres()
  cleanups.push(postgres.stop)
  const pgVersion = await serverVersion(postgres.adminUrl)
  const contenders = pythonContenders(opts.python)
  const others = [...Object.keys(BASELINES), ...Object.keys(contenders)] // everyone the service is compared with
  const names = Object.fromEntries(['service', ...others].map((name) => [name, `shop_bench_${process.pid}_${name}`]))
  if (!postgres.embedded) {
    for (const name of Object.values(names)) cleanups.push(() => dropDatabase(postgres.adminUrl, name))
  }
  const serviceDb = await createMigratedDatabase(postgres.adminUrl, names.service)

  const dataset = makeDataset({ products: opts.products })
  const jwtSecret = randomBytes(32).toString('hex')
  await insertAdmin(serviceDb, dataset.admin)

  log(`seeding ${dataset.products.length} products, ${dataset.users.length} users and ${dataset.orders.length} orders through the API…`)
  const seeding = await startService(serviceDb, jwtSecret, opts.serviceLog)
  const seeded = await seedThroughApi(seeding.url, serviceDb, dataset)
  await seeding.stop() // the measured process starts fresh: seeding's argon2 work must not count in its peak RSS
  if (seeded.via.categories !== 'api' || seeded.via.products !== 'api') {
    log(`NOTE: categories via ${seeded.via.categories}, products via ${seeded.via.products}`)
  }
  await withClient(serviceDb, (c) => c.query('VACUUM ANALYZE'))
  const databases = { service: serviceDb }
  for (const name of others) databases[name] = await cloneDatabase(postgres.adminUrl, names.service, names[name])

  const servers = { service: await startService(serviceDb, jwtSecret, opts.serviceLog) }
  await loadTheOrm(servers.service, seeded.tokens[0])
  const logFile = (name) => join(dirname(opts.serviceLog), `shop-api-bench-${name}-${process.pid}.log`)
  for (const name of Object.keys(BASELINES)) servers[name] = await startBaseline(name, databases[name], jwtSecret, logFile(name))
  for (const [name, { python }] of Object.entries(contenders)) {
    servers[name] = await startPythonServer({ name, python, databaseUrl: databases[name], jwtSecret, poolMax: Number(POOL_MAX), logFile: logFile(name) })
  }
  const behaviour = await checkBehaviour(servers, databases, seeded.tokens[0])
  const scenarios = selected(buildScenarios({ productIds: seeded.productIds, tokens: seeded.tokens }), opts.scenarios)
  const available = await availability(Object.values(servers), scenarios)
  const statementStats = await enableStatementStats(serviceDb)
  if (statementStats) await resetStatementStats(serviceDb, [names.service, names.baseline])

  const total = opts.rounds * scenarios.length * Object.keys(servers).length * (opts.duration + opts.warmup)
  log(
    `measuring: ${opts.rounds} round(s), ${opts.connections} connections, ${opts.warmup} s warm-up + ${opts.duration} s per scenario (at most ~${Math.ceil(total)} s)`,
  )
  const rounds = await measure(opts, servers, scenarios, available)
  if (interrupted) return 130
  const loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)))
  const serverPeaks = Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, memoryOf(server.pid)?.peakMB]))
  const parity = statementStats ? await sqlParity(serviceDb, names) : { checked: false }
  await cleanUp()

  const summary = summarise(rounds, scenarios, others, serverPeaks)
  const machineInfo = { ...machine(pgVersion, postgres.embedded, loadAverageAtStart), loadAverageAtEnd }
  printSummary(summary, opts, machineInfo)
  printBehaviour(behaviour)
  printParity(parity)
  const file = writeResults({
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: opts.smoke ? 'smoke' : 'full',
    options: { rounds: opts.rounds, duration: opts.duration, warmup: opts.warmup, connections: opts.connections, dbPoolMax: Number(POOL_MAX) },
    machine: machineInfo,
    service: {
      entry: 'node dist/main.js',
      env: { NODE_ENV: 'production', NODE_OPTIONS: '', LOG_LEVEL: 'info', THROTTLE_ENABLED: 'false', WORKERS },
      logs: opts.serviceLog,
    },
    python: Object.fromEntries(
      Object.entries(contenders).map(([name, { python, versions }]) => [
        name,
        { label: PYTHON_SERVERS[name].label, python, versions, workers: PYTHON_SERVERS[name].workers },
      ]),
    ),
    judgedAgainst: JUDGED_BASELINE,
    data: { products: seeded.productIds.length, users: dataset.users.length, stock: dataset.products[0].stock, seededVia: seeded.via },
    targets: TARGETS,
    scenarios: scenarios.map(({ id, label, status }) => ({ id, label, expectedStatus: status })),
    rounds,
    summary,
    sqlParity: parity,
    behaviour,
  })
  log(`results: ${file} (and bench/results/latest.json)`)
  // A run with failed requests, a server that failed a behaviour check, or a copy baseline that sent
  // other SQL measured something else than the scenarios: make it visible to scripts.
  const behaved = Object.values(behaviour).every((failures) => failures.length === 0)
  return summary.failedRequests === 0 && parity.same !== false && behaved ? 0 : 1
}

/**
 * Any process that has served a Prisma-backed route (a product write, a category or user by id, a
 * login) holds Prisma's query compiler in memory; the scenarios' routes use Kysely's statements. One
 * such request before measuring, so the service's peak RSS is that of a process in real use.
 */
async function loadTheOrm(service, token) {
  const res = await requestJson(service.url, 'GET', '/v1/users/me', { token })
  if (res.status !== 200) throw new Error(`GET /v1/users/me answered ${res.status}: ${res.text.slice(0, 300)}`)
}

/** The contract's order guarantees, checked on every server before measuring (lib/behaviour.mjs). */
async function checkBehaviour(servers, databases, token) {
  const result = {}
  for (const [name, server] of Object.entries(servers))
    result[name] = [...(await checkOrderBehaviour(server, databases[name], token)), ...(await checkRequestIds(server))]
  return result
}

function printBehaviour(behaviour) {
  for (const [name, failures] of Object.entries(behaviour)) {
    console.log(failures.length === 0 ? `Behaviour checks (${name}): passed` : `Behaviour checks (${name}): FAILED\n  ${failures.join('\n  ')}`)
  }
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
    const { service, baseline } = parity.reanalysed
    const variants =
      service + baseline > 0 ? ` (under more than one query id after re-analysis: ${service} of the service's, ${baseline} of the baseline's)` : ''
    console.log(`SQL parity: the service and the baseline sent the same ${parity.shared} statements (pg_stat_statements)${variants}`)
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
