import type { QueryConfig } from 'pg';
import { createUser, type TestUser } from './utils/fixtures.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/**
 * The product list queries stay index scans at 100,000 products. The SQL is not written here:
 * it is captured from the pg pool while the real endpoints answer, then EXPLAINed with the same
 * parameters, so the check follows whatever the repository issues.
 */
const PRODUCTS = 100_000;
const CATEGORIES = 50;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];
const describePlan = (plan: PlanNode) =>
  nodes(plan)
    .filter((n) => n['Relation Name'] || n['Index Name'])
    .map((n) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`);
const seqScansOnProduct = (plan: PlanNode) => nodes(plan).filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'Product');

describe('Catalogue indexes at 100,000 products', () => {
  let t: TestApp;
  let staff: TestUser;
  let captured: QueryConfig[] | undefined;

  beforeAll(async () => {
    // The 100,000-row seed below goes through the app's pool: with the default 10 s statement timeout it was
    // cancelled on a busy 2-core machine (while another test file started a PostgreSQL server of its own).
    t = await createTestApp({ DB_STATEMENT_TIMEOUT_MS: '60000' });
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
    await t.prisma.$executeRawUnsafe('ANALYZE "Category", "Product"');

    const pool = t.prisma.pool as unknown as { query: (config: QueryConfig) => Promise<unknown> };
    const query = pool.query.bind(pool);
    pool.query = (config: QueryConfig) => {
      if (captured && typeof config === 'object' && /FROM "(public"\.")?Product"/.test(config.text)) captured.push(config);
      return query(config);
    };
  }, 60_000);
  afterAll(() => t.close());

  /** Calls the endpoint and EXPLAINs the product statements it ran: [page query, count query]. */
  const plansFor = async (url: string, auth: Record<string, string> = {}) => {
    captured = [];
    const res = await t.http.get(url).set(auth);
    const statements = captured;
    captured = undefined;
    expect(res.status).toBe(200);
    const plans = [];
    for (const statement of statements) {
      const result = await t.prisma.pool.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>({
        text: `EXPLAIN (FORMAT JSON) ${statement.text}`,
        values: statement.values,
      });
      plans.push({ sql: statement.text, plan: result.rows[0]['QUERY PLAN'][0].Plan });
    }
    return { body: res.body, page: plans.find((p) => !/COUNT\(/i.test(p.sql)), count: plans.find((p) => /COUNT\(/i.test(p.sql)) };
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
    ['price range', '/v1/products?minPrice=100&maxPrice=101'],
    ['search (rare term)', '/v1/products?search=zebra'],
    ['search (common term)', '/v1/products?search=grinder'],
    ['deep page', '/v1/products?page=200&pageSize=50'],
  ])('%s: the page query does not scan the table', async (_name, url) => {
    const { page, count } = await plansFor(url);
    expect(page).toBeDefined();
    expect(count).toBeDefined();
    expect(seqScansOnProduct(page!.plan)).toEqual([]);
    expect(describePlan(page!.plan).some((step) => / using Product_/.test(step))).toBe(true);
  });

  it('the staff list (archived hidden) does not scan the table either', async () => {
    const { page } = await plansFor('/v1/products?ordering=-price', staff.auth);
    expect(seqScansOnProduct(page!.plan)).toEqual([]);
  });

  // Counting every visible product reads every visible row whatever the index (PostgreSQL keeps
  // no row count), so the unfiltered counts are sequential scans; selective filters are not.
  it.each([
    ['categoryId', '/v1/products?categoryId=7', 'Product_categoryId_id_idx'],
    ['price range', '/v1/products?minPrice=100&maxPrice=101', 'Product_price_id_idx'],
    ['search', '/v1/products?search=zebra', '_trgm_idx'],
  ])('selective filter %s: the count reads an index, not the table', async (_name, url, index) => {
    const { count, body } = await plansFor(url);
    expect(body.count).toBeGreaterThan(0);
    expect(seqScansOnProduct(count!.plan)).toEqual([]);
    expect(describePlan(count!.plan).join('\n')).toContain(index);
  });

  it('searches through the trigram indexes, case-insensitively, and finds every match', async () => {
    const { body, page } = await plansFor('/v1/products?search=ZEBRA');
    expect(body.count).toBe(10);
    expect(describePlan(page!.plan).join('\n')).toMatch(/Product_description_trgm_idx/);
  });
});
