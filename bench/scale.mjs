#!/usr/bin/env node
// npm run bench:scale -- --products 1000000 --orders 1000000: the list and lookup shapes of issue 17
// on a large catalogue and order history seeded in SQL (bench/lib/large-seed.mjs), the service
// (node dist/main.js, production mode) against the raw baseline (bench/baseline-server.mjs) on
// identical databases, 32 connections, alternating which server goes first. Prints one table row
// per shape; writes bench/results/scale-<products>-<timestamp>.json. README, "Performance".
import { createHmac, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { cursorCodec, MAX_PAGE_OFFSET } from './lib/baseline-lists.mjs'
import { seedLarge } from './lib/large-seed.mjs'
import { runLoad, stopAllLoads } from './lib/load.mjs'
import { freePort } from './lib/net.mjs'
import { cloneDatabase, createMigratedDatabase, dropDatabase, startPostgres, withClient } from './lib/postgres.mjs'
import { memoryOf, sampleRss, startServer, stopAllServers } from './lib/processes.mjs'
import { enableStatementStats, workOf } from './lib/statements.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '100000' },
    orders: { type: 'string' },
    duration: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '32' },
    // The embedded PostgreSQL's shared_buffers: room for both databases (~780 MB each at a million
    // products), as a production server holds its catalogue; ignored with DATABASE_URL.
    'shared-buffers': { type: 'string', default: '2GB' },
    only: { type: 'string' },
  },
})
const PRODUCTS = Number(args.products)
const ORDERS = Number(args.orders ?? args.products)
const DURATION = Number(args.duration)
const WARMUP = Number(args.warmup)
const CONNECTIONS = Number(args.connections)
const POOL_MAX = '10'
const log = (message) => process.stderr.write(`[scale] ${message}\n`)

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
const NODE_OPTIONS = /^ENV\b.*\bNODE_OPTIONS=("[^"]*"|\S+)/m.exec(dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')))?.[1].replace(/^"|"$/g, '') ?? ''

const jwt = (secret, claims) => {
  const part = (v) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: 'shop-api', aud: 'shop-api', exp: Math.floor(Date.now() / 1000) + 86400, ...claims })}`
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`
}
const pick = (list) => list[Math.floor(Math.random() * list.length)]
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789'
const randomTerm = (n) => Array.from({ length: n }, () => pick(LETTERS)).join('')
const WORDS = ['walnut k', 'ceramic ', 'cold bre', 'espresso', 'glass te', 'cast iro', 'travel m', 'copper k']

async function prepare(adminUrl, names, secret) {
  const db = await createMigratedDatabase(adminUrl, names.service)
  const started = Date.now()
  await withClient(db, (c) => seedLarge(c, { products: PRODUCTS, orders: ORDERS }))
  log(`seeded ${PRODUCTS} products, ${ORDERS} orders in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  return withClient(db, async (c) => {
    // Orderable products with room to sell during the run, and the accounts the scenarios use.
    const { rows: sample } = await c.query(
      `UPDATE "Product" SET stock = 1000000 WHERE id IN (SELECT id FROM "Product" WHERE active AND "archivedAt" IS NULL ORDER BY id LIMIT 2000) RETURNING id`,
    )
    const staff = (
      await c.query(
        `INSERT INTO "User" (email, name, "passwordHash", role, "updatedAt") VALUES ('staff@scale.example', 'Staff', '!', 'staff', now()) RETURNING id`,
      )
    ).rows[0].id
    const busiest = (await c.query(`SELECT "userId" FROM "Order" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`)).rows[0]?.userId
    const customers = (await c.query(`SELECT id FROM "User" WHERE role = 'customer' ORDER BY id LIMIT 8`)).rows.map((r) => r.id)
    const categories = (await c.query(`SELECT id FROM "Category"`)).rows.map((r) => r.id)
    const visible = (await c.query(`SELECT count(*)::int AS n FROM "Product" WHERE active AND "archivedAt" IS NULL`)).rows[0].n
    const depth = Math.min(200_000, Math.floor(visible / 2)) // the 10,000th page of 20 at a million rows
    const deep = (
      await c.query(`SELECT price, id FROM "Product" WHERE active AND "archivedAt" IS NULL ORDER BY price DESC, id DESC OFFSET $1 LIMIT 1`, [depth])
    ).rows[0]
    const cursor = cursorCodec(secret).encode(
      'products',
      [
        ['price', 'desc'],
        ['id', 'desc'],
      ],
      { visibility: 'public' },
      [deep.price, deep.id],
    )
    return {
      db,
      productIds: sample.map((r) => r.id),
      categories,
      deepPage: Math.floor(depth / 20) + 1,
      deepestNumberedPage: Math.min(Math.floor(depth / 20), MAX_PAGE_OFFSET / 20) + 1, // numbered pages stop at row 10,000
      deepCursor: encodeURIComponent(cursor),
      tokens: {
        staff: jwt(secret, { sub: String(staff), role: 'staff', email: 'staff@scale.example' }),
        busiest: busiest ? jwt(secret, { sub: String(busiest), role: 'customer', email: 'c@scale.example' }) : undefined,
        customers: customers.map((id) => jwt(secret, { sub: String(id), role: 'customer', email: `${id}@scale.example` })),
      },
    }
  })
}

function scenarios(data) {
  const get = (path, token) => ({ method: 'GET', path, headers: token ? { authorization: `Bearer ${token}` } : {} })
  const list = [
    ['product by id', () => get(`/v1/products/${pick(data.productIds)}`)],
    ['first page', () => get('/v1/products')],
    [`deepest numbered page (page ${data.deepestNumberedPage}, -price)`, () => get(`/v1/products?page=${data.deepestNumberedPage}&ordering=-price`)],
    ['cursor, first page (-price)', () => get('/v1/products?ordering=-price&cursor=')],
    [`cursor, as deep as page ${data.deepPage} (-price)`, () => get(`/v1/products?ordering=-price&cursor=${data.deepCursor}`)],
    ['category (random of 200)', () => get(`/v1/products?categoryId=${pick(data.categories)}`)],
    ['price range 10–20', () => get('/v1/products?minPrice=10&maxPrice=20')],
    ['active=true', () => get('/v1/products?active=true')],
    ['ordering=price', () => get('/v1/products?ordering=price')],
    ['ordering=name', () => get('/v1/products?ordering=name')],
    ['ordering=-stock', () => get('/v1/products?ordering=-stock')],
    ['inStock=false', () => get('/v1/products?inStock=false')],
    ['search, 1 character (random)', () => get(`/v1/products?search=${randomTerm(1)}`)],
    ['search, 2 characters (random)', () => get(`/v1/products?search=${randomTerm(2)}`)],
    ['search, 3 characters (random)', () => get(`/v1/products?search=${randomTerm(3)}`)],
    ['search, 8 characters (words)', () => get(`/v1/products?search=${encodeURIComponent(pick(WORDS))}`)],
    ['cursor search, 1 character (random)', () => get(`/v1/products?search=${randomTerm(1)}&cursor=`)],
    ['cursor search, 2 characters (random)', () => get(`/v1/products?search=${randomTerm(2)}&cursor=`)],
    ['cursor search, 3 characters (random)', () => get(`/v1/products?search=${randomTerm(3)}&cursor=`)],
    ['cursor search, 8 characters (words)', () => get(`/v1/products?search=${encodeURIComponent(pick(WORDS))}&cursor=`)],
    ["a customer's orders (the busiest)", () => get('/v1/orders', data.tokens.busiest)],
    ["staff's orders, status=pending", () => get('/v1/orders?status=pending', data.tokens.staff)],
    [
      'place an order (2 lines)',
      () => {
        const [a, b] = [pick(data.productIds), pick(data.productIds)]
        const items =
          a === b
            ? [{ productId: a, quantity: 1 }]
            : [
                { productId: a, quantity: 1 },
                { productId: b, quantity: 1 },
              ]
        return {
          method: 'POST',
          path: '/v1/orders',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${pick(data.tokens.customers)}` },
          body: JSON.stringify({ items }),
        }
      },
      201,
    ],
  ]
  return list
    .filter(([label]) => !args.only || args.only.split(',').some((part) => label.includes(part)))
    .map(([label, next, status = 200]) => ({ id: label, label, status, next }))
}

/**
 * Waits until neither database runs a statement: a shape whose statements outlast its measurement
 * (a count of a million rows) must not slow the next shape down. After 10 s it cancels what still
 * runs (the clients gave up on those requests when the shape ended), and keeps cancelling until
 * nothing has run for a second: a server whose pool queued requests (the baseline has no wait
 * bound) starts their statements as the cancelled ones end. Says how many it cancelled.
 */
async function drained(adminUrl, names) {
  const active = (c) =>
    c.query(`SELECT pid FROM pg_stat_activity WHERE datname = ANY($1) AND state = 'active' AND pid <> pg_backend_pid()`, [[names.service, names.baseline]])
  const pause = () => new Promise((r) => setTimeout(r, 100))
  await withClient(adminUrl, async (c) => {
    for (let i = 0; i < 100; i++) {
      if ((await active(c)).rows.length === 0) return
      await pause()
    }
    let cancelled = 0
    for (let quiet = 0, i = 0; quiet < 10 && i < 600; i++) {
      const { rows } = await active(c)
      quiet = rows.length === 0 ? quiet + 1 : 0
      for (const { pid } of rows) await c.query('SELECT pg_cancel_backend($1)', [pid])
      cancelled += rows.length
      await pause()
    }
    log(`cancelled ${cancelled} statement(s) still running 10 s after the shape ended`)
  })
}

/**
 * Statements run and planned per request during one measurement (pg_stat_statements: `before` and
 * `after` from workOf). Planned counts only where track_planning is on (bench:scale's own server).
 */
function perRequest(before, after, { requests }) {
  return { statementsPerRequest: (after.calls - before.calls) / requests, plansPerRequest: (after.plans - before.plans) / requests }
}
/** A server's work per request as the row prints it; its plans only where they are counted (track_planning). */
const work = (r, planning) => `${r.statementsPerRequest.toFixed(2)}${planning ? ` (planned ${r.plansPerRequest.toFixed(2)})` : ''}`

/**
 * Whether the two servers asked PostgreSQL for the same work per request: as many statements
 * (within a fifth: kept pages and counts hit a little differently), as many planned (within a
 * quarter of a statement: a statement one server names and the other sends unnamed is planned
 * at every request by the second — 2026-12-03, it halved the copy baseline's searches).
 */
function sameWork(s, b) {
  const statements = Math.abs(s.statementsPerRequest - b.statementsPerRequest) <= 0.2 * Math.max(s.statementsPerRequest, b.statementsPerRequest, 1)
  return statements && Math.abs(s.plansPerRequest - b.plansPerRequest) <= 0.25
}

async function main() {
  const postgres = await startPostgres({ sharedBuffers: args['shared-buffers'], trackPlanning: true })
  if (postgres.embedded)
    log(
      postgres.hugePages
        ? "PostgreSQL's shared memory is in huge pages"
        : "PostgreSQL's shared memory is in 4 KB pages (not enough huge pages reserved: vm.nr_hugepages): each connection's first read of a buffer costs page faults (README, At scale)",
    )
  const names = { service: `shop_scale_${process.pid}_service`, baseline: `shop_scale_${process.pid}_baseline` }
  const cleanups = [postgres.stop]
  if (!postgres.embedded)
    cleanups.push(
      () => dropDatabase(postgres.adminUrl, names.service),
      () => dropDatabase(postgres.adminUrl, names.baseline),
    )
  const cleanUp = async () => {
    stopAllLoads()
    await stopAllServers()
    for (const step of cleanups.splice(0).reverse()) await step().catch((err) => log(`clean-up: ${err.message}`))
  }
  process.once('SIGINT', () => cleanUp().finally(() => process.exit(130)))
  try {
    const secret = randomBytes(32).toString('hex')
    const data = await prepare(postgres.adminUrl, names, secret)
    const baselineDb = await cloneDatabase(postgres.adminUrl, names.service, names.baseline)
    const tracked = await enableStatementStats(data.db)
    if (!tracked) log('no pg_stat_statements on this server: the statements per request are not compared')
    const planning =
      tracked &&
      (await withClient(data.db, async (c) => (await c.query(`SELECT current_setting('pg_stat_statements.track_planning', true) = 'on' AS on`)).rows[0].on))
    const servicePort = await freePort()
    const service = await startServer({
      name: 'service',
      script: join(ROOT, 'dist', 'main.js'),
      port: servicePort,
      readyPath: '/health/ready',
      logFile: join(tmpdir(), `shop-api-scale-service-${process.pid}.log`),
      env: {
        NODE_ENV: 'production',
        NODE_OPTIONS,
        HOST: '127.0.0.1',
        PORT: String(servicePort),
        DATABASE_URL: data.db,
        DB_POOL_MAX: POOL_MAX,
        JWT_SECRET: secret,
        METRICS_TOKEN: secret,
        LOG_LEVEL: 'info',
        LOG_PRETTY: 'false',
        THROTTLE_ENABLED: 'false',
        SEED_DEMO_DATA: 'false',
        MIGRATE_ON_START: 'false',
      },
    })
    const baselinePort = await freePort()
    const baseline = await startServer({
      name: 'baseline',
      script: join(ROOT, 'bench', 'baseline-server.mjs'),
      port: baselinePort,
      readyPath: '/health/live',
      logFile: join(tmpdir(), `shop-api-scale-baseline-${process.pid}.log`),
      env: { HOST: '127.0.0.1', PORT: String(baselinePort), DATABASE_URL: baselineDb, DB_POOL_MAX: POOL_MAX, JWT_SECRET: secret, NODE_ENV: 'production' },
    })
    // A first pass over every shape before any is measured: a new PostgreSQL backend pays a page
    // fault the first time it touches each 4 KB of shared memory (~20 µs each on the 2-core VM
    // this was measured on: a three-character search's first page took 68 ms on a fresh
    // connection, 4 ms after it), which a long-lived pool pays once; without this pass it landed
    // in the p99 of whichever shape first read a new part of the tables.
    if (WARMUP > 0) {
      for (const scenario of scenarios(data))
        for (const server of [service, baseline]) {
          await drained(postgres.adminUrl, names)
          await runLoad({ baseUrl: server.url, scenario, connections: CONNECTIONS, duration: WARMUP })
        }
      log('warmed every shape on both servers')
    }
    const rows = []
    for (const [i, scenario] of scenarios(data).entries()) {
      const result = {}
      for (const server of i % 2 === 0 ? [service, baseline] : [baseline, service]) {
        await drained(postgres.adminUrl, names)
        const load = { baseUrl: server.url, scenario, connections: CONNECTIONS }
        if (WARMUP > 0) await runLoad({ ...load, duration: WARMUP })
        const rss = sampleRss(server.pid)
        const before = tracked && (await workOf(data.db, names[server.name]))
        const measured = await runLoad({ ...load, duration: DURATION })
        result[server.name] = {
          ...measured,
          peakRssMB: rss.stop().rssMB,
          ...(tracked && perRequest(before, await workOf(data.db, names[server.name]), measured)),
        }
      }
      const s = result.service
      const b = result.baseline
      const row = { shape: scenario.label, service: s, baseline: b, ratio: s.rps / b.rps, sameWork: tracked ? sameWork(s, b) : undefined }
      rows.push(row)
      log(
        `${scenario.label.padEnd(40)} service ${s.rps.toFixed(0).padStart(6)} req/s p50 ${s.p50} p99 ${s.p99} | baseline ${b.rps.toFixed(0).padStart(6)} req/s p50 ${b.p50} p99 ${b.p99} | ratio ${row.ratio.toFixed(2)} | failed ${s.errors + s.unexpected}/${b.errors + b.unexpected} | RSS ${s.peakRssMB?.toFixed(0)} MB${tracked ? ` | statements/request ${work(s, planning)} · ${work(b, planning)}${row.sameWork ? '' : ' DIFFERENT WORK'}` : ''}`,
      )
    }
    const peakMB = memoryOf(service.pid)?.peakMB
    console.log(
      `\n${PRODUCTS.toLocaleString('en')} products, ${ORDERS.toLocaleString('en')} orders; ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per shape and server; service peak RSS ${peakMB?.toFixed(0)} MB`,
    )
    console.log('| shape | service req/s | baseline req/s | ratio | service p50 / p99 ms | baseline p50 / p99 ms | failed (service/baseline) |')
    console.log('|---|---|---|---|---|---|---|')
    for (const r of rows) {
      console.log(
        `| ${r.shape} | ${r.service.rps.toFixed(0)} | ${r.baseline.rps.toFixed(0)} | ${r.ratio.toFixed(2)} | ${r.service.p50} / ${r.service.p99} | ${r.baseline.p50} / ${r.baseline.p99} | ${r.service.errors + r.service.unexpected} / ${r.baseline.errors + r.baseline.unexpected} |`,
      )
    }
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true })
    const file = join(ROOT, 'bench', 'results', `scale-${PRODUCTS}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
    writeFileSync(
      file,
      `${JSON.stringify({ products: PRODUCTS, orders: ORDERS, connections: CONNECTIONS, duration: DURATION, warmup: WARMUP, servicePeakRssMB: peakMB, rows }, null, 2)}\n`,
    )
    log(`results: ${file}`)
    const differing = rows.filter((r) => r.sameWork === false)
    if (differing.length > 0)
      log(
        `the copy baseline's statements per request differ from the service's in: ${differing.map((r) => r.shape).join('; ')} — their ratios compare unlike work`,
      )
  } finally {
    await cleanUp()
  }
}

main().catch((err) => {
  log(`failed: ${err.stack ?? err}`)
  process.exit(1)
})
