import pg from 'pg';
import { createUser, type TestUser } from './utils/fixtures.js';
import { withOneProduct } from './utils/one-product-database.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

type Counts = Record<number, { visible: number; unarchived: number; total: number }>;

/** The maintained counts (migration 20261201150000_product_counts) and the same counted from the table. */
async function bothCounts(client: pg.Client): Promise<{ maintained: Counts; counted: Counts }> {
  const maintained: Counts = {};
  for (const row of (await client.query('SELECT "categoryId", visible, unarchived, total FROM "CategoryProductCount"')).rows) {
    // a category whose products all moved away keeps a row of zeros
    if (row.total > 0) maintained[row.categoryId] = { visible: row.visible, unarchived: row.unarchived, total: row.total };
  }
  const counted: Counts = {};
  const { rows } = await client.query(
    `SELECT "categoryId", count(*) FILTER (WHERE active AND "archivedAt" IS NULL)::int AS visible,
            count(*) FILTER (WHERE "archivedAt" IS NULL)::int AS unarchived, count(*)::int AS total
     FROM "Product" GROUP BY "categoryId"`,
  );
  for (const row of rows) counted[row.categoryId] = { visible: row.visible, unarchived: row.unarchived, total: row.total };
  return { maintained, counted };
}

describe('Product counts kept by the database (CategoryProductCount)', () => {
  let t: TestApp;
  let staff: TestUser;
  let client: pg.Client;
  let categories: number[];

  beforeAll(async () => {
    t = await createTestApp();
    staff = await createUser(t, 'staff');
    client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    categories = [];
    for (const slug of ['counts-a', 'counts-b', 'counts-c']) {
      categories.push((await t.http.post('/v1/categories').set(staff.auth).send({ name: slug, slug }).expect(201)).body.id);
    }
  });
  afterAll(async () => {
    await client?.end();
    await t?.close();
  });

  let sequence = 0;
  const newProduct = (categoryId: number, extra: Record<string, unknown> = {}) =>
    t.http
      .post('/v1/products')
      .set(staff.auth)
      .send({ sku: `CNT-${++sequence}`, name: `Count ${sequence}`, price: '1.00', stock: 5, categoryId, ...extra });

  it('follows every kind of product write made through the API, and answers the lists their counts', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 9; i++) ids.push((await newProduct(categories[i % 3], { active: i % 4 !== 0 }).expect(201)).body.id);
    await t.http.delete(`/v1/products/${ids[1]}`).set(staff.auth).expect(204); // archive
    await t.http.delete(`/v1/products/${ids[1]}`).set(staff.auth).expect(204); // archiving again changes nothing
    await t.http.patch(`/v1/products/${ids[2]}`).set(staff.auth).send({ active: false }).expect(200);
    await t.http.patch(`/v1/products/${ids[0]}`).set(staff.auth).send({ active: true }).expect(200);
    await t.http.patch(`/v1/products/${ids[3]}`).set(staff.auth).send({ categoryId: categories[2] }).expect(200);
    await t.http.patch(`/v1/products/${ids[4]}`).set(staff.auth).send({ price: '2.00', stock: 1 }).expect(200); // no count changes
    const put = { sku: `CNT-${ids[5]}-put`, name: 'Put', description: '', price: '3.00', stock: 2, categoryId: categories[0], active: false };
    await t.http.put(`/v1/products/${ids[5]}`).set(staff.auth).send(put).expect(200);

    const { maintained, counted } = await bothCounts(client);
    expect(maintained).toEqual(counted);
    expect(counted[categories[0]].total + counted[categories[1]].total + counted[categories[2]].total).toBe(9);

    const publicList = await t.http.get(`/v1/products?categoryId=${categories[2]}`).expect(200);
    expect(publicList.body.count).toBe(counted[categories[2]].visible);
    const staffList = await t.http.get(`/v1/products?categoryId=${categories[1]}&includeArchived=true`).set(staff.auth).expect(200);
    expect(staffList.body.count).toBe(counted[categories[1]].total);
    const all = Object.values(counted).reduce((sum, c) => sum + c.unarchived, 0);
    expect((await t.http.get('/v1/products').set(staff.auth).expect(200)).body.count).toBe(all);
  });

  it('stays exact under concurrent creates, archives, moves and (de)activations', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push((await newProduct(categories[i % 3]).expect(201)).body.id);
    const writes = [
      ...Array.from({ length: 12 }, (_, i) => newProduct(categories[(i + 1) % 3], { active: i % 2 === 0 })),
      ...ids.slice(0, 4).map((id) => t.http.delete(`/v1/products/${id}`).set(staff.auth)),
      ...ids.slice(4, 8).map((id, i) =>
        t.http
          .patch(`/v1/products/${id}`)
          .set(staff.auth)
          .send({ categoryId: categories[(i + 2) % 3] }),
      ),
      ...ids.slice(8).map((id) => t.http.patch(`/v1/products/${id}`).set(staff.auth).send({ active: false })),
    ];
    const statuses = (await Promise.all(writes)).map((r) => r.status);
    expect(statuses.filter((s) => s >= 300)).toEqual([]);
    const { maintained, counted } = await bothCounts(client);
    expect(maintained).toEqual(counted);
  });

  it('counts bulk inserts and deletes once per statement, and a recount rebuilds them', async () => {
    await client.query(
      `INSERT INTO "Product" (sku, name, price, stock, "categoryId", active, "archivedAt", "updatedAt")
       SELECT 'BULK-' || n, 'Bulk ' || n, 1, 1, ($1::int[])[1 + n % 3], n % 5 <> 0, CASE WHEN n % 7 = 0 THEN now() END, now()
       FROM generate_series(1, 500) AS n`,
      [categories],
    );
    expect((await bothCounts(client)).maintained).toEqual((await bothCounts(client)).counted);
    await client.query(`DELETE FROM "Product" WHERE sku LIKE 'BULK-%' AND id % 2 = 0`);
    let { maintained, counted } = await bothCounts(client);
    expect(maintained).toEqual(counted);

    await client.query(`UPDATE "CategoryProductCount" SET visible = 0, unarchived = 0, total = 0`); // as if the triggers had been bypassed
    await client.query('SELECT "Product_recount"()');
    ({ maintained, counted } = await bothCounts(client));
    expect(maintained).toEqual(counted);
  });

  it('a category and its count row go together; a count can never go negative', async () => {
    const empty = (await t.http.post('/v1/categories').set(staff.auth).send({ name: 'Empty', slug: 'counts-empty' }).expect(201)).body.id;
    const moved = (await newProduct(empty).expect(201)).body.id;
    await t.http.patch(`/v1/products/${moved}`).set(staff.auth).send({ categoryId: categories[0] }).expect(200);
    await t.http.delete(`/v1/categories/${empty}`).set(staff.auth).expect(204);
    expect((await client.query('SELECT 1 FROM "CategoryProductCount" WHERE "categoryId" = $1', [empty])).rowCount).toBe(0);
    await expect(client.query(`UPDATE "CategoryProductCount" SET visible = -1 WHERE "categoryId" = $1`, [categories[0]])).rejects.toThrow(/counts_check/);
  });
});

describe('Product counts after TRUNCATE', () => {
  it('are emptied with the table', () =>
    withOneProduct(async (client) => {
      expect((await client.query('SELECT total FROM "CategoryProductCount"')).rows).toEqual([{ total: 1 }]);
      await client.query('TRUNCATE "Product" CASCADE');
      expect((await client.query('SELECT count(*)::int AS n FROM "CategoryProductCount"')).rows[0].n).toBe(0);
    }));
});
