// The benchmark's data: a deterministic catalogue, a few users and their orders, put into the service's
// database through its own API (the baseline gets an exact copy of that database afterwards).
import { randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import { mapLimit, requestJson } from './net.mjs'
import { withClient } from './postgres.mjs'

/** Stock no benchmark run can sell out (S3 takes at most a few hundred thousand units in all). */
export const BENCH_STOCK = 1_000_000
/** timestamp(3) columns hold UTC (Prisma's convention), whatever the session's TimeZone. */
const NOW_UTC = `(now() AT TIME ZONE 'UTC')`

function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const formatCents = (cents) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`

/** The same rows on every run (prices, names, categories), so runs compare. */
export function makeDataset({ products = 2000, categories = 10, users = 8, orders = 1000 } = {}) {
  const random = prng(20260701)
  const password = () => randomBytes(12).toString('base64url')
  return {
    admin: { email: 'bench-admin@bench.local', name: 'Bench admin', password: password() },
    users: Array.from({ length: users }, (_, i) => ({ email: `bench-user-${i + 1}@bench.local`, name: `Bench user ${i + 1}`, password: password() })),
    categories: Array.from({ length: categories }, (_, i) => ({
      name: `Bench category ${i + 1}`,
      slug: `bench-category-${i + 1}`,
      description: `Products of benchmark category ${i + 1}`,
    })),
    products: Array.from({ length: products }, (_, i) => ({
      sku: `BENCH-${String(i + 1).padStart(5, '0')}`,
      name: `Bench product ${i + 1}`,
      description: `A benchmark product with an ordinary description of ordinary length, number ${i + 1}.`,
      price: formatCents(100 + Math.floor(random() * 49_900)),
      stock: BENCH_STOCK,
      categoryIndex: i % categories,
      active: true,
    })),
    // A shop that sells has orders: without them the first VACUUM ANALYZE records "Order" as empty,
    // and PostgreSQL plans the foreign-key checks of every new order's lines and history as
    // sequential scans of "Order", kept by each connection until autovacuum next analyzes it (a
    // minute or more): a cost that grows with every order placed, on every server measured alike.
    orders: Array.from({ length: orders }, (_, i) => {
      const first = Math.floor(random() * products)
      const second = (first + 1 + Math.floor(random() * (products - 1))) % products
      const quantity = () => 1 + Math.floor(random() * 3)
      return {
        userIndex: i % users,
        items: [
          { productIndex: first, quantity: quantity() },
          { productIndex: second, quantity: quantity() },
        ],
      }
    }),
  }
}

/**
 * In production mode the service seeds nothing, and the API cannot create the first admin,
 * so the bench inserts it directly, hashed exactly as PasswordService does (argon2id, OWASP
 * parameters). Everything else goes through the API with this admin's token.
 */
export async function insertAdmin(databaseUrl, admin) {
  const hash = await argon2.hash(admin.password, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 })
  await withClient(databaseUrl, (c) =>
    c.query(`INSERT INTO "User" (email, name, "passwordHash", role, "createdAt", "updatedAt") VALUES ($1, $2, $3, 'admin', ${NOW_UTC}, ${NOW_UTC})`, [
      admin.email,
      admin.name,
      hash,
    ]),
  )
}

function expectStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 500)}`)
  return res.body
}

async function login(baseUrl, { email, password }) {
  return expectStatus(await requestJson(baseUrl, 'POST', '/v1/auth/login', { body: { email, password } }), 200, `login ${email}`).accessToken
}

/**
 * Creates `items` through POST `path`, or — only when the route does not exist yet (404 on the
 * first call) — with `sqlInsert`, so the rest of the harness still runs. Returns the new ids
 * and how they were made.
 */
async function createAll(baseUrl, path, token, items, concurrency, sqlInsert) {
  const first = await requestJson(baseUrl, 'POST', path, { body: items[0], token })
  if (first.status === 404) return { ids: await sqlInsert(items), via: 'sql (route missing)' }
  const firstId = expectStatus(first, 201, `POST ${path}`).id
  const rest = await mapLimit(
    items.slice(1),
    concurrency,
    async (item) => expectStatus(await requestJson(baseUrl, 'POST', path, { body: item, token }), 201, `POST ${path}`).id,
  )
  return { ids: [firstId, ...rest], via: 'api' }
}

/** Seeds the service (already started on a database holding only the admin); returns what the scenarios need. */
export async function seedThroughApi(baseUrl, databaseUrl, dataset) {
  const adminToken = await login(baseUrl, dataset.admin)
  // argon2 takes ~19 MiB and tens of ms per hash: a few at a time.
  await mapLimit(dataset.users, 2, async (user) =>
    expectStatus(await requestJson(baseUrl, 'POST', '/v1/auth/register', { body: user }), 201, `register ${user.email}`),
  )
  const tokens = await mapLimit(dataset.users, 2, (user) => login(baseUrl, user))

  const categories = await createAll(baseUrl, '/v1/categories', adminToken, dataset.categories, 4, (items) =>
    withClient(databaseUrl, async (c) => {
      const { rows } = await c.query(
        `INSERT INTO "Category" (name, slug, description, "createdAt", "updatedAt")
         SELECT n, s, d, ${NOW_UTC}, ${NOW_UTC} FROM unnest($1::text[], $2::text[], $3::text[]) AS t(n, s, d) RETURNING id`,
        [items.map((i) => i.name), items.map((i) => i.slug), items.map((i) => i.description)],
      )
      return rows.map((r) => r.id)
    }),
  )
  const products = dataset.products.map(({ categoryIndex, ...p }) => ({ ...p, categoryId: categories.ids[categoryIndex] }))
  const created = await createAll(baseUrl, '/v1/products', adminToken, products, 16, (items) =>
    withClient(databaseUrl, async (c) => {
      const { rows } = await c.query(
        `INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", active, "createdAt", "updatedAt")
         SELECT *, ${NOW_UTC}, ${NOW_UTC} FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::int[], $6::int[], $7::boolean[]) RETURNING id`,
        ['sku', 'name', 'description', 'price', 'stock', 'categoryId', 'active'].map((k) => items.map((i) => i[k])),
      )
      return rows.map((r) => r.id)
    }),
  )
  await mapLimit(dataset.orders, 8, async ({ userIndex, items }) => {
    const body = { items: items.map(({ productIndex, quantity }) => ({ productId: created.ids[productIndex], quantity })) }
    expectStatus(await requestJson(baseUrl, 'POST', '/v1/orders', { body, token: tokens[userIndex] }), 201, 'POST /v1/orders')
  })
  return { tokens, productIds: created.ids, via: { categories: categories.via, products: created.via } }
}
