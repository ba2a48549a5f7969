import type { QueryConfig } from 'pg';
import { createUser } from './utils/fixtures.js';
import { placeOrder } from './utils/order-fixtures.js';
import { type PlanNode, planNodes } from './utils/query-plans.js';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { watchQueries } from './utils/watch-queries.js';

/**
 * The placement statement is a named prepared statement: after five runs on a connection
 * PostgreSQL may switch to its generic plan, made without the parameters' values (ten lines
 * guessed for the id array). At a small catalogue that plan once decremented stock through a
 * sequential scan of Product joined by hash — half the statement's time at 2,000 products. The
 * statement is captured as the API sends it and its generic plan EXPLAINed at that size.
 */
const PRODUCTS = 2_000;

describe('Order placement plan at 2,000 products', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await t.prisma.$executeRawUnsafe(`INSERT INTO "Category" (name, slug, "updatedAt") VALUES ('Plan', 'plan', now())`);
    await t.prisma.$executeRawUnsafe(`
      INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", "updatedAt")
      SELECT 'PLAN-' || i, 'Product ' || i, 'A product', 1 + (i % 500) / 10.0, 1000, (SELECT id FROM "Category" WHERE slug = 'plan'), now()
      FROM generate_series(1, ${PRODUCTS}) AS i`);
    await t.prisma.$executeRawUnsafe('VACUUM ANALYZE "Product", "ProductStockKey"');
  });
  afterAll(async () => {
    await t.close();
  });

  it('decrements stock through an index on id in the generic plan, and reads no large table sequentially', async () => {
    const customer = await createUser(t);
    const [first, second] = await t.prisma.product.findMany({ select: { id: true }, orderBy: { id: 'asc' }, skip: 100, take: 2 });
    let placement: QueryConfig | undefined;
    const stopWatching = watchQueries((config) => {
      if (typeof config === 'object' && config && (config as QueryConfig).name === 'orders-place') placement = config as QueryConfig;
    });
    try {
      await placeOrder(t, customer, {
        items: [
          { productId: first.id, quantity: 1 },
          { productId: second.id, quantity: 2 },
        ],
      }).expect(201);
    } finally {
      stopWatching();
    }
    expect(placement?.values).toHaveLength(5);

    const client = await t.prisma.pool.connect();
    try {
      await client.query('SET plan_cache_mode = force_generic_plan');
      await client.query(`PREPARE placement AS ${placement!.text}`);
      // EXPLAIN EXECUTE takes no bound parameters: the values as literals (PREPARE typed them from the statement's casts).
      const values = placement!.values as Array<number[] | number | string | null>;
      const literal = (value: number[] | number | string | null): string =>
        value === null ? 'NULL' : client.escapeLiteral(Array.isArray(value) ? `{${value.join(',')}}` : String(value));
      const explained = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        `EXPLAIN (FORMAT JSON) EXECUTE placement(${values.map(literal).join(', ')})`,
      );
      const plan = planNodes(explained.rows[0]['QUERY PLAN'][0].Plan);
      const update = plan.find((n) => n['Node Type'] === 'ModifyTable' && n['Relation Name'] === 'Product');
      expect(update).toBeDefined();
      // Through an index on id: the primary key, or "Product_id_idx" (id and the visibility columns), which the planner may take for it.
      expect(planNodes(update!).some((n) => ['Product_pkey', 'Product_id_idx'].includes(n['Index Name'] ?? ''))).toBe(true);
      const sequential = plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
      expect(sequential.filter((table) => ['Product', 'ProductStockKey', 'Order', 'OrderItem'].includes(table ?? ''))).toEqual([]);
    } finally {
      await client.query('DEALLOCATE ALL; RESET plan_cache_mode');
      client.release();
    }
  });
});
