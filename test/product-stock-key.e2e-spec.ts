import pg from 'pg';
import { createUser, type TestUser } from './utils/fixtures.js';
import { createProduct, placeOrder, setStatus } from './utils/order-fixtures.js';
import { withOneProduct } from './utils/one-product-database.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/** Products whose stock key differs from their stock, or that have none (or keys without a product). */
const mismatches = async (client: pg.Client) =>
  (
    await client.query(
      `SELECT p.id, p.stock, k."productId", k."stockKey" FROM "Product" p FULL JOIN "ProductStockKey" k ON k."productId" = p.id
       WHERE p.stock IS DISTINCT FROM k."stockKey"`,
    )
  ).rows;

/**
 * "ProductStockKey" (migration 20261202000000_product_stock_key): each product's stock again, kept
 * by triggers, indexed for the lists ordered or filtered by stock, so that "Product" has no index
 * on stock and an order's decrement is a HOT update.
 */
describe('Stock keys kept by the database (ProductStockKey)', () => {
  let t: TestApp;
  let staff: TestUser;
  let customer: TestUser;
  let client: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await createUser(t, 'staff');
    customer = await createUser(t, 'customer');
    client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await t?.close();
  });

  it('no index of "Product" reads stock, so a decrement can be a HOT update', async () => {
    // Every index whose columns, expressions or predicate name the column; a new one fails here
    // (an index on stock puts every order placement back to writing all of Product's index entries).
    const { rows } = await client.query(
      `SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attname = 'stock'
       WHERE x.indrelid = '"Product"'::regclass
         AND (a.attnum = ANY (x.indkey::int2[])
              OR pg_get_expr(x.indexprs, x.indrelid) ~ '\\mstock\\M'
              OR pg_get_expr(x.indpred, x.indrelid) ~ '\\mstock\\M')`,
    );
    expect(rows).toEqual([]);
    const product = await createProduct(t, { stock: 50 });
    await client.query('BEGIN');
    try {
      // The placement's own change: stock, version, updatedAt.
      await client.query(`UPDATE "Product" SET stock = stock - 1, version = version + 1, "updatedAt" = now() WHERE id = $1`, [product.id]);
      const { rows: counters } = await client.query(`SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'Product'`);
      expect(counters).toEqual([{ n_tup_upd: '1', n_tup_hot_upd: '1' }]);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('follows creates, edits, concurrent orders and cancellations made through the API', async () => {
    const category = (await t.http.post('/v1/categories').set(staff.auth).send({ name: 'Keys', slug: 'stock-keys' }).expect(201)).body.id;
    const created = await t.http
      .post('/v1/products')
      .set(staff.auth)
      .send({ sku: 'KEY-1', name: 'Key one', price: '2.00', stock: 7, categoryId: category })
      .expect(201);
    const other = await createProduct(t, { stock: 30 });
    await t.http.patch(`/v1/products/${created.body.id}`).set(staff.auth).send({ stock: 12 }).expect(200);
    const orders = await Promise.all(
      Array.from({ length: 8 }, () =>
        placeOrder(t, customer, {
          items: [
            { productId: created.body.id, quantity: 1 },
            { productId: other.id, quantity: 2 },
          ],
        }),
      ),
    );
    expect(orders.map((r) => r.status)).toEqual(Array(8).fill(201));
    await setStatus(t, customer, orders[0].body.id, 'cancelled').expect(200); // puts 1 and 2 back
    expect(await mismatches(client)).toEqual([]);
    const keys = await client.query(`SELECT "productId", "stockKey" FROM "ProductStockKey" WHERE "productId" = ANY($1) ORDER BY "productId"`, [
      [created.body.id, other.id],
    ]);
    expect(keys.rows).toEqual([
      { productId: created.body.id, stockKey: 12 - 7 },
      { productId: other.id, stockKey: 30 - 14 },
    ]);
  });

  it('orders and filters lists by stock exactly as the products table does, pages and cursors alike', async () => {
    const category = (await t.http.post('/v1/categories').set(staff.auth).send({ name: 'Ranked', slug: 'stock-ranked' }).expect(201)).body.id;
    for (const [i, stock] of [3, 0, 9, 3, 0, 1].entries()) {
      await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ sku: `RANK-${i}`, name: `Ranked ${i}`, price: '1.00', stock, categoryId: category })
        .expect(201);
    }
    const expected = async (where: string, order: string) =>
      (await client.query(`SELECT id FROM "Product" WHERE "categoryId" = $1 AND ${where} ORDER BY ${order}`, [category])).rows.map((r) => r.id);
    const ids = (res: { body: { results: Array<{ id: number }> } }) => res.body.results.map((p) => p.id);

    expect(ids(await t.http.get(`/v1/products?categoryId=${category}&ordering=stock`).expect(200))).toEqual(await expected('true', 'stock, id'));
    expect(ids(await t.http.get(`/v1/products?categoryId=${category}&ordering=-stock,name`).expect(200))).toEqual(
      await expected('true', 'stock DESC, name, id'),
    );
    const outOfStock = await t.http.get(`/v1/products?categoryId=${category}&inStock=false`).expect(200);
    expect(ids(outOfStock)).toEqual(await expected('stock = 0', 'id'));
    expect(outOfStock.body.count).toBe(2);
    const inStock = await t.http.get(`/v1/products?categoryId=${category}&inStock=true&ordering=-stock`).expect(200);
    expect(ids(inStock)).toEqual(await expected('stock > 0', 'stock DESC, id DESC'));
    expect(inStock.body.count).toBe(4);

    // Cursor pages of two, ordered by stock: the same rows in the same order, ties broken by id.
    const walked: number[] = [];
    let next: string | null = `/v1/products?categoryId=${category}&ordering=stock&pageSize=2&cursor=`;
    while (next) {
      const page: { body: { results: Array<{ id: number }>; next: string | null } } = await t.http.get(next.replace(/^https?:\/\/[^/]+/, '')).expect(200);
      walked.push(...ids(page));
      next = page.body.next;
    }
    expect(walked).toEqual(await expected('true', 'stock, id'));
  });

  it('copies bulk inserts once per statement, follows deletes, and the recount rebuilds the keys', async () => {
    const { rows } = await client.query(`SELECT id FROM "Category" LIMIT 1`);
    await client.query(
      `INSERT INTO "Product" (sku, name, price, stock, "categoryId", "updatedAt")
       SELECT 'KEYBULK-' || n, 'Bulk ' || n, 1, n % 4, $1, now() FROM generate_series(1, 300) AS n`,
      [rows[0].id],
    );
    expect(await mismatches(client)).toEqual([]);
    await client.query(`UPDATE "Product" SET stock = stock + 1 WHERE sku LIKE 'KEYBULK-%' AND id % 3 = 0`);
    await client.query(`DELETE FROM "Product" WHERE sku LIKE 'KEYBULK-%' AND id % 2 = 0`);
    expect(await mismatches(client)).toEqual([]);
    await client.query(`UPDATE "ProductStockKey" SET "stockKey" = -1`); // as if the triggers had been bypassed
    expect((await mismatches(client)).length).toBeGreaterThan(0);
    await client.query('SELECT "Product_recount"()');
    expect(await mismatches(client)).toEqual([]);
  });
});

describe('Stock keys after TRUNCATE', () => {
  it('go with the table', () =>
    withOneProduct(async (client) => {
      expect((await client.query('SELECT "stockKey" FROM "ProductStockKey"')).rows).toEqual([{ stockKey: 4 }]);
      await client.query('TRUNCATE "Product" CASCADE');
      expect((await client.query('SELECT count(*)::int AS n FROM "ProductStockKey"')).rows[0].n).toBe(0);
    }));
});
