import { followCursorPages } from './utils/cursor-pages.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/**
 * A cursor page of a one-character search (and a numbered page within the first 1,000 rows' reach)
 * first reads the next 1,000 rows in page order and keeps them only when they hold a whole page of
 * matches; otherwise it reads the search index
 * (products.repository.ts, singleCharacterWalk). 2,500 products, "q" in seven of the first ten,
 * six around the 1,500th and one near the end (in no other product): with four to a page, the
 * first page is answered from the walk, the second finds only three matches in its 1,000 rows (the
 * rest lie further), and the ones after lie beyond any walk. Every page must be exact either way;
 * "q7" (two characters, no walk) must page the same rows.
 */
describe('Cursor and numbered pages of one-character searches', () => {
  let t: TestApp;
  let matching: number[];

  beforeAll(async () => {
    t = await createTestApp();
    const pool = t.prisma.pool;
    const category = (await pool.query<{ id: number }>(`INSERT INTO "Category" (name, slug, "updatedAt") VALUES ('Walk', 'walk', now()) RETURNING id`)).rows[0]
      .id;
    await pool.query(
      `INSERT INTO "Product" (sku, name, price, stock, "categoryId", "updatedAt")
       SELECT 'WALK-' || lpad(i::text, 4, '0'),
              CASE WHEN i IN (1, 2, 4, 5, 7, 8, 10) OR i BETWEEN 1500 AND 1505 OR i = 2400 THEN 'Kettle Q7 ' ELSE 'Kettle ' END || i,
              (1 + i % 9)::numeric(12,2), 5, $1::int, now()
       FROM generate_series(1, 2500) AS i`,
      [category],
    );
    await pool.query('ANALYZE "Product"');
    const rows = await pool.query<{ id: number }>(`SELECT id FROM "Product" WHERE strpos(lower(name || sku || description), 'q') > 0`);
    matching = rows.rows.map((r) => r.id);
  }, 60_000);
  afterAll(() => t.close());

  it.each(['Q', 'q', 'q7'])('search=%s: next then previous links visit every match once, in the page-number order', async (search) => {
    for (const ordering of ['id', '-price,name', '-stock']) {
      const query = `/v1/products?search=${search}&ordering=${ordering}`;
      const expected = await t.http.get(`${query}&pageSize=100`).expect(200);
      const want = (expected.body.results as Array<{ id: number }>).map((r) => r.id);
      expect(expected.body.count).toBe(14);
      expect([...want].sort((a, b) => a - b)).toEqual(matching.sort((a, b) => a - b));
      const first = await t.http.get(`${query}&pageSize=4&cursor=`).expect(200);
      expect(first.body.results).toEqual(expected.body.results.slice(0, 4)); // whole rows, as the numbered page shows them
      const { forward, backward } = await followCursorPages(t.http, `${query}&pageSize=4&cursor=`);
      expect(forward).toEqual(want);
      expect(backward).toEqual(want);
      // Numbered pages walk too, from the start: page 1 lies in the walk, page 2 only partly, 3–4 beyond it.
      for (let page = 1; page <= 4; page++) {
        const numbered = await t.http.get(`${query}&pageSize=4&page=${page}`).expect(200);
        expect({ page, ids: (numbered.body.results as Array<{ id: number }>).map((r) => r.id) }).toEqual({ page, ids: want.slice((page - 1) * 4, page * 4) });
        expect(numbered.body.count).toBe(14);
      }
    }
  });
});
