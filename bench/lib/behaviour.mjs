// Behaviour checks every server of the benchmark must pass before it is measured, so that no
// baseline wins by doing less than the contract asks (/work/shared/api-contract.md, Orders and
// Operations): totals priced from the database, all-or-nothing placement, no oversell under
// concurrency, inactive products refused, and the request id on every answer. Each order check
// uses products of its own, inserted into that server's database and hidden again afterwards, so
// the scenarios' data stay as seeded.
import { withClient } from './postgres.mjs'

const NOW_UTC = `(now() AT TIME ZONE 'UTC')`
const CONCURRENT_ORDERS = 12

async function insertProducts(databaseUrl, tag, products) {
  return withClient(databaseUrl, async (c) => {
    const { rows } = await c.query(
      `INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", active, "createdAt", "updatedAt")
       SELECT 'CHECK-' || $1 || '-' || n, 'Check product ' || n, 'Behaviour check', p, s, (SELECT min(id) FROM "Category"), a, ${NOW_UTC}, ${NOW_UTC}
       FROM unnest($2::numeric[], $3::int[], $4::boolean[]) WITH ORDINALITY AS t(p, s, a, n) ORDER BY n RETURNING id`,
      [tag, products.map((p) => p.price), products.map((p) => p.stock), products.map((p) => p.active)],
    )
    return rows.map((r) => r.id)
  })
}

const stockOf = (databaseUrl, ids) =>
  withClient(databaseUrl, async (c) => (await c.query('SELECT stock FROM "Product" WHERE id = ANY($1::int[]) ORDER BY id', [ids])).rows.map((r) => r.stock))

async function post(baseUrl, token, items) {
  const res = await fetch(new URL('/v1/orders', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ items }),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

/** Runs the checks against one server; resolves to a list of failures (empty when it behaves). */
export async function checkOrderBehaviour(server, databaseUrl, token) {
  const failures = []
  const expect = (ok, what) => {
    if (!ok) failures.push(what)
  }
  const [cheap, dear, scarce, inactive] = await insertProducts(databaseUrl, server.name, [
    { price: '0.10', stock: 1000, active: true },
    { price: '12.34', stock: 1000, active: true },
    { price: '5.00', stock: 5, active: true },
    { price: '1.00', stock: 1000, active: false },
  ])
  try {
    const placed = await post(server.url, token, [
      { productId: dear, quantity: 3 },
      { productId: cheap, quantity: 7 },
    ])
    expect(placed.status === 201, `an order of two lines answered ${placed.status}`)
    expect(placed.body?.total === '37.72', `total ${placed.body?.total}, expected 37.72 (3 x 12.34 + 7 x 0.10, database prices)`)

    const before = await stockOf(databaseUrl, [cheap, dear, scarce])
    const short = await post(server.url, token, [
      { productId: cheap, quantity: 1 },
      { productId: scarce, quantity: 6 },
    ])
    const refused = await post(server.url, token, [
      { productId: cheap, quantity: 1 },
      { productId: inactive, quantity: 1 },
    ])
    expect(short.status === 409, `a line over the stock answered ${short.status}, expected 409`)
    expect(refused.status >= 400 && refused.status < 500, `an inactive product answered ${refused.status}, expected a 4xx`)
    expect(JSON.stringify(await stockOf(databaseUrl, [cheap, dear, scarce])) === JSON.stringify(before), 'a refused order changed stock (not all-or-nothing)')

    const results = await Promise.all(
      Array.from({ length: CONCURRENT_ORDERS }, (_, i) =>
        post(server.url, token, [
          { productId: scarce, quantity: 1 },
          { productId: i % 2 ? cheap : dear, quantity: 1 },
        ]),
      ),
    )
    const won = results.filter((r) => r.status === 201).length
    const lost = results.filter((r) => r.status === 409).length
    const [left] = await stockOf(databaseUrl, [scarce])
    expect(
      won === 5 && lost === CONCURRENT_ORDERS - 5 && left === 0,
      `${CONCURRENT_ORDERS} concurrent orders on a stock of 5: ${won} placed, ${lost} refused, ${left} left (oversell or lost update)`,
    )
  } finally {
    await withClient(databaseUrl, (c) => c.query('UPDATE "Product" SET active = false WHERE id = ANY($1::int[])', [[cheap, dear, scarce, inactive]]))
  }
  return failures
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The contract's request ids (Operations): every response carries X-Request-Id — the caller's when
 * sent, else a new one — and an error body names it. Resolves to a list of failures.
 */
export async function checkRequestIds(server) {
  const failures = []
  const sent = `bench-check-${server.name}`
  const echoed = await fetch(new URL('/health/live', server.url), { headers: { 'x-request-id': sent } })
  await echoed.arrayBuffer()
  if (echoed.headers.get('x-request-id') !== sent) failures.push(`a sent X-Request-Id came back as ${echoed.headers.get('x-request-id')}`)
  const fresh = await Promise.all(
    [1, 2].map(() => fetch(new URL('/health/live', server.url)).then(async (r) => (await r.arrayBuffer(), r.headers.get('x-request-id')))),
  )
  if (!fresh.every((id) => UUID.test(id ?? '')) || fresh[0] === fresh[1])
    failures.push(`requests without an id got ${fresh.map(String).join(', ')}, expected a new UUID each`)
  const refused = await fetch(new URL('/v1/orders', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': sent },
    body: '{}',
  })
  const problem = await refused.json().catch(() => undefined)
  if (refused.headers.get('x-request-id') !== sent || problem?.requestId !== sent)
    failures.push(`an error (${refused.status}) did not carry the request id in its header and body`)
  return failures
}
