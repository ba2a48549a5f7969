import pg from 'pg';
import { createUser, type TestUser } from './utils/fixtures.js';
import { withOneProduct } from './utils/one-product-database.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

type Counts = Record<string, { visible: number; unarchived: number; total: number }>;

/** Every product's search grams, each once: what the triggers count (migration 20261202120000_search_gram_counts). */
const GRAMS_OF_EVERY_PRODUCT = `"Product" p, "Product_distinct_grams"(p.name, p.sku, p.description) AS gram`;

/** The gram counts the triggers keep, and the same counted from the table. */
async function bothCounts(client: pg.Client): Promise<{ maintained: Counts; counted: Counts }> {
  const maintained: Counts = {};
  for (const row of (await client.query('SELECT gram, visible, unarchived, total FROM "SearchGramCount" WHERE total > 0')).rows) {
    maintained[row.gram] = { visible: row.visible, unarchived: row.unarchived, total: row.total };
  }
  const counted: Counts = {};
  const { rows } = await client.query(
    `SELECT gram, count(*) FILTER (WHERE p.active AND p."archivedAt" IS NULL)::int AS visible,
            count(*) FILTER (WHERE p."archivedAt" IS NULL)::int AS unarchived, count(*)::int AS total
     FROM ${GRAMS_OF_EVERY_PRODUCT} GROUP BY gram`,
  );
  for (const row of rows) counted[row.gram] = { visible: row.visible, unarchived: row.unarchived, total: row.total };
  return { maintained, counted };
}

/** How many products the view sees whose name, sku or description holds the term (ILIKE's own test). */
async function matches(client: pg.Client, term: string, view: string): Promise<number> {
  const { rows } = await client.query(
    `SELECT count(*)::int AS n FROM "Product"
     WHERE (${view}) AND (strpos(lower(name), lower($1)) > 0 OR strpos(lower(sku), lower($1)) > 0 OR strpos(lower(description), lower($1)) > 0)`,
    [term],
  );
  return rows[0].n;
}

describe('Search gram counts kept by the database (SearchGramCount)', () => {
  let t: TestApp;
  let staff: TestUser;
  let client: pg.Client;
  let category: number;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await createUser(t, 'staff');
    client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    category = (await t.http.post('/v1/categories').set(staff.auth).send({ name: 'Grams', slug: 'grams' }).expect(201)).body.id;
  });
  afterAll(async () => {
    await client?.end();
    await t?.close();
  });

  let sequence = 0;
  const newProduct = (extra: Record<string, unknown> = {}) =>
    t.http
      .post('/v1/products')
      .set(staff.auth)
      .send({
        sku: `GRM-${++sequence}`,
        name: `Kettle ${sequence}`,
        description: 'Gooseneck, matte black',
        price: '1.00',
        stock: 5,
        categoryId: category,
        ...extra,
      });

  it('follows every kind of product write made through the API, and answers searches of one to three characters their counts', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) ids.push((await newProduct({ active: i % 4 !== 0, name: i % 2 ? `Zebra mug ${i}` : `Kettle ${i}` }).expect(201)).body.id);
    await t.http.delete(`/v1/products/${ids[1]}`).set(staff.auth).expect(204); // archive
    await t.http.patch(`/v1/products/${ids[2]}`).set(staff.auth).send({ active: false }).expect(200);
    await t.http.patch(`/v1/products/${ids[0]}`).set(staff.auth).send({ active: true }).expect(200);
    await t.http.patch(`/v1/products/${ids[3]}`).set(staff.auth).send({ name: 'Qx dripper', description: 'Glass' }).expect(200);
    await t.http.patch(`/v1/products/${ids[4]}`).set(staff.auth).send({ price: '2.00', stock: 1 }).expect(200); // no gram changes
    const put = { sku: 'GRM-PUT', name: 'Put', description: '', price: '3.00', stock: 2, categoryId: category, active: true };
    await t.http.put(`/v1/products/${ids[5]}`).set(staff.auth).send(put).expect(200);

    const { maintained, counted } = await bothCounts(client);
    expect(maintained).toEqual(counted);
    expect(counted['qx']).toEqual({ visible: 1, unarchived: 1, total: 1 });
    expect(counted['qx ']).toEqual({ visible: 1, unarchived: 1, total: 1 }); // a gram may span a space, a trimmed term never does

    for (const term of ['e', 'Z', 'ze', 'qx', 'gr', '-', 'ü', 'jj', 'ket', 'ZEB', 'm-1', 'x d', 'qjz']) {
      const publicList = await t.http.get(`/v1/products?search=${encodeURIComponent(term)}`).expect(200);
      expect({ term, count: publicList.body.count }).toEqual({ term, count: await matches(client, term, 'active AND "archivedAt" IS NULL') });
      const staffAll = await t.http
        .get(`/v1/products?search=${encodeURIComponent(term)}&includeArchived=true`)
        .set(staff.auth)
        .expect(200);
      expect({ term, count: staffAll.body.count }).toEqual({ term, count: await matches(client, term, 'true') });
      const staffInactive = await t.http
        .get(`/v1/products?search=${encodeURIComponent(term)}&active=false`)
        .set(staff.auth)
        .expect(200);
      expect({ term, count: staffInactive.body.count }).toEqual({ term, count: await matches(client, term, 'NOT active AND "archivedAt" IS NULL') });
    }
    expect((await t.http.get('/v1/products?search=jj').expect(200)).body).toMatchObject({ count: 0, results: [] });
    expect((await t.http.get('/v1/products?search=qjz').expect(200)).body).toMatchObject({ count: 0, results: [] });
  });

  it('stays exact under concurrent creates, archives, renames and (de)activations', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push((await newProduct().expect(201)).body.id);
    const writes = [
      ...Array.from({ length: 12 }, (_, i) => newProduct({ active: i % 2 === 0, name: `Concurrent ${i} yx` })),
      ...ids.slice(0, 4).map((id) => t.http.delete(`/v1/products/${id}`).set(staff.auth)),
      ...ids.slice(4, 8).map((id, i) =>
        t.http
          .patch(`/v1/products/${id}`)
          .set(staff.auth)
          .send({ name: `Renamed ${i} wv` }),
      ),
      ...ids.slice(8).map((id) => t.http.patch(`/v1/products/${id}`).set(staff.auth).send({ active: false })),
    ];
    const statuses = (await Promise.all(writes)).map((r) => r.status);
    expect(statuses.filter((s) => s >= 300)).toEqual([]);
    const { maintained, counted } = await bothCounts(client);
    expect(maintained).toEqual(counted);
    expect(counted['yx'].total).toBe(12);
    expect(counted['wv'].total).toBe(4);
  });

  it('counts bulk inserts and deletes once per statement, and a recount rebuilds them', async () => {
    await client.query(
      `INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", active, "archivedAt", "updatedAt")
       SELECT 'BULK-' || n, 'Bulk ' || n, md5(n::text), 1, 1, $1, n % 5 <> 0, CASE WHEN n % 7 = 0 THEN now() END, now()
       FROM generate_series(1, 500) AS n`,
      [category],
    );
    let { maintained, counted } = await bothCounts(client);
    expect(maintained).toEqual(counted);
    await client.query(`DELETE FROM "Product" WHERE sku LIKE 'BULK-%' AND id % 2 = 0`);
    ({ maintained, counted } = await bothCounts(client));
    expect(maintained).toEqual(counted);

    await client.query(`UPDATE "SearchGramCount" SET visible = 0, unarchived = 0, total = 0`); // as if the triggers had been bypassed
    await client.query('SELECT "Product_recount"()');
    ({ maintained, counted } = await bothCounts(client));
    expect(maintained).toEqual(counted);
  });
});

describe('Search gram counts after TRUNCATE', () => {
  it('are emptied with the table', () =>
    withOneProduct(async (client) => {
      expect((await client.query(`SELECT total FROM "SearchGramCount" WHERE gram = 'ab'`)).rows).toEqual([{ total: 1 }]);
      await client.query('TRUNCATE "Product" CASCADE');
      expect((await client.query('SELECT count(*)::int AS n FROM "SearchGramCount"')).rows[0].n).toBe(0);
    }));
});
