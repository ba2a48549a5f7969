#!/usr/bin/env node
// npm run bench:cpu -- [path | --orders]: the CPU time each server spends per request (user + system, from
// /proc/<pid>/stat) for N requests of one path at 32 connections — the service (node dist/main.js,
// production, info logs to a file, no V8 flags) and the independent baseline, alternating. On a
// shared two-core machine throughput ratios move by 20–50 % between identical runs; CPU per request
// moves less, so it is how a change to the request pipeline is judged (README, "Performance"), by
// the median of the per-round ratios. PostgreSQL's CPU per request (all `postgres` processes) is
// read beside each server's. Linux only (/proc). Needs `npm run build` first (the npm script does it).
// Each round starts from a vacuumed and analysed database: without it (a server with autovacuum off,
// as this machine's) every order leaves dead rows on the same two products and their stock keys,
// and PostgreSQL's cost per order grew 1.6 → 4.6 ms over eight rounds for the service, whose
// prepared statements keep the plans made when the tables were a page (sequential scans).
// --orders: POST /v1/orders instead (two lines, a registered customer's bearer token; S3).
// --products N: a catalogue of N products (default 2, the two ordered), so that plans and pages
// are those of a real catalogue; `{page}` in the path becomes 1, 2, … 100, 1, … request after
// request (S2: '/v1/products?page={page}&pageSize=20&ordering=-price' with --products 2000).
// --against <dir>: a second build of the service (e.g. `dist-b`, a copy of dist/ with a change,
// kept inside the checkout so its imports resolve) instead of the independent baseline: an A/B of
// one change.
import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { freePort, requestJson } from './lib/net.mjs'
import { createMigratedDatabase, dropDatabase, startPostgres, withClient } from './lib/postgres.mjs'
import { startServer, stopAllServers } from './lib/processes.mjs'
import { baselineEnv, serviceEnv } from './lib/server-env.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '60000' },
    rounds: { type: 'string', default: '3' },
    orders: { type: 'boolean', default: false },
    products: { type: 'string', default: '2' },
    against: { type: 'string' },
  },
})
const PATH = args.orders ? '/v1/orders' : (positionals[0] ?? '/health/live') // `{id}` is replaced by a visible product's id
const REQUESTS = Number(args.requests)
const ROUNDS = Number(args.rounds)
const PRODUCTS = Number(args.products)
const PAGES = 100
const CLOCK_TICK_US = 10_000 // USER_HZ = 100 on Linux

/** User + system CPU of a process so far, in microseconds. */
const cpuMicros = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_US
}
/** CPU of every PostgreSQL process so far, with that of its ended children (the backends of closed connections). */
const postgresCpuMicros = () => {
  let pids
  try {
    pids = execFileSync('pgrep', ['-x', 'postgres'], { encoding: 'utf8' }).split('\n').filter(Boolean)
  } catch {
    return Number.NaN // no local PostgreSQL (a remote DATABASE_URL) or no pgrep: not measured
  }
  let total = 0
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * CLOCK_TICK_US
    } catch {
      // the process ended between pgrep and the read
    }
  }
  return total
}
/** The request options of a path: one with `{page}` walks pages 1–100 over and over. */
function pathRequests(path) {
  if (!path.includes('{page}')) return {}
  let sent = 0
  return { requests: [{ setupRequest: (request) => ({ ...request, path: path.replace('{page}', String((sent++ % PAGES) + 1)) }) }] }
}
const load = (url, amount, request = {}) =>
  new Promise((done, fail) => autocannon({ url, connections: 32, amount, timeout: 10, ...request }, (err, result) => (err ? fail(err) : done(result))))

async function main() {
  const postgres = await startPostgres()
  const name = `shop_cpu_${process.pid}`
  const db = await createMigratedDatabase(postgres.adminUrl, name)
  const [id, second] = await withClient(db, async (c) => {
    const category = (await c.query(`INSERT INTO "Category" (name, slug, "updatedAt") VALUES ('Cups', 'cups', now()) RETURNING id`)).rows[0].id
    const sql = `INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", "updatedAt")
                 VALUES ('CPU-1', 'Cup', 'A cup', 9.5, 100000000, $1, now()), ('CPU-2', 'Saucer', 'A saucer', 4.25, 100000000, $1, now()) RETURNING id`
    const ids = (await c.query(sql, [category])).rows.map((row) => row.id)
    await c.query(
      `INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", "updatedAt")
       SELECT 'CPU-' || n, 'Product ' || n, 'Product number ' || n, 1 + (n * 7919 % 10000) / 100.0, 1000, $1, now()
       FROM generate_series(3, $2::int) AS n`,
      [category, PRODUCTS],
    )
    return ids
  })
  const secret = randomBytes(32).toString('hex')
  const [servicePort, baselinePort] = [await freePort(), await freePort()]
  const servers = [
    await startServer({
      name: 'service',
      script: join(ROOT, 'dist', 'main.js'),
      port: servicePort,
      readyPath: '/health/ready',
      logFile: join(tmpdir(), `shop-cpu-${process.pid}.log`),
      env: serviceEnv(servicePort, db, secret),
    }),
    args.against
      ? await startServer({
          name: 'against',
          script: resolve(args.against, 'main.js'),
          port: baselinePort,
          readyPath: '/health/ready',
          logFile: join(tmpdir(), `shop-cpu-against-${process.pid}.log`),
          env: serviceEnv(baselinePort, db, secret),
        })
      : await startServer({
          name: 'independent',
          script: join(ROOT, 'bench', 'independent-baseline.mjs'),
          port: baselinePort,
          readyPath: '/health/live',
          logFile: join(tmpdir(), `shop-cpu-independent-${process.pid}.log`),
          env: baselineEnv(baselinePort, db, secret),
        }),
  ]
  const path = PATH.replace('{id}', String(id))
  const request = args.orders ? await orderRequest(servers[0].url, id, second) : pathRequests(path)
  try {
    const perRequest = Object.fromEntries(servers.map((server) => [server.name, []]))
    const postgresPerRequest = Object.fromEntries(servers.map((server) => [server.name, []]))
    for (const server of servers) await load(server.url + path, Math.min(20_000, REQUESTS), request) // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of round % 2 ? [...servers].reverse() : servers) {
        await withClient(db, (c) => c.query('VACUUM ANALYZE')) // a steady state, as autovacuum keeps it (see below)
        const [before, postgresBefore] = [cpuMicros(server.pid), postgresCpuMicros()]
        const result = await load(server.url + path, REQUESTS, request)
        if (result.non2xx || result.errors) throw new Error(`${server.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors on ${path}`)
        perRequest[server.name].push((cpuMicros(server.pid) - before) / REQUESTS)
        postgresPerRequest[server.name].push((postgresCpuMicros() - postgresBefore) / REQUESTS)
      }
    }
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
    const rounds = (values) => values.map((v) => v.toFixed(1)).join(', ')
    const [first, other] = servers.map((server) => server.name)
    const lines = servers.map(
      ({ name }) =>
        `  ${name.padEnd(12)} ${median(perRequest[name]).toFixed(1)} µs (${rounds(perRequest[name])}); ` +
        `PostgreSQL ${median(postgresPerRequest[name]).toFixed(1)} µs (${rounds(postgresPerRequest[name])})\n`,
    )
    process.stdout.write(
      `${path}: CPU per request, median of ${ROUNDS} rounds of ${REQUESTS} requests at 32 connections\n` +
        lines.join('') +
        `  ${other} / ${first} ${(median(perRequest[other]) / median(perRequest[first])).toFixed(2)} (a throughput ratio if the server's core were the bottleneck); ` +
        `median of the rounds' ratios ${median(perRequest[other].map((value, round) => value / perRequest[first][round])).toFixed(2)}\n`,
    )
  } finally {
    await stopAllServers()
    if (!postgres.embedded) await dropDatabase(postgres.adminUrl, name)
    await postgres.stop()
  }
}

/** A customer registered through the service, and the order request both servers get: two lines, as S3. */
async function orderRequest(serviceUrl, first, second) {
  const customer = { email: 'cpu-customer@bench.local', name: 'CPU customer', password: randomBytes(12).toString('base64url') }
  const registered = await requestJson(serviceUrl, 'POST', '/v1/auth/register', { body: customer })
  const login = await requestJson(serviceUrl, 'POST', '/v1/auth/login', { body: { email: customer.email, password: customer.password } })
  if (registered.status !== 201 || login.status !== 200) throw new Error(`registering the customer: ${registered.status}, ${login.status}`)
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${login.body.accessToken}` },
    body: JSON.stringify({
      items: [
        { productId: first, quantity: 1 },
        { productId: second, quantity: 2 },
      ],
    }),
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`)
  process.exit(1)
})
