import pg from 'pg';
import { createTestDatabase } from './utils/test-app.js';

/**
 * The CHECK constraints of migrations 20261125200000_check_constraints and 20261126000000_stock_maximum:
 * the database itself refuses what the API never writes (negative stock, stock above the maximum, free
 * products, empty or mispriced order lines), and a refused statement changes nothing.
 */
describe('database CHECK constraints', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  let productId: number;
  let orderId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const category = await client.query(`INSERT INTO "Category" (name, slug, "updatedAt") VALUES ('Tools', 'tools', now()) RETURNING id`);
    const product = await client.query(
      `INSERT INTO "Product" (sku, name, price, stock, "categoryId", "updatedAt") VALUES ('HAMMER-1', 'Hammer', 12.50, 3, $1, now()) RETURNING id`,
      [category.rows[0].id],
    );
    productId = product.rows[0].id;
    const user = await client.query(
      `INSERT INTO "User" (email, name, "passwordHash", "updatedAt") VALUES ('buyer@example.com', 'Buyer', 'x', now()) RETURNING id`,
    );
    const order = await client.query(`INSERT INTO "Order" ("userId", total, "updatedAt") VALUES ($1, 25.00, now()) RETURNING id`, [user.rows[0].id]);
    orderId = order.rows[0].id;
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  const refusal = (sql: string, values: unknown[] = []) =>
    client.query(sql, values).then(
      () => undefined,
      (err: { code?: string; constraint?: string }) => ({ code: err.code, constraint: err.constraint }),
    );

  it.each([
    ['Product_stock_check', `UPDATE "Product" SET stock = stock - 4 WHERE id = $1`],
    ['Product_stock_max_check', `UPDATE "Product" SET stock = 1000000001 WHERE id = $1`],
    ['Product_price_check', `UPDATE "Product" SET price = 0 WHERE id = $1`],
    ['Product_version_check', `UPDATE "Product" SET version = 0 WHERE id = $1`],
  ])('refuses a product update that breaks %s and keeps the row', async (constraint, sql) => {
    expect(await refusal(sql, [productId])).toEqual({ code: '23514', constraint });
    const { rows } = await client.query(`SELECT price::text, stock, version FROM "Product" WHERE id = $1`, [productId]);
    expect(rows).toEqual([{ price: '12.50', stock: 3, version: 1 }]);
  });

  it.each([
    ['zero', `stock - 3`, 0],
    ['the stock maximum', `1000000000`, 1_000_000_000],
  ])('lets stock reach exactly %s', async (_edge, value, expected) => {
    await client.query('BEGIN');
    try {
      const { rows } = await client.query(`UPDATE "Product" SET stock = ${value} WHERE id = $1 RETURNING stock`, [productId]);
      expect(rows).toEqual([{ stock: expected }]);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it.each([
    ['OrderItem_quantity_check', 0, '12.50', '0.00'],
    ['OrderItem_unitPrice_check', 2, '0.00', '0.00'],
    ['OrderItem_lineTotal_check', 2, '12.50', '24.00'],
  ])('refuses an order line that breaks %s', async (constraint, quantity, unitPrice, lineTotal) => {
    const sql = `INSERT INTO "OrderItem" ("orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal")
                 VALUES ($1, $2, 'HAMMER-1', 'Hammer', $3, $4, $5)`;
    expect(await refusal(sql, [orderId, productId, unitPrice, quantity, lineTotal])).toEqual({ code: '23514', constraint });
    const { rows } = await client.query(`SELECT count(*)::int AS lines FROM "OrderItem" WHERE "orderId" = $1`, [orderId]);
    expect(rows).toEqual([{ lines: 0 }]);
  });

  it('accepts a consistent order line', async () => {
    const sql = `INSERT INTO "OrderItem" ("orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal")
                 VALUES ($1, $2, 'HAMMER-1', 'Hammer', 12.50, 2, 25.00) RETURNING quantity`;
    expect((await client.query(sql, [orderId, productId])).rows).toEqual([{ quantity: 2 }]);
  });

  it.each([
    ['Order_total_check', `UPDATE "Order" SET total = 0 WHERE id = $1`],
    ['Order_version_check', `UPDATE "Order" SET version = 0 WHERE id = $1`],
  ])('refuses an order update that breaks %s', async (constraint, sql) => {
    expect(await refusal(sql, [orderId])).toEqual({ code: '23514', constraint });
    const { rows } = await client.query(`SELECT total::text, version FROM "Order" WHERE id = $1`, [orderId]);
    expect(rows).toEqual([{ total: '25.00', version: 1 }]);
  });

  it('refuses a category version below 1', async () => {
    expect(await refusal(`UPDATE "Category" SET version = 0`)).toEqual({ code: '23514', constraint: 'Category_version_check' });
  });
});
