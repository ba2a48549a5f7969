import pg, { type QueryConfig } from 'pg';
import { CursorCodec } from '../src/common/pagination/cursor.js';
import { parseOrdering } from '../src/common/pagination/ordering.js';
import { createUser, type TestUser } from './utils/fixtures.js';
import { expectProblem } from './utils/problem.js';
import { type PlanNode, planNodes } from './utils/query-plans.js';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { watchQueries } from './utils/watch-queries.js';

/**
 * The list queries stay index scans at 100,000 products and 100,000 orders. The SQL is not
 * written here: it is captured from the pg connections while the real endpoints answer (raw SQL
 * and Prisma's alike), then EXPLAINed with the same parameters, so the check follows whatever the
 * repositories issue. A new list shape without an index fails here.
 */
const PRODUCTS = 100_000;
const CATEGORIES = 50;
const ORDERS = 100_000;
const CUSTOMERS = 1_000;

const describePlan = (plan: PlanNode) =>
  planNodes(plan)
    .filter((n) => n['Relation Name'] || n['Index Name'])
    .map((n) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`);
/** Sequential scans of the products or of their stock keys (as large as the products, joined by the lists ordered or filtered by stock). */
const PRODUCT_TABLES = new Set(['Product', 'ProductStockKey']);
const seqScansOnProduct = (plan: PlanNode) => planNodes(plan).filter((n) => n['Node Type'] === 'Seq Scan' && PRODUCT_TABLES.has(n['Relation Name'] ?? ''));
const LARGE_TABLES = new Set(['Product', 'Order', 'OrderItem']);
const seqScansOnLargeTables = (plan: PlanNode) => planNodes(plan).filter((n) => n['Node Type'] === 'Seq Scan' && LARGE_TABLES.has(n['Relation Name'] ?? ''));

describe('Catalogue indexes at 100,000 products', () => {
  let t: TestApp;
  let staff: TestUser;
  let customer: TestUser;
  let captured: Array<QueryConfig & { indexScansOnly: boolean }> | undefined;
  let stopWatching: () => void = () => {};

  beforeAll(async () => {
    t = await createTestApp({ DB_STATEMENT_TIMEOUT_MS: '120000' }); // the 100k-row insert below, on a busy machine
    staff = await createUser(t, 'staff');
    await t.prisma.$executeRawUnsafe(`
      INSERT INTO "Category" (name, slug, "updatedAt")
      SELECT 'Category ' || i, 'category-' || i, now() FROM generate_series(1, ${CATEGORIES}) AS i`);
    // 5% inactive, 2% archived; names and descriptions from a small vocabulary, "zebra" in 10 rare (visible) products.
    await t.prisma.$executeRawUnsafe(`
      INSERT INTO "Product" (sku, name, description, price, stock, "categoryId", active, "archivedAt", "updatedAt", "createdAt")
      SELECT 'SKU-' || lpad(i::text, 6, '0'),
             (ARRAY['Espresso', 'Filter', 'Kettle', 'Grinder', 'Dripper', 'Scale', 'Mug', 'Filter paper'])[i % 8 + 1] || ' ' || i,
             CASE WHEN i % 10000 = 1 THEN 'zebra edition' ELSE 'item ' || (i % 1000) END,
             ((i * 7919) % 1000000) / 100.0 + 0.01,
             (i % 37) * (i % 5),
             (i % ${CATEGORIES}) + 1,
             i % 20 <> 0,
             CASE WHEN i % 50 = 0 THEN now() END,
             now(),
             now() - make_interval(secs => ${PRODUCTS} - i)
      FROM generate_series(1, ${PRODUCTS}) AS i`);
    customer = await createUser(t, 'customer');
    await t.prisma.$executeRawUnsafe(`
      INSERT INTO "User" (email, name, "passwordHash", "updatedAt")
      SELECT 'plan-' || i || '@example.com', 'Customer ' || i, '!', now() FROM generate_series(1, ${CUSTOMERS}) AS i`);
    // Orders of many customers (the test's customer has 30), statuses skewed towards delivered, one line each.
    await t.prisma.$executeRawUnsafe(`
      INSERT INTO "Order" ("userId", status, total, "createdAt", "updatedAt")
      SELECT CASE WHEN i % ${Math.floor(ORDERS / 30)} = 0 THEN ${customer.id} ELSE (SELECT min(id) FROM "User" WHERE email LIKE 'plan-%') + i % ${CUSTOMERS} END,
             (ARRAY['delivered','delivered','delivered','delivered','delivered','delivered','shipped','paid','pending','cancelled']::"OrderStatus"[])[1 + i % 10],
             ((i * 7919) % 30000) / 100.0 + 1, now() - make_interval(secs => ${ORDERS} - i), now()
      FROM generate_series(1, ${ORDERS}) AS i`);
    await t.prisma.$executeRawUnsafe(`
      INSERT INTO "OrderItem" ("orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal")
      SELECT o.id, p.id, p.sku, p.name, o.total, 1, o.total FROM "Order" o JOIN "Product" p ON p.id = (SELECT min(id) FROM "Product") + o.id % ${PRODUCTS}`);
    await t.prisma.$executeRawUnsafe('ANALYZE "Category", "Product", "ProductStockKey", "User", "Order", "OrderItem"');

    // Every statement of every pooled connection (the repositories' raw SQL and Prisma's).
    // A statement run in a transaction that disabled sequential scans (ReadOptions.indexScansOnly) is
    // explained the same way.
    const withoutSeqScans = new WeakSet<pg.Client>();
    stopWatching = watchQueries((config, client) => {
      if (typeof config === 'string' && /SET LOCAL enable_seqscan = off/.test(config)) withoutSeqScans.add(client);
      if (typeof config === 'string' && /^(COMMIT|ROLLBACK)$/.test(config)) withoutSeqScans.delete(client);
      if (
        captured &&
        typeof config === 'object' &&
        config &&
        /FROM "(public"\.")?(Product|Order|OrderItem|CategoryProductCount|SearchGramCount)"/i.test((config as QueryConfig).text)
      ) {
        captured.push({ ...(config as QueryConfig), indexScansOnly: withoutSeqScans.has(client) });
      }
    });
  }, 120_000);
  afterAll(async () => {
    stopWatching();
    await t.close();
  });

  /** A search's estimate: what the kept counts say of its term, read before its page (search-path.ts). */
  const isEstimate = (sql: string) => /AS "matches"/.test(sql);
  /** A count statement: counting rows, or reading the counts the triggers keep (CategoryProductCount, SearchGramCount). */
  const isCount = (sql: string) => !isEstimate(sql) && /COUNT\(|"CategoryProductCount"|"SearchGramCount"/i.test(sql);

  /** Calls the endpoint and EXPLAINs the product statements it ran: its page and count statements (`plans`), and a search's estimate apart. */
  const plansFor = async (url: string, auth: Record<string, string> = {}) => {
    captured = [];
    const res = await t.http.get(url).set(auth);
    const statements = captured;
    captured = undefined;
    expect(res.status).toBe(200);
    const plans = [];
    for (const statement of statements) {
      const client = await t.prisma.pool.connect();
      try {
        await client.query(statement.indexScansOnly ? 'BEGIN; SET LOCAL enable_seqscan = off' : 'BEGIN');
        const result = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>({
          text: `EXPLAIN (FORMAT JSON) ${statement.text}`,
          values: statement.values,
        });
        plans.push({ sql: statement.text, plan: result.rows[0]['QUERY PLAN'][0].Plan, indexScansOnly: statement.indexScansOnly });
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    }
    const estimate = plans.find((p) => isEstimate(p.sql));
    if (estimate) expect(describePlan(estimate.plan).join('\n')).not.toMatch(/ on Product\b|Product_/);
    const read = plans.filter((p) => !isEstimate(p.sql));
    return {
      body: res.body,
      plans: read,
      estimate,
      page: read.find((p) => !isCount(p.sql)),
      count: read.find((p) => isCount(p.sql)),
    };
  };

  /** A cursor positioned at the row `at` of the list (`at` rows deep), as the API would have handed it out. */
  const deepCursor = async (
    list: 'products' | 'orders',
    ordering: string,
    fields: Record<string, string>,
    fallback: string,
    filter: Record<string, unknown>,
    at: number,
  ) => {
    const orderBy = parseOrdering(ordering, fields, fallback);
    const columns = orderBy.map(({ column }) => column);
    const sql = `SELECT ${columns.map((c) => `"${c}"${c === 'createdAt' ? ` AT TIME ZONE 'UTC' AS "createdAt"` : ''}`).join(', ')} FROM "${list === 'products' ? 'Product' : 'Order'}"
                 ORDER BY ${orderBy.map(({ column, direction }) => `"${column}" ${direction}`).join(', ')} OFFSET ${at} LIMIT 1`;
    const row = (await t.prisma.pool.query(sql)).rows[0] as Record<string, unknown>;
    const key = columns.map((c) => (row[c] instanceof Date ? row[c].toISOString() : (row[c] as string | number)));
    return encodeURIComponent(t.app.get(CursorCodec, { strict: false }).encode({ list, orderBy, filter }, { key, backwards: false }));
  };

  it.each([
    ['default list (public, ordering=id)', '/v1/products'],
    ['ordering=-price', '/v1/products?ordering=-price'],
    ['ordering=name', '/v1/products?ordering=name'],
    ['ordering=-createdAt', '/v1/products?ordering=-createdAt'],
    ['ordering=sku', '/v1/products?ordering=sku'],
    ['ordering=-stock', '/v1/products?ordering=-stock'],
    ['categoryId filter', '/v1/products?categoryId=7'],
    ['categoryId filter, ordering=-price', '/v1/products?categoryId=7&ordering=-price'],
    ['inStock=true', '/v1/products?inStock=true'],
    ['inStock=false', '/v1/products?inStock=false'],
    ['inStock=false, ordering=-price', '/v1/products?inStock=false&ordering=-price'],
    ['ordering=stock, a category', '/v1/products?ordering=stock&categoryId=7'],
    ['price range', '/v1/products?minPrice=100&maxPrice=101'],
    ['search (rare term)', '/v1/products?search=zebra'],
    ['search (common term)', '/v1/products?search=grinder'],
    ['search, 1 character (common)', '/v1/products?search=e'],
    ['search, 1 character (rare)', '/v1/products?search=z'],
    ['search, 2 characters (rare)', '/v1/products?search=ze'],
    ['search, 2 characters, ordering=-price', '/v1/products?search=ze&ordering=-price'],
    ['search, 3 characters', '/v1/products?search=zeb'],
    ['search, 8 characters', '/v1/products?search=zebra ed'],
    ['the deepest page', '/v1/products?page=201&pageSize=50'],
  ])('%s: the page query does not scan the table', async (_name, url) => {
    const { page, count, estimate } = await plansFor(url);
    expect(page).toBeDefined();
    expect(count ?? estimate).toBeDefined();
    expect(seqScansOnProduct(page!.plan)).toEqual([]);
    expect(describePlan(page!.plan).some((step) => / using Product_/.test(step))).toBe(true);
  });

  it.each([
    ['first page', '', 'id', 'no search'],
    ['first page, ordering=-price', '', '-price', 'no search'],
    ['first page, ordering=name', '', 'name', 'no search'],
    ['first page, ordering=-createdAt', '', '-createdAt', 'no search'],
    ['first page, ordering=sku', '', 'sku', 'no search'],
    ['first page, ordering=-stock', '', '-stock', 'no search'],
    ['first page, inStock=false', '&inStock=false', 'id', 'no search'],
    ['first page, categoryId', '&categoryId=7', 'id', 'no search'],
    ['first page, price range, ordering=price', '&minPrice=100&maxPrice=101', 'price', 'no search'],
    // A search reads its page by the path the kept counts choose (search-path.ts): a rare term's
    // from the search index; one character walks the rows in page order (the ordering's index)
    // before any estimate, enough for a common one, and a rare one then goes by its estimate.
    ['first page, search (2 characters)', '&search=ze', 'id', 'index'],
    ['first page, search (3 characters, rare)', '&search=zeb', 'id', 'index'],
    ['first page, search (1 character, common)', '&search=e', 'id', 'walk'],
    ['first page, search (1 character, common), ordering=-price', '&search=e', '-price', 'walk'],
    ['first page, search (1 character, rare)', '&search=z', 'id', 'walk, then index'],
    ['first page, search (1 character, rare), ordering=name', '&search=z', 'name', 'walk, then index'],
  ])('cursor %s: no count, no table scan', async (_name, filter, ordering, path) => {
    const { plans, count, estimate } = await plansFor(`/v1/products?ordering=${ordering}${filter}&cursor=`);
    expect(count).toBeUndefined();
    expect(plans).toHaveLength(path === 'walk, then index' ? 2 : 1);
    for (const { plan } of plans) expect(seqScansOnProduct(plan)).toEqual([]);
    expect(estimate === undefined).toBe(path === 'no search' || path === 'walk');
    const described = plans.map(({ plan }) => describePlan(plan).join('\n'));
    const indexed = /Product_search_grams_idx|_trgm_idx/;
    if (path.startsWith('walk')) expect(described[0]).not.toMatch(indexed);
    if (path.endsWith('index')) expect(described.at(-1)).toMatch(indexed);
  });

  it.each([
    ['id', 'Product_id_idx'],
    ['-price', 'Product_price_id_idx'],
    ['name', 'Product_name_id_idx'],
    ['-createdAt', 'Product_createdAt_id_idx'],
  ])('a numbered page 8,000 rows deep, ordering=%s: its ids from %s alone, its rows by id (generic plan)', async (ordering, index) => {
    await t.prisma.pool.query('VACUUM "Product"'); // the visibility map, as autovacuum keeps it
    for (const [url, auth] of [
      [`/v1/products?ordering=${ordering}&page=401`, {}],
      [`/v1/products?ordering=${ordering}&page=401&includeArchived=true`, staff.auth],
    ] as const) {
      captured = [];
      const res = await t.http.get(url).set(auth);
      const page = captured.find((statement) => !isCount(statement.text))!;
      captured = undefined;
      expect(res.status).toBe(200);
      expect(res.body.results).toHaveLength(20);
      // A named statement is planned generically after its fifth run on a connection: that plan is the one that lasts.
      const client = await t.prisma.pool.connect();
      try {
        await client.query('SET plan_cache_mode = force_generic_plan');
        await client.query(`PREPARE numbered_page AS ${page.text}`);
        const explained = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
          `EXPLAIN (FORMAT JSON) EXECUTE numbered_page(${(page.values as number[]).join(', ')})`,
        );
        const nodes = planNodes(explained.rows[0]['QUERY PLAN'][0].Plan);
        const ids = nodes.filter((n) => n['Node Type'] === 'Index Only Scan').map((n) => n['Index Name']);
        expect(ids).toHaveLength(1);
        // With no visibility test (staff, archived included) the primary key is as good for id.
        expect(Object.keys(auth).length && ordering === 'id' ? [index, 'Product_pkey'] : [index]).toContain(ids[0]);
        const byId = nodes.filter((n) => n['Node Type'] === 'Index Scan').map((n) => n['Index Name']);
        expect(byId).toHaveLength(1); // the page's rows: by the primary key or the other index on id alone
        expect(['Product_pkey', 'Product_id_idx']).toContain(byId[0]);
        expect(seqScansOnProduct(explained.rows[0]['QUERY PLAN'][0].Plan)).toEqual([]);
      } finally {
        await client.query('DEALLOCATE numbered_page; RESET plan_cache_mode');
        client.release();
      }
    }
  });

  it.each(['id', '-price', 'name', '-createdAt', 'sku', 'stock', '-price,name'])(
    'cursor 90,000 rows deep, ordering=%s: an index range from the cursor',
    async (ordering) => {
      const cursor = await deepCursor(
        'products',
        ordering,
        { id: 'id', sku: 'sku', name: 'name', price: 'price', stock: 'stock', createdAt: 'createdAt' },
        'id',
        { visibility: 'staff-all' },
        90_000,
      );
      const { plans, body } = await plansFor(`/v1/products?ordering=${ordering}&includeArchived=true&cursor=${cursor}`, staff.auth);
      expect(body.results).toHaveLength(20);
      expect(seqScansOnProduct(plans[0].plan)).toEqual([]);
      expect(JSON.stringify(plans[0].plan)).toMatch(/"Index Cond"/);
    },
  );

  const ORDER_FIELDS = { id: 'id', createdAt: 'createdAt', total: 'total' };
  // The unfiltered staff list's count reads every order (orders keep no counts: a counter would put
  // every placement behind one row lock; README, "Indexes"): its page is checked, its count is not.
  it.each([
    ["a customer's orders", 'customer', '/v1/orders', true],
    ["a customer's orders, cursor", 'customer', '/v1/orders?cursor=', true],
    ["a customer's orders, ordering=total", 'customer', '/v1/orders?ordering=total', true],
    ["staff's orders", 'staff', '/v1/orders', false],
    ["staff's orders by status", 'staff', '/v1/orders?status=paid', true],
    ["staff's orders by status, cursor", 'staff', '/v1/orders?status=pending&cursor=', true],
    ["staff's orders of one user", 'staff', '/v1/orders?userId=CUSTOMER', true],
    ["staff's orders, ordering=-total", 'staff', '/v1/orders?ordering=-total', false],
    ["staff's orders, ordering=total, cursor", 'staff', '/v1/orders?ordering=total&cursor=', true],
    ["staff's orders, the deepest page", 'staff', '/v1/orders?page=201&pageSize=50', false],
  ])('%s: no query scans orders, lines or products', async (_name, who, url, countChecked) => {
    const { plans } = await plansFor(url.replace('CUSTOMER', String(customer.id)), (who === 'staff' ? staff : customer).auth);
    expect(plans.length).toBeGreaterThan(1); // the page, its lines (and the count)
    for (const { sql, plan } of plans.filter((p) => countChecked || !/COUNT\(/i.test(p.sql))) {
      expect({ sql, seqScans: seqScansOnLargeTables(plan) }).toEqual({ sql, seqScans: [] });
    }
  });

  it.each([
    ['-createdAt', { status: 'delivered' }, '&status=delivered'],
    ['total', {}, ''],
    ['-total,createdAt', {}, ''],
  ])("staff's orders, cursor 50,000 rows deep, ordering=%s: an index range from the cursor", async (ordering, filter, query) => {
    const cursor = await deepCursor('orders', ordering, ORDER_FIELDS, '-createdAt', filter, 50_000);
    const { plans, body } = await plansFor(`/v1/orders?ordering=${ordering}${query}&cursor=${cursor}`, staff.auth);
    expect(body.results).toHaveLength(20);
    for (const { sql, plan } of plans) expect({ sql, seqScans: seqScansOnLargeTables(plan) }).toEqual({ sql, seqScans: [] });
  });

  // OFFSET reads every row it skips, so numbered pages stop at row 10,000 (MAX_PAGE_OFFSET): a
  // deeper page that exists is a 400 naming page (the cursor form goes further), one past the end
  // stays a 404; neither reads the rows it would skip.
  it.each([
    ['products', '/v1/products?page=202&pageSize=50', {}],
    ['products, ordering=-price', '/v1/products?page=502&ordering=-price', {}],
    ["staff's orders", '/v1/orders?page=102&pageSize=100', 'staff'],
  ])('%s: a page that starts past row 10,000 is a 400 and reads no rows', async (_name, url, who) => {
    captured = [];
    const res = await t.http.get(url).set(who === 'staff' ? staff.auth : {});
    const statements = captured;
    captured = undefined;
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/validation-error$/),
      errors: [{ field: 'page', message: expect.stringContaining('cursor=') }],
    });
    const pages = statements.filter((statement) => /\boffset\b/i.test(statement.text));
    expect(pages).toHaveLength(1);
    expect(pages[0].values!.slice(-2)).toEqual([0, expect.any(Number)]); // LIMIT 0: the page reads nothing
    expectProblem(await t.http.get(url.replace(/page=\d+/, 'page=2147483647')).set(who === 'staff' ? staff.auth : {}), 404, 'not-found');
  });

  it('the staff list (archived hidden) does not scan the table either', async () => {
    const { page } = await plansFor('/v1/products?ordering=-price', staff.auth);
    expect(seqScansOnProduct(page!.plan)).toEqual([]);
  });

  // PostgreSQL keeps no row count: counting every visible product would read every visible row,
  // so the lists filtered by nothing but the caller's view and a category read the counts the
  // triggers keep (migration 20261201150000_product_counts); other filters count through an index.
  it.each([
    ['public, unfiltered', '/v1/products', {}, 'active AND "archivedAt" IS NULL'],
    ['public, a category', '/v1/products?categoryId=7', {}, 'active AND "archivedAt" IS NULL AND "categoryId" = 7'],
    ['staff, unfiltered', '/v1/products', 'staff', '"archivedAt" IS NULL'],
    ['staff with archived, a category', '/v1/products?categoryId=7&includeArchived=true', 'staff', '"categoryId" = 7'],
    ['public, active=true', '/v1/products?active=true', {}, 'active AND "archivedAt" IS NULL'],
    ['staff, active=true, a category', '/v1/products?active=true&categoryId=7', 'staff', 'active AND "archivedAt" IS NULL AND "categoryId" = 7'],
    ['staff, active=false', '/v1/products?active=false', 'staff', 'NOT active AND "archivedAt" IS NULL'],
  ])('%s: the count reads the kept counts, not the products', async (_name, url, who, where) => {
    const { count, body } = await plansFor(url, who === 'staff' ? staff.auth : {});
    expect(count!.sql).toMatch(/"CategoryProductCount"/);
    expect(describePlan(count!.plan).join('\n')).not.toMatch(/ on Product\b|Product_/);
    const { rows } = await t.prisma.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Product" WHERE ${where}`);
    expect(body.count).toBe(rows[0].n);
    expect(body.count).toBeGreaterThan(0);
  });

  // A term of one to three characters matches exactly the products holding it as a search gram, whose
  // counts the triggers keep per audience (migration 20261202120000_search_gram_counts).
  it.each([
    ['public, 1 common character', '/v1/products?search=e', {}, 'active AND "archivedAt" IS NULL', 'e'],
    ['public, 1 character, upper case', '/v1/products?search=E', {}, 'active AND "archivedAt" IS NULL', 'e'],
    ['public, 2 characters', '/v1/products?search=ze', {}, 'active AND "archivedAt" IS NULL', 'ze'],
    ['staff, 2 characters, active=false', '/v1/products?search=es&active=false', 'staff', 'NOT active AND "archivedAt" IS NULL', 'es'],
    ['staff with archived, 1 character', '/v1/products?search=z&includeArchived=true', 'staff', 'true', 'z'],
    ['public, 3 characters', '/v1/products?search=ZEB', {}, 'active AND "archivedAt" IS NULL', 'zeb'],
    ['public, 3 characters, common', '/v1/products?search=ind', {}, 'active AND "archivedAt" IS NULL', 'ind'],
  ])('%s: the count reads the kept gram counts, not the products', async (_name, url, who, where, term) => {
    const { count, estimate, body } = await plansFor(url, who === 'staff' ? staff.auth : {});
    const counted = count ?? estimate; // with no filter but the view, the estimate's count is the count
    expect(counted!.sql).toMatch(/"SearchGramCount"/);
    expect(describePlan(counted!.plan).join('\n')).not.toMatch(/ on Product\b|Product_/);
    const matches = `strpos(lower(name), $1) > 0 OR strpos(lower(sku), $1) > 0 OR strpos(lower(description), $1) > 0`;
    const { rows } = await t.prisma.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Product" WHERE (${where}) AND (${matches})`, [term]);
    expect(body.count).toBe(rows[0].n);
    expect(body.count).toBeGreaterThan(0);
  });

  // A numbered search reads its page as a cursor page does (search-path.ts; one character walks
  // beside the estimate); with no filter but the view, a term of one to three characters takes its
  // count from the estimate (the kept gram count).
  it.each([
    ['1 common character', '/v1/products?search=e', 'walk'],
    ['1 common character, ordering=-price', '/v1/products?search=e&ordering=-price', 'walk'],
    ['1 rare character', '/v1/products?search=z', 'walk, then index'],
    ['2 characters', '/v1/products?search=ze&pageSize=22', 'index'], // a page no earlier test kept (SearchPages)
  ])('numbered search, %s: the page by its path, the count from the estimate', async (_name, url, path) => {
    const { plans, count, estimate, body } = await plansFor(url);
    expect(plans).toHaveLength(path === 'walk, then index' ? 2 : 1);
    expect(count).toBeUndefined();
    expect(estimate!.sql).toMatch(/"SearchGramCount"/);
    expect(body.count).toBeGreaterThan(0);
    for (const { plan } of plans) expect(seqScansOnProduct(plan)).toEqual([]);
    const described = plans.map(({ plan }) => describePlan(plan).join('\n'));
    if (path.startsWith('walk')) expect(described[0]).not.toMatch(/Product_search_grams_idx/);
    // A walked row is tested against the kept lower-cased text (migration 20261203120000_product_search_text), not lower() of each field.
    if (path.startsWith('walk')) expect(JSON.stringify(plans[0].plan)).toMatch(/strpos\(walked\.\\"searchText\\"/);
    for (const { plan } of plans) expect(JSON.stringify(plan)).not.toMatch(/lower\((name|sku|description)\)/);
    if (path.endsWith('index')) expect(described.at(-1)).toMatch(/Product_search_grams_idx/);
  });

  it.each([
    ['numbered', '/v1/products?search=zeb&ordering=-price'],
    ['cursor', '/v1/products?search=zebra%20edi&cursor='],
  ])('a %s search page read again: its kept ids, by primary key', async (_name, url) => {
    const first = await plansFor(url);
    const again = await plansFor(url);
    expect(again.body.results).toEqual(first.body.results);
    expect(again.plans).toHaveLength(1);
    expect(again.page!.sql).toMatch(/= ANY\(\$1::int\[\]\)/);
    const described = describePlan(again.page!.plan).join('\n');
    expect(described).toMatch(/Index (Only )?Scan using Product_(pkey|id_idx) on Product/);
    expect(described).not.toMatch(/search_grams|trgm|Product_(price|name|createdAt)_id_idx/);
    expect(seqScansOnProduct(again.page!.plan)).toEqual([]);
  });

  it.each([
    ['price range', '/v1/products?minPrice=100&maxPrice=101', 'Product_price_id_idx'],
    ['search (a term no earlier test counted: a count is kept per version)', '/v1/products?search=zebra%20edition', 'Product_searchText_trgm_idx'],
    ['search, 2 characters, a price range', '/v1/products?search=ze&minPrice=1&maxPrice=9000', 'Product_search_grams_idx'],
    // A short search with another filter is counted through the grams index (the kept gram counts
    // answer only the view and `active`); a sequential scan would compute every row's pairs.
    ['search, 1 rare character, in stock', '/v1/products?search=z&inStock=true', 'Product_search_grams_idx'],
  ])('selective filter %s: the count reads an index, not the table', async (_name, url, index) => {
    const { count, body } = await plansFor(url);
    expect(body.count).toBeGreaterThan(0);
    expect(count!.indexScansOnly).toBe(/search=[^&]{1,2}(&|$)/.test(url)); // short searches only
    expect(seqScansOnProduct(count!.plan)).toEqual([]);
    expect(describePlan(count!.plan).join('\n')).toContain(index);
  });

  it('searches through the trigram indexes, case-insensitively, and finds every match', async () => {
    const { body, page } = await plansFor('/v1/products?search=ZEBRA');
    expect(body.count).toBe(10);
    expect(describePlan(page!.plan).join('\n')).toMatch(/Product_searchText_trgm_idx/);
  });

  it('plans on the service\'s connections without JIT or parallel workers (README, "Indexes")', async () => {
    const client = await t.prisma.pool.connect();
    try {
      const setting = async (name: string) => (await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0][name];
      expect(await setting('jit')).toBe('off');
      expect(await setting('max_parallel_workers_per_gather')).toBe('0');
    } finally {
      client.release();
    }
  });

  it('keeps a 1000-entry histogram of the searched text, so that a term in a few thousand rows is not planned as a rare one', async () => {
    const { rows } = await t.prisma.pool.query<{ column: string; target: number }>(
      `SELECT attname AS column, coalesce(attstattarget, -1)::int AS target FROM pg_attribute
       WHERE attrelid = '"Product"'::regclass AND attname IN ('name', 'sku', 'description', 'searchText') ORDER BY attname`,
    );
    expect(rows).toEqual([
      { column: 'description', target: -1 }, // the default (NULL from PostgreSQL 17 on): searches read "searchText"
      { column: 'name', target: -1 },
      { column: 'searchText', target: 1000 },
      { column: 'sku', target: -1 },
    ]);
    const { rows: histogram } = await t.prisma.pool.query<{ entries: number }>(
      `SELECT array_length(histogram_bounds::text::text[], 1) AS entries FROM pg_stats WHERE tablename = 'Product' AND attname = 'searchText'`,
    );
    expect(histogram[0].entries).toBeGreaterThan(101); // more than the default target's 101 bounds
  });
});
