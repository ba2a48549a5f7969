import type { QueryConfig } from 'pg';
import { createUser, type TestUser } from './utils/fixtures.js';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { watchQueries } from './utils/watch-queries.js';

/**
 * A search page read by a walk or the search indexes is kept as its ids with the version of
 * SearchCountVersion read in the same statement (SearchPages), and answered again by reading those
 * rows by id while that version holds. Every page answered must be exactly PostgreSQL's page of
 * the moment — after product writes, under concurrent ones — with the stock of now.
 */
describe('Search pages kept per version', () => {
  let t: TestApp;
  let staff: TestUser;
  let customer: TestUser;
  let categoryId: number;
  let seen: { searched: number; kept: number } | undefined;
  /** Set: the next kept page's statement asks for this version instead (as if a write had moved it since the estimate). */
  let askForVersion: string | undefined;
  let stopWatching: () => void = () => {};

  beforeAll(async () => {
    t = await createTestApp();
    staff = await createUser(t, 'staff');
    customer = await createUser(t, 'customer');
    categoryId = (await t.prisma.category.create({ data: { name: 'Pages', slug: 'pages' } })).id;
    await t.prisma.pool.query(
      `INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", "updatedAt")
       SELECT 'PG-' || i, CASE WHEN i % 3 = 0 THEN 'Maple Grinder ' ELSE 'Birch Bowl ' END || i, 'for the kitchen', 100 - i % 50, 100, $1::int, now()
       FROM generate_series(1, 300) AS i`,
      [categoryId],
    );
    stopWatching = watchQueries((config) => {
      const query = typeof config === 'object' && config ? (config as QueryConfig) : undefined;
      if (!seen || !query?.text || !/from "Product"/i.test(query.text) || /count\(\*\)/i.test(query.text)) return;
      if (query.name?.startsWith('products-kept-page-')) {
        seen.kept++;
        if (askForVersion !== undefined && query.values) query.values[query.values.length - 1] = askForVersion;
        askForVersion = undefined;
      } else if (/strpos\(|LIKE/.test(query.text)) seen.searched++;
    });
  }, 60_000);
  afterAll(async () => {
    stopWatching();
    await t.close();
  });

  const ORDER_BY = { id: 'id', '-id': 'id DESC', '-price': 'price DESC, id DESC', name: 'name, id' } as const;

  const PUBLIC = 'active AND "archivedAt" IS NULL';
  /** PostgreSQL's own page: the products of `where` (the public view) matching `term` by ILIKE's definition, in `ordering`. */
  const truth = async (term: string, ordering: keyof typeof ORDER_BY = 'id', limit = 20, offset = 0, where = PUBLIC) =>
    (
      await t.prisma.pool.query<{ id: number; stock: number }>(
        `SELECT id, stock FROM "Product" WHERE ${where}
           AND (name ILIKE '%' || $1 || '%' OR sku ILIKE '%' || $1 || '%' OR description ILIKE '%' || $1 || '%')
         ORDER BY ${ORDER_BY[ordering]} LIMIT ${limit} OFFSET ${offset}`,
        [term],
      )
    ).rows;

  /** The page's ids and stock, how many statements searched for it and how many read a kept page by id. */
  const search = async (query: string, auth: Record<string, string> = {}) => {
    seen = { searched: 0, kept: 0 };
    const res = await t.http.get(`/v1/products?${query}`).set(auth).expect(200);
    const statements = seen;
    seen = undefined;
    const rows = (res.body.results as { id: number; stock: number }[]).map(({ id, stock }) => ({ id, stock }));
    const link = (url: string | null) => (url ? new URL(url).search.slice(1) : null);
    return { rows, next: link(res.body.next as string | null), previous: link(res.body.previous as string | null), ...statements };
  };

  it('reads a longer term once, then answers its page from the kept ids, with the stock of now', async () => {
    const query = 'search=maple%20grinder';
    const first = await search(query);
    expect(first).toMatchObject({ rows: await truth('maple grinder'), searched: 1, kept: 0 });
    expect(first.rows).toHaveLength(20);
    expect(await search(query)).toMatchObject({ rows: first.rows, searched: 0, kept: 1 });

    await t.http
      .post('/v1/orders')
      .set(customer.auth)
      .send({ items: [{ productId: first.rows[0].id, quantity: 3 }] })
      .expect(201);
    const after = await search(query);
    expect(after).toMatchObject({ rows: await truth('maple grinder'), searched: 0, kept: 1 });
    expect(after.rows[0].stock).toBe(first.rows[0].stock - 3);
  });

  it('reads the page again after each write that changes it, in every ordering', async () => {
    for (const ordering of ['id', '-price', 'name'] as const) {
      const query = `search=maple%20grinder&ordering=${ordering}`;
      await search(query);
      expect(await search(query)).toMatchObject({ rows: await truth('maple grinder', ordering), searched: 0 });
    }
    const pool = t.prisma.pool;
    const firstMatch = (await truth('maple grinder'))[0].id;
    const bowl = (await truth('birch bowl'))[0].id;
    const other = (await t.prisma.category.create({ data: { name: 'Pages 2', slug: 'pages-2' } })).id;
    const writes = [
      () => pool.query(`UPDATE "Product" SET sku = 'PG-MAPLE GRINDER' WHERE id = $1`, [bowl]),
      () => pool.query(`UPDATE "Product" SET sku = 'PG-BOWL', description = 'not a maple grinder' WHERE id = $1`, [bowl]),
      () => pool.query(`UPDATE "Product" SET description = 'for the kitchen' WHERE id = $1`, [bowl]),
      () => pool.query(`UPDATE "Product" SET active = false WHERE id = $1`, [firstMatch]),
      () => pool.query(`UPDATE "Product" SET active = true WHERE id = $1`, [firstMatch]),
      () => pool.query(`UPDATE "Product" SET "categoryId" = $2 WHERE id = $1`, [firstMatch, other]),
      () => pool.query(`UPDATE "Product" SET name = 'Birch Bowl renamed' WHERE id = $1`, [firstMatch]),
      () => pool.query(`UPDATE "Product" SET name = 'Maple Grinder again' WHERE id = $1`, [firstMatch]),
      () => pool.query(`UPDATE "Product" SET price = 1000 WHERE id = $1`, [firstMatch]),
      () => t.http.delete(`/v1/products/${firstMatch}`).set(staff.auth).expect(204),
      () => t.http.post('/v1/products').set(staff.auth).send({ sku: 'PG-NEW', name: 'Aaa maple grinder', price: '2000.00', stock: 5, categoryId }).expect(201),
    ];
    for (const write of writes) {
      await write();
      for (const ordering of ['id', '-price', 'name'] as const) {
        const query = `search=maple%20grinder&ordering=${ordering}`;
        expect(await search(query)).toMatchObject({ rows: await truth('maple grinder', ordering), searched: 1 });
        expect(await search(query)).toMatchObject({ rows: await truth('maple grinder', ordering), searched: 0, kept: 1 });
      }
      const inCategory = await truth('maple grinder', 'id', 20, 0, `${PUBLIC} AND "categoryId" = ${categoryId}`);
      expect(await search(`search=maple%20grinder&categoryId=${categoryId}`)).toMatchObject({ rows: inCategory, searched: 1 });
      expect(await search(`search=maple%20grinder&categoryId=${categoryId}`)).toMatchObject({ rows: inCategory, searched: 0, kept: 1 });
    }
  });

  it('keeps each page apart: its place, its view, its direction', async () => {
    for (const page of [1, 2]) {
      const query = `search=maple%20grinder&page=${page}&pageSize=10`;
      const expected = await truth('maple grinder', 'id', 10, (page - 1) * 10);
      expect(await search(query)).toMatchObject({ rows: expected, searched: 1 });
      expect(await search(query)).toMatchObject({ rows: expected, searched: 0, kept: 1 });
    }
    // An archived match: staff with includeArchived=true see it, the public view does not.
    const [archived] = await truth('maple grinder');
    await t.http.delete(`/v1/products/${archived.id}`).set(staff.auth).expect(204);
    for (const [query, auth, where] of [
      ['search=maple%20grinder', {}, PUBLIC],
      ['search=maple%20grinder&includeArchived=true', staff.auth, 'true'],
      ['search=maple%20grinder', staff.auth, '"archivedAt" IS NULL'],
    ] as const) {
      const expected = await truth('maple grinder', 'id', 20, 0, where);
      expect(await search(query, auth)).toMatchObject({ rows: expected, searched: 1 });
      expect(await search(query, auth)).toMatchObject({ rows: expected, searched: 0, kept: 1 });
    }
    expect((await truth('maple grinder', 'id', 20, 0, 'true')).map(({ id }) => id)).toContain(archived.id);

    const first = await search('search=maple%20grinder&cursor=');
    const second = await search(first.next!);
    const back = await search(second.previous!);
    expect(back.rows).toEqual(first.rows);
    expect(await search(second.previous!)).toMatchObject({ rows: first.rows, searched: 0, kept: 1 });
  });

  it('keeps numbered pages and cursor pages each at their place', async () => {
    const numbered = await search('search=birch%20bowl&page=3&pageSize=10');
    expect(numbered.rows).toEqual(await truth('birch bowl', 'id', 10, 20));
    expect(await search('search=birch%20bowl&page=3&pageSize=10')).toMatchObject({ rows: numbered.rows, searched: 0, kept: 1 });

    const first = await search('search=birch%20bowl&cursor=');
    const next = first.next!;
    const second = await search(next);
    expect(second.rows).toEqual(await truth('birch bowl', 'id', 20, 20));
    expect(await search(next)).toMatchObject({ rows: second.rows, searched: 0, kept: 1 });
  });

  it('a kept page whose version moved after the estimate read it is read again', async () => {
    const query = 'search=birch%20bowl&ordering=-price';
    const expected = await truth('birch bowl', '-price');
    expect(await search(query)).toMatchObject({ rows: expected, searched: 1 });
    const { rows } = await t.prisma.pool.query<{ v: string }>('SELECT ("version" + 1)::text AS v FROM "SearchCountVersion"');
    askForVersion = rows[0].v;
    expect(await search(query)).toMatchObject({ rows: expected, searched: 1, kept: 1 });
    expect(await search(query)).toMatchObject({ rows: expected, searched: 0, kept: 1 });
  });

  it('a page ordered or filtered by stock is never kept (every order changes it)', async () => {
    for (const query of ['search=maple%20grinder&ordering=stock', 'search=maple%20grinder&inStock=true']) {
      await search(query);
      expect(await search(query)).toMatchObject({ searched: 1, kept: 0 });
    }
  });

  it('under concurrent creates every page answered was true at some moment of its request, and the last is the truth', async () => {
    await t.prisma.pool.query(
      `INSERT INTO "Product" (sku, name, price, stock, "categoryId", "updatedAt") SELECT 'PG-ELM-OLD-' || i, 'Elm spoon, old ' || i, 9, 1, $1::int, now() FROM generate_series(1, 24) AS i`,
      [categoryId],
    );
    const query = 'search=elm%20spoon&ordering=-id';
    await search(query); // kept before the creates begin
    const ids = async () => new Set((await truth('elm spoon', '-id', 100)).map(({ id }) => id));
    // Each create starts at once (an async function runs to its first await); four searchers then
    // ask six times each, one after the other, so that their requests spread over the creates.
    const creates = Array.from({ length: 12 }, async (_, i) => {
      await t.http
        .post('/v1/products')
        .set(staff.auth)
        .send({ sku: `PG-ELM-${i}`, name: `Elm spoon ${i}`, price: '9.00', stock: 1, categoryId })
        .expect(201);
    });
    // Creates only add matches, so a page true at some moment of its request is the first 20 (by
    // id, descending) of a set holding every match read before the request and only matches read
    // after its answer: it holds every earlier match above its last id, and nothing else unknown.
    const searcher = async () => {
      const answers = [];
      for (let i = 0; i < 6; i++) {
        const low = await ids();
        const res = await t.http.get(`/v1/products?${query}`).expect(200);
        const high = await ids();
        const page = (res.body.results as { id: number }[]).map(({ id }) => id);
        const last = page[page.length - 1];
        const within =
          page.length === 20 && page.every((id, k) => high.has(id) && (k === 0 || id < page[k - 1])) && [...low].every((id) => id < last || page.includes(id));
        answers.push(within ? 'within' : { low: [...low], page, high: [...high] });
      }
      return answers;
    };
    const answered = (await Promise.all([Promise.all(creates), Promise.all(Array.from({ length: 4 }, searcher))]))[1].flat();
    expect(answered).toHaveLength(24);
    for (const answer of answered) expect(answer).toBe('within');
    expect((await search(query)).rows).toEqual(await truth('elm spoon', '-id'));
    expect((await truth('elm spoon', '-id', 100)).length).toBe(36);
  });
});
