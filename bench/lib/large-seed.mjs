// Seeds a large catalogue and order history straight in SQL (generate_series), for bench/scale.mjs:
// 200 categories with skewed popularity, products with varied names and prices, customers, and
// orders (one to three lines each) spread over two years. Deterministic (setseed). The table's
// secondary indexes are dropped for the insert and rebuilt after it (several times faster than
// maintaining them row by row), then the tables are VACUUM ANALYZEd as a running shop's would be.

const WORDS = {
  adjective: [
    'Classic',
    'Compact',
    'Deluxe',
    'Rustic',
    'Nordic',
    'Smart',
    'Vintage',
    'Travel',
    'Pro',
    'Mini',
    'Organic',
    'Ceramic',
    'Matte',
    'Glass',
    'Steel',
    'Bamboo',
    'Copper',
    'Quiet',
    'Daily',
    'Gift',
  ],
  noun: [
    'Kettle',
    'Grinder',
    'Dripper',
    'Mug',
    'Scale',
    'Filter',
    'Tumbler',
    'Teapot',
    'Press',
    'Carafe',
    'Spoon',
    'Canister',
    'Tray',
    'Jar',
    'Whisk',
    'Bottle',
    'Bowl',
    'Cup',
    'Sieve',
    'Timer',
  ],
  material: ['oak', 'walnut', 'stoneware', 'porcelain', 'borosilicate glass', 'stainless steel', 'enamel', 'cast iron', 'linen', 'cork'],
  use: ['pour-over', 'espresso', 'green tea', 'cold brew', 'travel', 'the office', 'camping', 'gifting', 'baking', 'matcha'],
}

const sqlArray = (words) => `ARRAY[${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(', ')}]`
/** Picks from `words` by a hash of `expr`, so names vary but are reproducible. */
const pick = (words, expr) => `(${sqlArray(words)})[1 + abs(hashint4(${expr})::bigint) % ${words.length}]`

async function withoutSecondaryIndexes(client, table, work) {
  const { rows } = await client.query(
    `SELECT i.relname AS name, pg_get_indexdef(ix.indexrelid) AS def, con.conname AS constraint_name
     FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
     LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid
     WHERE t.relname = $1 AND NOT ix.indisprimary`,
    [table],
  )
  const plain = rows.filter((r) => !r.constraint_name)
  // Statistics targets set on an index's columns (the migrations' ALTER INDEX … SET STATISTICS) are
  // the index's own: put them back on the rebuilt index, or ANALYZE samples it with the default.
  const { rows: targets } = await client.query(
    `SELECT i.relname AS name, a.attnum, a.attstattarget AS target
     FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_attribute a ON a.attrelid = ix.indexrelid
     WHERE t.relname = $1 AND NOT ix.indisprimary AND a.attstattarget > 0`,
    [table],
  )
  for (const r of plain) await client.query(`DROP INDEX "${r.name}"`)
  await work()
  for (const r of plain) await client.query(r.def)
  for (const t of targets) await client.query(`ALTER INDEX "${t.name}" ALTER COLUMN ${t.attnum} SET STATISTICS ${Number(t.target)}`)
}

/**
 * @param {import('pg').Client} client a connection to the migrated database
 * @param {{products: number, orders: number, customers?: number, categories?: number}} size
 */
export async function seedLarge(client, { products, orders, customers = 10_000, categories = 200 }) {
  await client.query(`SET maintenance_work_mem = '256MB'`)
  await client.query('SELECT setseed(0.17)')
  await client.query(`
    INSERT INTO "Category" (name, slug, description, "updatedAt")
    SELECT 'Category ' || i, 'category-' || i, '', now() FROM generate_series(1, ${categories}) AS i`)
  const {
    rows: [{ first: firstCategory }],
  } = await client.query('SELECT min(id) AS first FROM "Category"')
  await withoutSecondaryIndexes(client, 'Product', () =>
    client.query(`
      INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", active, "archivedAt", "createdAt", "updatedAt")
      SELECT 'SKU-' || lpad(to_hex(i), 7, '0'),
             ${pick(WORDS.adjective, 'i')} || ' ' || ${pick(WORDS.material, 'i * 7')} || ' ' || ${pick(WORDS.noun, 'i * 13')} || ' ' || (i % 997),
             'A ' || lower(${pick(WORDS.adjective, 'i * 3')}) || ' ' || lower(${pick(WORDS.noun, 'i * 13')}) || ' in ' || ${pick(WORDS.material, 'i * 7')} || ', for ' || ${pick(WORDS.use, 'i * 5')} || '.',
             round((0.5 + exp(random() * 7))::numeric, 2),
             CASE WHEN i % 10 = 0 THEN 0 ELSE 1 + (abs(hashint4(i * 17)::bigint) % 500) END,
             ${firstCategory} + floor(${categories} * power(random(), 3))::int,
             i % 20 <> 0,
             CASE WHEN i % 50 = 0 THEN now() END,
             now() - make_interval(mins => ${products} - i),
             now()
      FROM generate_series(1, ${products}) AS i`),
  )
  await client.query(`
    INSERT INTO "User" (email, name, "passwordHash", role, "updatedAt")
    SELECT 'customer-' || i || '@scale.example', 'Customer ' || i, '!', 'customer', now() FROM generate_series(1, ${customers}) AS i`)
  const {
    rows: [ids],
  } = await client.query(
    `SELECT (SELECT min(id) FROM "User" WHERE email LIKE 'customer-%@scale.example') AS "firstUser",
            (SELECT min(id) FROM "Product") AS "firstProduct"`,
  )
  if (orders > 0) {
    await withoutSecondaryIndexes(client, 'Order', () =>
      client.query(`
        INSERT INTO "Order" ("userId", status, total, "createdAt", "updatedAt")
        SELECT ${ids.firstUser} + floor(${customers} * power(random(), 2))::int,
               (ARRAY['delivered','delivered','delivered','delivered','delivered','delivered','shipped','paid','pending','cancelled']::"OrderStatus"[])[1 + abs(hashint4(i)::bigint) % 10],
               round((5 + random() * 300)::numeric, 2),
               now() - make_interval(secs => (${orders} - i) * 60),
               now()
        FROM generate_series(1, ${orders}) AS i`),
    )
    await withoutSecondaryIndexes(client, 'OrderItem', () =>
      client.query(`
        INSERT INTO "OrderItem" ("orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal")
        SELECT o.id, p.id, p.sku, p.name, p.price, 1 + line, p.price * (1 + line)
        FROM "Order" o CROSS JOIN LATERAL generate_series(0, abs(hashint4(o.id)::bigint) % 3) AS line
        JOIN "Product" p ON p.id = ${ids.firstProduct} + (abs(hashint4(o.id)::bigint) % ${products} + line * 7919) % ${products}`),
    )
  }
  await client.query('VACUUM ANALYZE "Category", "Product", "ProductStockKey", "User", "Order", "OrderItem"')
}
