import type { QueryConfig } from 'pg';
import { createUser, type TestUser } from './utils/fixtures.js';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { watchQueries } from './utils/watch-queries.js';

/**
 * A search's count that no kept count answers (a term of four characters or more) is counted once
 * with the version of SearchCountVersion (migration 20261203130000_search_count_version), then
 * answered from SearchCounts while that version holds. Every count answered must be exactly what
 * PostgreSQL holds — after product writes, under concurrent ones — and placing orders (stock only)
 * must not make the service count again.
 */
describe('Search counts kept per version', () => {
  let t: TestApp;
  let staff: TestUser;
  let customer: TestUser;
  let categoryId: number;
  let counted: string[] | undefined;
  let stopWatching: () => void = () => {};

  beforeAll(async () => {
    t = await createTestApp();
    staff = await createUser(t, 'staff');
    customer = await createUser(t, 'customer');
    categoryId = (await t.prisma.category.create({ data: { name: 'Counts', slug: 'counts' } })).id;
    await t.prisma.pool.query(
      `INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", "updatedAt")
       SELECT 'CNT-' || i, CASE WHEN i % 3 = 0 THEN 'Walnut Kettle ' ELSE 'Oak Mug ' END || i, 'for the office', 10, 100, $1::int, now()
       FROM generate_series(1, 300) AS i`,
      [categoryId],
    );
    // The statements that count products (an estimate reads kept counts only; it is not one).
    stopWatching = watchQueries((config) => {
      const text = typeof config === 'object' && config ? (config as QueryConfig).text : undefined;
      if (counted && text && /count\(\*\)/i.test(text) && /from "Product"/i.test(text)) counted.push(text);
    });
  }, 60_000);
  afterAll(async () => {
    stopWatching();
    await t.close();
  });

  /** The public products matching `term` by ILIKE's definition, counted by PostgreSQL. */
  const truth = async (term: string) =>
    (
      await t.prisma.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "Product" WHERE active AND "archivedAt" IS NULL
           AND (strpos(lower(name), lower($1)) > 0 OR strpos(lower(sku), lower($1)) > 0 OR strpos(lower(description), lower($1)) > 0)`,
        [term],
      )
    ).rows[0].n;

  /** The numbered page's count, and how many counting statements answering it ran. */
  const search = async (query: string) => {
    counted = [];
    const res = await t.http.get(`/v1/products?${query}`).expect(200);
    const statements = counted.length;
    counted = undefined;
    return { count: res.body.count as number, statements };
  };

  const version = async () => BigInt((await t.prisma.pool.query<{ v: string }>('SELECT "version"::text AS v FROM "SearchCountVersion"')).rows[0].v);

  it('counts a longer term once, then answers from the kept count until a write it depends on', async () => {
    const query = 'search=walnut%20kettle';
    expect(await search(query)).toEqual({ count: 100, statements: 1 });
    expect(await search(query)).toEqual({ count: 100, statements: 0 });
    expect(await search('search=Walnut%20Kettle')).toEqual({ count: 100, statements: 1 }); // another key, counted once as well

    const created = await t.http
      .post('/v1/products')
      .set(staff.auth)
      .send({ sku: 'CNT-NEW', name: 'Walnut kettle, large', price: '12.00', stock: 5, categoryId })
      .expect(201);
    expect(await search(query)).toEqual({ count: 101, statements: 1 });

    await t.http.patch(`/v1/products/${created.body.id}`).set(staff.auth).send({ name: 'Oak kettle, large' }).expect(200);
    expect(await search(query)).toEqual({ count: 100, statements: 1 });

    await t.http.patch(`/v1/products/${created.body.id}`).set(staff.auth).send({ description: 'like the walnut kettle' }).expect(200);
    expect(await search(query)).toEqual({ count: 101, statements: 1 });

    await t.http.delete(`/v1/products/${created.body.id}`).set(staff.auth).expect(204);
    expect(await search(query)).toEqual({ count: 100, statements: 1 });
    expect(await truth('walnut kettle')).toBe(100);
  });

  it('placing an order changes stock only: the kept count still answers, exactly', async () => {
    const query = 'search=oak%20mug';
    const before = await search(query);
    expect(before).toEqual({ count: await truth('oak mug'), statements: expect.any(Number) });
    const { rows } = await t.prisma.pool.query<{ id: number }>(`SELECT id FROM "Product" WHERE name LIKE 'Oak Mug %' ORDER BY id LIMIT 1`);
    await t.http
      .post('/v1/orders')
      .set(customer.auth)
      .send({ items: [{ productId: rows[0].id, quantity: 2 }] })
      .expect(201);
    expect(await search(query)).toEqual({ count: before.count, statements: 0 });
  });

  it('the version moves with every change of text, visibility, category or price, not with stock or an update that changes nothing', async () => {
    const pool = t.prisma.pool;
    const { rows } = await pool.query<{ id: number }>(`SELECT id FROM "Product" WHERE sku = 'CNT-7'`);
    const id = rows[0].id;
    const other = (await t.prisma.category.create({ data: { name: 'Counts 2', slug: 'counts-2' } })).id;
    const moves = async (set: string) => {
      const start = await version();
      await pool.query(`UPDATE "Product" SET ${set} WHERE id = $1`, [id]);
      return { set, moved: (await version()) - start };
    };
    for (const set of ['stock = stock - 1', 'version = version + 1', 'name = name', 'price = price, active = active, "categoryId" = "categoryId"'])
      expect(await moves(set)).toEqual({ set, moved: 0n });
    for (const set of [
      "name = name || ' x'",
      "sku = sku || '-X'",
      "description = description || ' x'",
      'active = NOT active',
      'active = NOT active',
      '"archivedAt" = now()',
      '"archivedAt" = NULL',
      `"categoryId" = ${other}`,
      `"categoryId" = ${categoryId}`,
      'price = price + 1',
    ])
      expect(await moves(set)).toEqual({ set, moved: 1n });
    const start = await version();
    await pool.query(
      `INSERT INTO "Product" (sku, name, price, stock, "categoryId", "updatedAt") VALUES ('CNT-V1', 'v', 1, 1, $1, now()), ('CNT-V2', 'v', 1, 1, $1, now())`,
      [categoryId],
    );
    await pool.query(`DELETE FROM "Product" WHERE sku IN ('CNT-V1', 'CNT-V2')`);
    expect((await version()) - start).toBe(2n); // once per statement
    await expect(pool.query('DELETE FROM "SearchCountVersion"')).rejects.toThrow(/keeps its one row/);
  });

  it('a count filtered by stock is never kept (every order changes it)', async () => {
    const query = 'search=walnut%20kettle&inStock=true';
    expect(await search(query)).toEqual({ count: 100, statements: 1 });
    expect(await search(query)).toEqual({ count: 100, statements: 1 });
  });

  it('under concurrent creates every count answered was true at some moment of its request, and the last is the truth', async () => {
    const query = 'search=cedar%20tray';
    await t.prisma.pool.query(
      `INSERT INTO "Product" (sku, name, price, stock, "categoryId", "updatedAt") SELECT 'CNT-CEDAR-OLD-' || i, 'Cedar tray, old ' || i, 9, 1, $1::int, now() FROM generate_series(1, 4) AS i`,
      [categoryId],
    );
    const before = await truth('cedar tray');
    expect(before).toBe(4);
    const creates = Array.from({ length: 12 }, (_, i) =>
      t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ sku: `CNT-CEDAR-${i}`, name: `Cedar tray ${i}`, price: '9.00', stock: 1, categoryId })
        .expect(201),
    );
    // Creates only add matches, so a count true at some moment of its request lies between the
    // truth read before the request and the truth read after its answer.
    const searches = Array.from({ length: 24 }, async () => {
      const low = await truth('cedar tray');
      const res = await t.http.get(`/v1/products?${query}`).expect(200);
      return { low, count: res.body.count as number, high: await truth('cedar tray') };
    });
    const answered = (await Promise.all([Promise.all(creates), Promise.all(searches)]))[1];
    for (const answer of answered) expect(answer.low <= answer.count && answer.count <= answer.high ? 'within' : answer).toBe('within');
    expect((await search(query)).count).toBe(before + 12);
    expect(await truth('cedar tray')).toBe(before + 12);
  });
});
