#!/usr/bin/env node
// The fleet drill (npm run test:fleet, after npm run build): three instances of dist/main.js on
// the machine's PostgreSQL (a fresh database, dropped at the end) and a private Redis, behind
// HAProxy on 127.0.0.1. README "Fleet drill" says what each step proves.
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMigratedDatabase, dropDatabase, withClient, withDatabase } from '../bench/lib/postgres.mjs'
import { freePort, mapLimit } from '../bench/lib/net.mjs'
import { CHECK_INTERVAL_MS, HAPROXY, startHaproxy } from './fleet/haproxy.mjs'
import { expectStatus, randomClientIp, request } from './fleet/http.mjs'
import { defineInstance, probeReady } from './fleet/instances.mjs'
import { describeLoad, startLoad } from './fleet/load.mjs'
import { defineRedis } from './fleet/redis.mjs'
import { seed } from './fleet/seed.mjs'
import { sleep, untilTrue } from './fleet/wait.mjs'

const INSTANCES = ['a', 'b', 'c']
const THROTTLE_LIMIT = 40
/** Long enough for a few readiness checks: the proxy takes the instance out before its listener closes. */
const SHUTDOWN_DELAY_MS = CHECK_INTERVAL_MS * 10
const SCARCE_STOCK = 10
const SCARCE_BUYERS = 60
const LOAD_STOCK = 1_000_000

const began = Date.now()
const t = () => `${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s`
const log = (line) => console.log(`[${t()}] ${line}`)
let failed = 0
function check(condition, what) {
  if (condition) console.log(`[${t()}]   ok   ${what}`)
  else {
    failed += 1
    console.log(`[${t()}]   FAIL ${what}`)
  }
}

for (const [file, hint] of [
  ['dist/main.js', 'run npm run build first'],
  [HAPROXY, 'apt-get install -y haproxy'],
  ['/usr/bin/redis-server', 'apt-get install -y redis-server'],
]) {
  if (!existsSync(file)) {
    console.error(`test:fleet needs ${file}: ${hint}`)
    process.exit(2)
  }
}

const adminUrl = withDatabase(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', 'postgres')
const dbName = `shop_fleet_${process.pid}_${randomBytes(4).toString('hex')}`
const dir = mkdtempSync(join(tmpdir(), 'shop-api-fleet-'))
const cleanups = []
let instances = []

async function main() {
  log(`database ${dbName} on ${new URL(adminUrl).host}; logs in ${dir}`)
  const databaseUrl = await createMigratedDatabase(adminUrl, dbName)
  cleanups.push(() => dropDatabase(adminUrl, dbName))
  const data = await seed(databaseUrl, {
    customers: SCARCE_BUYERS + 10,
    catalogue: 50,
    products: { scarce: SCARCE_STOCK, idempotent: 1000, load: LOAD_STOCK },
  })
  const customers = data.customers
  const scarceBuyers = customers.slice(0, SCARCE_BUYERS)
  const [idemUser, refreshUser, ...loadUsers] = customers.slice(SCARCE_BUYERS)

  const redis = defineRedis({ port: await freePort() })
  await redis.start()
  cleanups.push(() => redis.stop())

  const env = {
    NODE_ENV: 'production',
    NODE_OPTIONS: '--max-old-space-size=512',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    JWT_SECRET: randomBytes(48).toString('base64'),
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
    TRUST_PROXY: 'loopback',
    THROTTLE_LIMIT: String(THROTTLE_LIMIT),
    DB_POOL_MAX: '5',
    SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    LOG_LEVEL: 'warn',
  }
  instances = await Promise.all(INSTANCES.map(async (name) => defineInstance({ name, port: await freePort(), env, logDir: dir })))
  cleanups.push(() => Promise.all(instances.map((i) => i.stop())))
  await Promise.all(instances.map((i) => i.start()))
  const proxy = await startHaproxy({ port: await freePort(), servers: instances, dir })
  cleanups.push(() => proxy.stop())
  log(`${instances.length} instances (${instances.map((i) => `${i.name} :${i.port}`).join(', ')}) behind HAProxy ${proxy.url}, Redis :${redis.port}`)

  const login = async (user, baseUrl = proxy.url) =>
    expectStatus(await request(baseUrl, 'POST', '/v1/auth/login', { body: { email: user.email, password: data.password } }), 200, `login ${user.email}`)

  // 1. One rate limit for the fleet: a client gets THROTTLE_LIMIT answers in all, not per instance.
  log(`rate limit: ${THROTTLE_LIMIT + 20} requests from one client through the proxy`)
  {
    const ip = randomClientIp()
    const answers = []
    for (let i = 0; i < THROTTLE_LIMIT + 20; i++) answers.push(await request(proxy.url, 'GET', `/v1/products/${data.catalogueIds[i % 10]}`, { ip }))
    const ok = answers.filter((r) => r.status === 200)
    const limited = answers.filter((r) => r.status === 429)
    const servedBy = new Set(ok.map((r) => r.servedBy))
    check(
      ok.length === THROTTLE_LIMIT && limited.length === 20,
      `exactly ${THROTTLE_LIMIT} answered 200 and 20 were 429 (got ${ok.length} / ${limited.length})`,
    )
    check(servedBy.size === INSTANCES.length, `the 200s came from every instance (${[...servedBy].join(', ')})`)
  }

  // 2. One Idempotency-Key sent to two instances at the same moment: one order.
  log('idempotency: 5 keys, each sent to instances a and b at once')
  {
    const { accessToken } = await login(idemUser)
    const results = []
    for (let k = 0; k < 5; k++) {
      const key = randomUUID()
      const body = { items: [{ productId: data.products.idempotent, quantity: 2 }] }
      results.push(
        await Promise.all(
          [instances[0], instances[1]].map((i) => request(i.url, 'POST', '/v1/orders', { body, token: accessToken, headers: { 'idempotency-key': key } })),
        ),
      )
    }
    const pairsOk = results.every(([x, y]) => x.status === 201 && y.status === 201 && x.body.id === y.body.id)
    const replays = results.filter(([x, y]) => (x.headers?.get('idempotent-replayed') === 'true') !== (y.headers?.get('idempotent-replayed') === 'true')).length
    check(pairsOk, `every pair answered 201 with the same order (${results.map(([x, y]) => `${x.status}/${y.status}`).join(' ')})`)
    check(replays === 5, `in every pair exactly one answer was a replay (${replays} of 5)`)
    const db = await withClient(databaseUrl, async (c) => ({
      orders: Number((await c.query('SELECT count(*) FROM "Order" WHERE "userId" = $1', [idemUser.id])).rows[0].count),
      stock: (await c.query('SELECT stock FROM "Product" WHERE id = $1', [data.products.idempotent])).rows[0].stock,
    }))
    check(db.orders === 5 && db.stock === 1000 - 10, `database: 5 orders, stock 1000 → ${db.stock} (expected 990)`)
  }

  // 3. 60 buyers over the fleet for the last 10 items.
  log(`last items: ${SCARCE_BUYERS} buyers at once, spread evenly over the instances, for ${SCARCE_STOCK} items`)
  {
    const tokens = await mapLimit(scarceBuyers, 6, async (user) => (await login(user)).accessToken)
    const answers = await Promise.all(
      tokens.map((token, i) =>
        request(instances[i % instances.length].url, 'POST', '/v1/orders', { body: { items: [{ productId: data.products.scarce, quantity: 1 }] }, token }),
      ),
    )
    const sold = answers.filter((r) => r.status === 201)
    const refused = answers.filter((r) => r.status === 409 && r.body?.type?.endsWith('insufficient-stock'))
    const soldBy = new Set(sold.map((r) => r.url.port))
    check(
      sold.length === SCARCE_STOCK && refused.length === SCARCE_BUYERS - SCARCE_STOCK,
      `${sold.length} sold (201), ${refused.length} refused (409 insufficient-stock), ${answers.length - sold.length - refused.length} other`,
    )
    log(`  the 10 sales were made by ${soldBy.size} of the ${instances.length} instances`)
    const db = await withClient(databaseUrl, async (c) => ({
      stock: (await c.query('SELECT stock FROM "Product" WHERE id = $1', [data.products.scarce])).rows[0].stock,
      units: Number((await c.query('SELECT coalesce(sum(quantity), 0) AS n FROM "OrderItem" WHERE "productId" = $1', [data.products.scarce])).rows[0].n),
    }))
    check(db.stock === 0 && db.units === SCARCE_STOCK, `database: stock ${db.stock}, ${db.units} units in orders`)
  }

  // 4. A refresh token rotated on one instance is spent on the others.
  log('refresh tokens: log in on a, rotate on b, replay the old one on c')
  {
    const first = await login(refreshUser, instances[0].url)
    const me = await request(instances[2].url, 'GET', '/v1/users/me', { token: first.accessToken })
    check(me.status === 200 && me.body?.email === refreshUser.email, `an access token from a is accepted by c (${me.status})`)
    const rotated = await request(instances[1].url, 'POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } })
    check(rotated.status === 200 && rotated.body?.refreshToken !== first.refreshToken, `rotated on b (${rotated.status})`)
    const replayed = await request(instances[2].url, 'POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } })
    check(replayed.status === 401, `the spent token is refused on c (${replayed.status})`)
    const successor = await request(instances[0].url, 'POST', '/v1/auth/refresh', { body: { refreshToken: rotated.body?.refreshToken } })
    check(successor.status === 401, `the reuse revoked its successor too, on a (${successor.status})`)
  }

  // 5. Rolling restart under load: no failed request, no lost or doubled order.
  const productIds = data.catalogueIds
  const orderProductId = data.products.load
  const restartBuyers = await Promise.all(loadUsers.slice(0, 4).map(async (u) => ({ userId: u.id, token: (await login(u)).accessToken })))
  log('rolling restart: SIGTERM one instance at a time under load (4 readers, 4 buyers, no client retries)')
  {
    const before = await proxy.retryCounters()
    const watch = watchProxy(proxy)
    const load = startLoad({ baseUrl: proxy.url, readers: 4, buyers: restartBuyers, productIds, orderProductId, retry: false })
    await sleep(1000)
    for (const instance of instances) await rollingRestartOne(instance, watch)
    await sleep(1000)
    const stats = await load.stop()
    watch.stop()
    log(`load: ${describeLoad(stats)}`)
    log(`proxy: ${describeCounters(before, await proxy.retryCounters())}`)
    check(
      stats.failures.length === 0,
      `no failed request (${stats.failures.length}${stats.failures.length ? `: ${JSON.stringify(stats.failures.slice(0, 8))}` : ''})`,
    )
    check(
      instances.every((i) => i.lastExit?.code === 0),
      `every instance exited 0 after its drain (${instances.map((i) => `${i.name}: ${i.lastExit?.code}`).join(', ')})`,
    )
    await checkOrders(databaseUrl, stats, restartBuyers, 'rolling restart')
  }

  // 6. Faults under load, with clients that retry what is safe to retry.
  const faultBuyers = await Promise.all(loadUsers.slice(4, 8).map(async (u) => ({ userId: u.id, token: (await login(u)).accessToken })))
  log('faults: SIGKILL instance b, then restart Redis, under load (clients retry 0/502/503/504, orders with the same key)')
  {
    const before = await proxy.retryCounters()
    const watch = watchProxy(proxy)
    const load = startLoad({ baseUrl: proxy.url, readers: 4, buyers: faultBuyers, productIds, orderProductId, retry: true })
    await sleep(1000)
    const victim = instances[1]
    const killedAt = Date.now()
    victim.signal('SIGKILL')
    await victim.exited
    await untilTrue('the proxy marks b DOWN', 10_000, () => watch.state(victim.name) !== 'UP')
    log(`  b killed; proxy marked it ${watch.state(victim.name)} after ${Date.now() - killedAt} ms`)
    await sleep(500)
    await victim.start()
    await untilTrue('the proxy marks b UP again', 20_000, () => watch.state(victim.name) === 'UP')
    log(`  b restarted and UP again ${Date.now() - killedAt} ms after the kill`)

    const redisStoppedAt = Date.now()
    await redis.stop()
    await sleep(1500)
    await redis.start()
    log(`  Redis stopped for ${Date.now() - redisStoppedAt} ms and started again (empty)`)
    await sleep(1000)
    const stats = await load.stop()
    watch.stop()
    log(`load: ${describeLoad(stats)}`)
    log(`proxy: ${describeCounters(before, await proxy.retryCounters())}`)
    const fatal = stats.failures
    check(
      fatal.length === 0,
      `every request succeeded, retried where safe (${fatal.length} failed${fatal.length ? `: ${JSON.stringify(fatal.slice(0, 8))}` : ''})`,
    )
    check(!Object.keys(stats.statuses).some((k) => / 500$/.test(k)), 'no 500 answer')
    await checkOrders(databaseUrl, stats, faultBuyers, 'faults')

    // Limits hold again once Redis is back (ioredis reconnects with a backoff): within 20 s, a
    // fresh client gets exactly THROTTLE_LIMIT answers from the fleet, then 429s.
    let tries = 0
    const exact = await untilTrue(
      'rate limits enforced again after the Redis restart',
      20_000,
      async () => {
        tries += 1
        const ip = randomClientIp() // a fresh client each try: one window, counted from zero
        const statuses = []
        for (let i = 0; i < THROTTLE_LIMIT + 5; i++) statuses.push((await request(proxy.url, 'GET', `/v1/products/${productIds[0]}`, { ip })).status)
        return statuses.filter((s) => s === 200).length === THROTTLE_LIMIT && statuses.filter((s) => s === 429).length === 5
      },
      500,
    ).then(
      () => true,
      () => false,
    )
    check(exact, `after Redis came back one client got exactly ${THROTTLE_LIMIT} answers from the fleet, then 429s (try ${tries})`)
  }

  const loadStock = await withClient(databaseUrl, async (c) => (await c.query('SELECT stock FROM "Product" WHERE id = $1', [orderProductId])).rows[0].stock)
  const loadUnits = await withClient(databaseUrl, async (c) =>
    Number((await c.query('SELECT coalesce(sum(quantity), 0) AS n FROM "OrderItem" WHERE "productId" = $1', [orderProductId])).rows[0].n),
  )
  check(loadStock + loadUnits === LOAD_STOCK, `stock of the load product + units ordered = ${loadStock} + ${loadUnits} = ${LOAD_STOCK}`)
}

/** SIGTERM → readiness 503 → proxy DOWN → exit → start → ready → proxy UP; prints the timeline. */
async function rollingRestartOne(instance, watch) {
  const t0 = Date.now()
  const at = () => `+${String(Date.now() - t0).padStart(5)} ms`
  const events = []
  instance.signal('SIGTERM')
  events.push(`${at()} SIGTERM`)
  await untilTrue(`${instance.name} unready`, 5_000, async () => (await probeReady(instance.url)) !== 200, 20)
  events.push(`${at()} /health/ready 503`)
  await untilTrue(`proxy takes ${instance.name} out`, 5_000, () => watch.state(instance.name) !== 'UP', 10)
  events.push(`${at()} proxy: ${watch.state(instance.name)}`)
  const exit = await instance.exited
  instance.lastExit = exit
  events.push(`${at()} exited ${exit.code ?? exit.signal}`)
  await instance.start()
  events.push(`${at()} new process ready`)
  await untilTrue(`proxy puts ${instance.name} back`, 20_000, () => watch.state(instance.name) === 'UP', 10)
  events.push(`${at()} proxy: UP`)
  log(`  ${instance.name}: ${events.join(' → ')}`)
}

/** Polls HAProxy's runtime API every 25 ms so transitions are seen as they happen. */
function watchProxy(proxy) {
  let states = {}
  let running = true
  const loop = (async () => {
    while (running) {
      states = await proxy.serverStates().catch(() => states)
      await sleep(25)
    }
  })()
  return { state: (name) => states[name], stop: () => ((running = false), loop) }
}

function describeCounters(before, after) {
  return Object.entries(after)
    .map(([name, n]) => `${n - before[name]} ${name}`)
    .join(', ')
}

/** Every order a client was told about is in the database, once; nothing else is. */
async function checkOrders(databaseUrl, stats, buyers, phase) {
  const ids = buyers.map((b) => b.userId)
  const rows = await withClient(databaseUrl, async (c) => (await c.query('SELECT id FROM "Order" WHERE "userId" = ANY($1)', [ids])).rows)
  const inDb = new Set(rows.map((r) => r.id))
  const told = new Set(stats.placed.map((p) => p.orderId))
  const lost = [...told].filter((id) => !inDb.has(id))
  const unknown = [...inDb].filter((id) => !told.has(id))
  check(told.size === stats.placed.length, `${phase}: ${stats.placed.length} orders accepted, each key its own order`)
  check(
    lost.length === 0 && unknown.length === 0,
    `${phase}: database holds exactly the ${told.size} accepted orders (lost ${lost.length}, not told about ${unknown.length})`,
  )
}

async function cleanup() {
  for (const fn of cleanups.reverse()) await fn().catch((err) => console.error(`cleanup: ${err.message}`))
}

let exitCode = 0
try {
  await main()
} catch (err) {
  console.error(`\n[${t()}] drill aborted: ${err.stack ?? err}`)
  for (const i of instances) {
    try {
      console.error(
        `--- last lines of ${i.name}.log\n${readFileSync(join(dir, `${i.name}.log`), 'utf8')
          .split('\n')
          .slice(-15)
          .join('\n')}`,
      )
    } catch {
      // no log written before the failure: nothing to show
    }
  }
  exitCode = 1
} finally {
  await cleanup()
}
if (failed > 0) exitCode = 1
if (exitCode === 0) rmSync(dir, { recursive: true, force: true })
console.log(
  `\nfleet drill: ${exitCode === 0 ? 'passed' : `FAILED (${failed} check(s) failed; logs kept in ${dir})`} in ${((Date.now() - began) / 1000).toFixed(0)} s`,
)
process.exit(exitCode)
