import { followCursorPages } from './utils/cursor-pages.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/**
 * A search reads its pages by the path the kept counts choose for its term (src/products/search-path.ts):
 * nothing for a term that occurs nowhere, a walk of the rows in page order that falls back to the
 * search index (or to the planner's statement) when it ends without a full page, or the index at
 * once for a rare term. 5,000 products; "Q7" in every fifth of the first hundred and in the last
 * 500, so a walk from the start fills a page, but one from the 100th row finds nothing in its
 * 2,000 rows (MIN_WALK) and falls back; "zz9" in four products. Every page, cursor or numbered,
 * must be exactly the rows PostgreSQL finds by the match's definition, in the page order, and every
 * count the number of them.
 */
describe('Search paths: every page exact, whichever path reads it', () => {
  let t: TestApp;

  let category: number;

  beforeAll(async () => {
    t = await createTestApp();
    const pool = t.prisma.pool;
    category = (await pool.query<{ id: number }>(`INSERT INTO "Category" (name, slug, "updatedAt") VALUES ('Paths', 'paths', now()) RETURNING id`)).rows[0].id;
    await pool.query(
      `INSERT INTO "Product" (sku, name, price, stock, "categoryId", "updatedAt")
       SELECT 'PATH-' || lpad(i::text, 4, '0'),
              CASE WHEN (i <= 100 AND i % 5 = 0) OR i > 4500 THEN 'Kettle Q7 ' WHEN i BETWEEN 2000 AND 2003 THEN 'Kettle zz9 ' ELSE 'Kettle ' END || i,
              (1 + i % 9)::numeric(12,2), i % 7, $1::int, now()
       FROM generate_series(1, 5000) AS i`,
      [category],
    );
    await pool.query('ANALYZE "Product"');
  }, 60_000);
  afterAll(() => t.close());

  const ORDER_BY: Record<string, string> = { id: 'id', '-price,name': 'price DESC, name ASC, id ASC', '-stock': 'stock DESC, id DESC' };

  /** The public matches of `term` by ILIKE's definition, in the ordering's order. */
  const matching = async (term: string, ordering: string) =>
    (
      await t.prisma.pool.query<{ id: number }>(
        `SELECT id FROM "Product" WHERE active AND "archivedAt" IS NULL
           AND (strpos(lower(name), lower($1)) > 0 OR strpos(lower(sku), lower($1)) > 0 OR strpos(lower(description), lower($1)) > 0)
         ORDER BY ${ORDER_BY[ordering]}`,
        [term],
      )
    ).rows.map((row) => row.id);

  it.each([
    ['Q', 'one character: the walk, then the index past the 100th row'],
    ['q7', 'a pair, as Q'],
    ['zz9', 'a rare triple: the index at once'],
    ['kettle q7', 'a longer term (its count is a bound): the walk, long enough for the whole table'],
    ['e q', 'three characters with a space (a bound): as a longer term'],
    ['qzx', 'a term that occurs nowhere: no page read'],
    ['ü', 'a term no kept count knows: the planner'],
    ['0 path', "spans a name's end and a sku's start: no match (the kept search text separates its fields)"],
  ])('search=%s (%s): cursor pages both ways and numbered pages match the rows', async (search) => {
    for (const ordering of Object.keys(ORDER_BY)) {
      const want = await matching(search, ordering);
      const query = `/v1/products?search=${encodeURIComponent(search)}&ordering=${ordering}`;
      const whole = await t.http.get(`${query}&pageSize=100`).expect(200);
      expect(whole.body.count).toBe(want.length);
      expect((whole.body.results as Array<{ id: number }>).map((r) => r.id)).toEqual(want.slice(0, 100));
      const first = await t.http.get(`${query}&pageSize=4&cursor=`).expect(200);
      expect(first.body.results).toEqual(whole.body.results.slice(0, 4)); // whole rows, as the numbered page shows them
      const { forward, backward } = await followCursorPages(t.http, `${query}&pageSize=20&cursor=`);
      expect(forward).toEqual(want);
      expect(backward).toEqual(want);
      for (const page of [1, 2, 5, 6, 7]) {
        const res = await t.http.get(`${query}&pageSize=4&page=${page}`);
        if ((page - 1) * 4 >= Math.max(want.length, 1)) {
          expect(res.status).toBe(404); // past the last page
          continue;
        }
        expect(res.status).toBe(200);
        expect({ page, ids: (res.body.results as Array<{ id: number }>).map((r) => r.id) }).toEqual({ page, ids: want.slice((page - 1) * 4, page * 4) });
        expect(res.body.count).toBe(want.length);
      }
    }
  });

  it.each([
    ['q', 'minPrice=2.00&maxPrice=5.00', 'price BETWEEN 2 AND 5', 'id'],
    ['q', 'minPrice=6.00&maxPrice=9.00', 'price BETWEEN 6 AND 9', 'id'], // the same walk's shape with other values
    ['q', 'categoryId=CATEGORY&inStock=true', '"categoryId" = CATEGORY AND stock > 0', 'id'],
    ['q', 'categoryId=CATEGORY&minPrice=4.00&active=true', '"categoryId" = CATEGORY AND price >= 4', 'id'],
    ['zz9', 'inStock=true&ordering=-stock', 'stock > 0', 'stock DESC, id DESC'], // the bitmap path: stock from the heap rows
    ['zz9', 'inStock=false', 'stock = 0', 'id'],
  ])("search=%s with filters (%s) reads that request's values: cursor pages both ways and page one", async (term, filters, condition, orderBy) => {
    const query = `/v1/products?search=${term}&${filters.replace('CATEGORY', String(category))}`;
    const want = (
      await t.prisma.pool.query<{ id: number }>(
        `SELECT id FROM "Product" WHERE active AND "archivedAt" IS NULL AND strpos(lower(name), $1) > 0 AND ${condition.replace('CATEGORY', String(category))} ORDER BY ${orderBy}`,
        [term],
      )
    ).rows.map((row) => row.id);
    expect(want.length).toBeGreaterThan(term === 'zz9' ? 0 : 20);
    const { forward, backward } = await followCursorPages(t.http, `${query}&pageSize=2&cursor=`);
    expect(forward).toEqual(want);
    expect(backward).toEqual(want);
    const first = await t.http.get(`${query}&pageSize=10`).expect(200);
    expect({ count: first.body.count, ids: (first.body.results as Array<{ id: number }>).map((r) => r.id) }).toEqual({
      count: want.length,
      ids: want.slice(0, 10),
    });
  });

  it('a cursor past the 100th row of a one-character search (the walk finds nothing there) still reads the next page exactly', async () => {
    const want = await matching('q', 'id');
    const pages = await followCursorPages(t.http, '/v1/products?search=q&pageSize=5&cursor=');
    expect(pages.forward).toEqual(want);
    expect(want.slice(0, 21).some((id, i) => i > 0 && id - want[i - 1] > 2000)).toBe(true); // the gap the walk cannot cross
  });
});
