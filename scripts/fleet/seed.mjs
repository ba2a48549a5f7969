// The drill's data, inserted directly (production mode seeds nothing and the API cannot create
// users in bulk without argon2 work per request): one category, products, customers sharing one
// password (hashed once, as PasswordService does).
import { randomBytes } from 'node:crypto'
import argon2 from 'argon2'
import { withClient } from '../../bench/lib/postgres.mjs'

const NOW_UTC = `(now() AT TIME ZONE 'UTC')`

export async function seed(databaseUrl, { customers, catalogue, products }) {
  const password = randomBytes(12).toString('base64url')
  const hash = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 })
  return withClient(databaseUrl, async (c) => {
    const {
      rows: [category],
    } = await c.query(
      `INSERT INTO "Category" (name, slug, description, "createdAt", "updatedAt") VALUES ('Fleet', 'fleet', '', ${NOW_UTC}, ${NOW_UTC}) RETURNING id`,
    )
    const insertProducts = async (items) => {
      const { rows } = await c.query(
        `INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", active, "createdAt", "updatedAt")
         SELECT s, n, '', p, st, $5, true, ${NOW_UTC}, ${NOW_UTC} FROM unnest($1::text[], $2::text[], $3::numeric[], $4::int[]) AS t(s, n, p, st)
         RETURNING id`,
        [items.map((i) => i.sku), items.map((i) => i.name), items.map((i) => i.price), items.map((i) => i.stock), category.id],
      )
      return rows.map((r) => r.id)
    }
    const catalogueIds = await insertProducts(
      Array.from({ length: catalogue }, (_, i) => ({ sku: `FLEET-${i + 1}`, name: `Fleet product ${i + 1}`, price: `${10 + i}.50`, stock: 1000 })),
    )
    const named = {}
    for (const [name, stock] of Object.entries(products))
      [named[name]] = await insertProducts([{ sku: `FLEET-${name}`, name: `Fleet ${name}`, price: '5.00', stock }])
    const { rows } = await c.query(
      `INSERT INTO "User" (email, name, "passwordHash", role, "createdAt", "updatedAt")
       SELECT e, 'Fleet customer', $2, 'customer', ${NOW_UTC}, ${NOW_UTC} FROM unnest($1::text[]) AS t(e) RETURNING id, email`,
      [Array.from({ length: customers }, (_, i) => `fleet-${i + 1}@fleet.test`), hash],
    )
    return { password, catalogueIds, products: named, customers: rows }
  })
}
