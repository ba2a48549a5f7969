import pg from 'pg';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { followCursorPages, pathOf } from './utils/cursor-pages.js';
import { createUser, type TestUser } from './utils/fixtures.js';
import { expectProblem } from './utils/problem.js';

describe('Cursor pagination (?cursor=)', () => {
  let t: TestApp;
  let admin: TestUser;
  let staff: TestUser;
  let customer: TestUser;
  let other: TestUser;
  let categoryA: number;
  let categoryB: number;

  const walk = (path: string, auth: Record<string, string> = {}) => followCursorPages(t.http, path, auth);

  /** The whole list in page-number mode (one page of up to 100), the order the cursor walk must follow. */
  async function expected(query: string, auth: Record<string, string> = {}): Promise<number[]> {
    const res = await t.http
      .get(`${query}${query.includes('?') ? '&' : '?'}pageSize=100`)
      .set(auth)
      .expect(200);
    expect(res.body.count).toBeLessThanOrEqual(100);
    return res.body.results.map((r: { id: number }) => r.id);
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, 'admin');
    staff = await createUser(t, 'staff');
    customer = await createUser(t, 'customer');
    other = await createUser(t, 'customer');
    const pool = t.prisma.pool;
    const categories = await pool.query<{ id: number }>(
      `INSERT INTO "Category" (name, slug, "updatedAt") VALUES ('A', 'cursor-a', now()), ('B', 'cursor-b', now()) RETURNING id`,
    );
    [categoryA, categoryB] = categories.rows.map((r) => r.id);
    // 41 products with many ties: 4 prices, 5 names, 3 stock levels, 2 creation instants; some inactive, some archived.
    await pool.query(
      `INSERT INTO "Product" (sku, name, price, stock, "categoryId", active, "archivedAt", "createdAt", "updatedAt")
       SELECT 'CUR-' || lpad(i::text, 3, '0'), 'Kettle ' || (i % 5), (5 * (1 + i % 4))::numeric(12,2), (i % 3) * 10,
              CASE WHEN i % 2 = 0 THEN $1::int ELSE $2::int END, i % 7 <> 0,
              CASE WHEN i % 11 = 0 THEN now() END, timestamp '2026-11-01 10:00:00' + (i % 2) * interval '1 hour', now()
       FROM generate_series(1, 41) AS i`,
      [categoryA, categoryB],
    );
    // 30 orders for the customer, 6 for another one; totals and creation times tie.
    await pool.query(
      `INSERT INTO "Order" ("userId", status, total, "createdAt", "updatedAt")
       SELECT CASE WHEN i <= 30 THEN $1::int ELSE $2::int END, (ARRAY['pending','paid','shipped']::"OrderStatus"[])[1 + i % 3],
              (10 + i % 4)::numeric(14,2), timestamp '2026-11-02 09:00:00' + (i % 3) * interval '1 minute', now()
       FROM generate_series(1, 36) AS i`,
      [customer.id, other.id],
    );
    for (let i = 0; i < 7; i++) await createUser(t, i % 2 ? 'staff' : 'customer');
  }, 60_000);
  afterAll(() => t.close());

  describe('products', () => {
    it.each([
      'id',
      '-id',
      'price',
      '-price',
      'name',
      '-name',
      'sku',
      '-sku',
      'stock',
      '-stock',
      'createdAt',
      '-createdAt',
      '-price,name',
      'price,-stock,name',
      'name,-createdAt',
    ])('ordering=%s: walking next then previous visits every row once, in the page-number order', async (ordering) => {
      const want = await expected(`/v1/products?ordering=${ordering}`);
      expect(want.length).toBeGreaterThan(20);
      const { forward, backward } = await walk(`/v1/products?ordering=${ordering}&pageSize=4&cursor=`);
      expect(forward).toEqual(want);
      expect(backward).toEqual(want);
    });

    it.each([
      ['categoryId', () => `categoryId=${categoryA}`, 'staff'],
      ['price range', () => 'minPrice=10&maxPrice=15', 'public'],
      ['search', () => 'search=kettle%203', 'public'],
      ['inStock', () => 'inStock=true', 'public'],
      ['active=false (staff)', () => 'active=false', 'staff'],
      ['includeArchived (staff)', () => 'includeArchived=true', 'staff'],
    ])('with the %s filter, for each of two orderings', async (_name, filter, who) => {
      const auth = who === 'staff' ? staff.auth : {};
      for (const ordering of ['-price', 'name,-id']) {
        const query = `/v1/products?${filter()}&ordering=${ordering}`;
        const want = await expected(query, auth);
        expect(want.length).toBeGreaterThan(1);
        const { forward, backward } = await walk(`${query}&pageSize=3&cursor=`, auth);
        expect(forward).toEqual(want);
        expect(backward).toEqual(want);
      }
    });

    it('answers {next, previous, results} without count; links keep the query, drop page, carry a new cursor', async () => {
      const first = await t.http.get(`/v1/products?categoryId=${categoryB}&ordering=-price&pageSize=2&cursor=`).expect(200);
      expect(Object.keys(first.body).sort()).toEqual(['next', 'previous', 'results']);
      expect(first.body.previous).toBeNull();
      const next = new URL(first.body.next);
      expect(Object.fromEntries(next.searchParams)).toEqual({
        categoryId: String(categoryB),
        ordering: '-price',
        pageSize: '2',
        cursor: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
      });
      const second = await t.http.get(pathOf(first.body.next)).expect(200);
      expect(second.body.previous).not.toBeNull();
      const back = await t.http.get(pathOf(second.body.previous)).expect(200);
      expect(back.body.results).toEqual(first.body.results);
    });

    it('the page-number form is unchanged: count, page links', async () => {
      const res = await t.http.get('/v1/products?pageSize=5').expect(200);
      expect(res.body.count).toBeGreaterThan(5);
      expect(res.body.next).toMatch(/[?&]page=2/);
    });

    describe('bad cursors are 400 problems naming cursor, and change nothing', () => {
      let cursor: string;
      beforeAll(async () => {
        const res = await t.http.get(`/v1/products?categoryId=${categoryA}&ordering=price&pageSize=2&cursor=`).expect(200);
        cursor = new URL(res.body.next).searchParams.get('cursor')!;
      });
      const forge = (c: string) => {
        const [body, mac] = c.split('.');
        const json = JSON.parse(Buffer.from(body, 'base64url').toString());
        json.k[json.k.length - 1] = 1;
        return `${Buffer.from(JSON.stringify(json)).toString('base64url')}.${mac}`;
      };
      it.each([
        ['garbage', () => 'not-a-cursor', 'not one this list handed out'],
        ['a forged position (body changed, old MAC)', () => forge(cursor), 'not one this list handed out'],
        ['a cut MAC', () => cursor.slice(0, -3), 'not one this list handed out'],
        ['an extra part', () => `${cursor}.x`, 'not one this list handed out'],
        ['another ordering', () => cursor, 'another ordering', () => `&ordering=-price&categoryId=${categoryA}`],
        ['another filter value', () => cursor, 'another ordering or other filters', () => `&ordering=price&categoryId=${categoryB}`],
        ['an added filter', () => cursor, 'other filters', () => `&ordering=price&categoryId=${categoryA}&inStock=true`],
      ])('%s', async (_name, make, message, query = () => `&ordering=price&categoryId=${categoryA}`) => {
        const res = await t.http.get(`/v1/products?pageSize=2${query()}&cursor=${encodeURIComponent(make())}`);
        expectProblem(res, 400, 'validation-error');
        expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.stringContaining(message) }]);
      });

      it("another viewer's list (a staff cursor, anonymously)", async () => {
        const res = await t.http.get('/v1/products?pageSize=2&cursor=').set(staff.auth).expect(200);
        const bad = await t.http.get(pathOf(res.body.next));
        expectProblem(bad, 400, 'validation-error');
      });

      it("another list's cursor (products → orders)", async () => {
        const res = await t.http.get('/v1/products?ordering=-id&pageSize=2&cursor=').expect(200);
        const c = new URL(res.body.next).searchParams.get('cursor')!;
        expectProblem(await t.http.get(`/v1/orders?ordering=-id&cursor=${c}`).set(staff.auth), 400, 'validation-error');
      });

      it('cursor together with page', async () => {
        const res = await t.http.get('/v1/products?page=1&cursor=');
        expectProblem(res, 400, 'validation-error');
        expect(res.body.errors[0].field).toBe('page');
      });

      it('a cursor over 1000 characters', async () => {
        expectProblem(await t.http.get(`/v1/products?cursor=${'a'.repeat(1001)}`), 400, 'validation-error');
      });
    });

    it('rows inserted and archived while walking: nothing already passed comes back, nothing present throughout is skipped', async () => {
      const query = `/v1/products?ordering=price&categoryId=${categoryB}&pageSize=3`;
      const before = await expected(`/v1/products?ordering=price&categoryId=${categoryB}`);
      const seen: number[] = [];
      let res = await t.http.get(`${query}&cursor=`).expect(200);
      seen.push(...res.body.results.map((r: { id: number }) => r.id));
      res = await t.http.get(pathOf(res.body.next)).expect(200);
      seen.push(...res.body.results.map((r: { id: number }) => r.id));
      // New rows on both sides of the position (cheapest and dearest) and one archived ahead of it.
      const inserted = await t.prisma.pool.query<{ id: number }>(
        `INSERT INTO "Product" (sku, name, price, stock, "categoryId", "updatedAt")
         VALUES ('CUR-NEW-1', 'New cheap', 1.00, 5, $1, now()), ('CUR-NEW-2', 'New dear', 999.00, 5, $1, now()) RETURNING id`,
        [categoryB],
      );
      const archived = before[before.length - 2];
      await t.prisma.pool.query(`UPDATE "Product" SET "archivedAt" = now() WHERE id = $1`, [archived]);
      let next: string | null = res.body.next;
      while (next) {
        res = await t.http.get(pathOf(next)).expect(200);
        seen.push(...res.body.results.map((r: { id: number }) => r.id));
        next = res.body.next;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).not.toContain(inserted.rows[0].id); // sorts before the position: not shown
      expect(seen.at(-1)).toBe(inserted.rows[1].id); // sorts after it: shown, last
      expect(seen.filter((id) => id !== inserted.rows[1].id)).toEqual(before.filter((id) => id !== archived));
      await t.prisma.pool.query(`DELETE FROM "Product" WHERE id = ANY($1)`, [inserted.rows.map((r) => r.id)]);
      await t.prisma.pool.query(`UPDATE "Product" SET "archivedAt" = NULL WHERE id = $1`, [archived]);
    });
  });

  describe('orders', () => {
    it.each(['-createdAt', 'createdAt', 'total', '-total', 'id', '-total,createdAt'])("a customer's orders, ordering=%s", async (ordering) => {
      const want = await expected(`/v1/orders?ordering=${ordering}`, customer.auth);
      expect(want).toHaveLength(30);
      const { forward, backward } = await walk(`/v1/orders?ordering=${ordering}&pageSize=7&cursor=`, customer.auth);
      expect(forward).toEqual(want);
      expect(backward).toEqual(want);
    });

    it("staff's orders filtered by status, and by user", async () => {
      for (const filter of ['status=paid', `userId=${other.id}`]) {
        const want = await expected(`/v1/orders?${filter}`, staff.auth);
        expect(want.length).toBeGreaterThan(3);
        const { forward, backward } = await walk(`/v1/orders?${filter}&pageSize=4&cursor=`, staff.auth);
        expect(forward).toEqual(want);
        expect(backward).toEqual(want);
      }
    });

    it("one customer's cursor is a 400 for another customer", async () => {
      const res = await t.http.get('/v1/orders?pageSize=2&cursor=').set(customer.auth).expect(200);
      expectProblem(await t.http.get(pathOf(res.body.next)).set(other.auth), 400, 'validation-error');
    });
  });

  describe('users', () => {
    it.each(['id', 'name', '-role', 'email', '-createdAt,name'])('ordering=%s', async (ordering) => {
      const want = await expected(`/v1/users?ordering=${ordering}`, admin.auth);
      const { forward, backward } = await walk(`/v1/users?ordering=${ordering}&pageSize=3&cursor=`, admin.auth);
      expect(forward).toEqual(want);
      expect(backward).toEqual(want);
    });

    it('filtered by role', async () => {
      const want = await expected('/v1/users?role=staff', admin.auth);
      const { forward } = await walk('/v1/users?role=staff&pageSize=2&cursor=', admin.auth);
      expect(forward).toEqual(want);
    });
  });

  describe('a runaway list', () => {
    let slow: TestApp;
    beforeAll(async () => {
      slow = await createTestApp({ DB_STATEMENT_TIMEOUT_MS: '300' });
    });
    afterAll(() => slow.close());

    // The statement timeout (DB_STATEMENT_TIMEOUT_MS) ends any list statement that runs too long —
    // here held up behind a lock — and the caller gets a 503 problem, not a hung request. (A search
    // whose term no kept count knows, "é", reads the products whatever the catalogue holds.)
    it.each(['/v1/products?cursor=', '/v1/products?search=%C3%A9&ordering=-price', '/v1/products?page=1&ordering=name'])(
      '%s answers a 503 problem when its statement times out',
      async (url) => {
        const locker = new pg.Client({ connectionString: slow.databaseUrl });
        await locker.connect();
        try {
          await locker.query('BEGIN');
          await locker.query('LOCK TABLE "Product" IN ACCESS EXCLUSIVE MODE');
          const res = await slow.http.get(url);
          expectProblem(res, 503, 'service-unavailable');
        } finally {
          await locker.query('ROLLBACK');
          await locker.end();
        }
        await slow.http.get(url).expect(200);
      },
    );
  });
});
