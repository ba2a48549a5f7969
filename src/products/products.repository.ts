import { Injectable } from '@nestjs/common';
import type { CatalogueView } from '../auth/access-policy.js';
import { type Expression, type ExpressionBuilder, type InferResult, type RawBuilder, type Selectable, type SqlBool, sql } from 'kysely';
import type { Precondition } from '../common/concurrency/row-version.js';
import { versionWhere } from '../database/version-where.js';
import type { Decimal } from '../common/money/money.js';
import { classifyDatabaseError } from '../database/database-errors.js';
import { DatabaseReaders, type ReadFrom } from '../database/database-readers.js';
import { type DB, kysely } from '../database/kysely.js';
import { type KeyValue, keysetSql, type Ordering, orderedBy, orderingText } from '../database/ordering.js';
import { shared } from '../database/parameter.js';
import { isoText } from '../database/sql-fragments.js';
import { JsonText } from '../common/http/json-text.js';
import { PrismaService } from '../database/prisma.service.js';
import { BY_KEY, type ReadOptions, type SqlRunner } from '../database/sql-runner.js';
import { precompiledOnce, prepared, preparedOnce, type Statement, statement } from '../database/statement.js';
import type { IsoTimestamps } from '../database/utc-timestamps.js';
import type { Product } from '../generated/prisma/client.js';
import type { PRODUCT_ORDERING_FIELDS } from './dto/list-products-query.dto.js';
import { SearchCounts, SearchPages } from './kept-by-version.js';
import { firstWalkRows, type SearchEstimate, type SearchPath, searchPath, type WalkOrder, walksFirst } from './search-path.js';

export interface ProductData {
  sku: string;
  name: string;
  description: string;
  price: Decimal;
  stock: number;
  categoryId: number;
  active: boolean;
}

/** A list's filters, built once by the service: the query's conditions and the cursor's scope alike. Prices are money text with two places. */
export type ProductListFilter = {
  visibility: CatalogueView;
  search?: string;
  categoryId?: number;
  minPrice?: string;
  maxPrice?: string;
  inStock?: boolean;
  active?: boolean;
};

/** The columns a list may be ordered by: the values of the API's whitelist (PRODUCT_ORDERING_FIELDS); each has an index. */
export type ProductOrderingColumn = (typeof PRODUCT_ORDERING_FIELDS)[keyof typeof PRODUCT_ORDERING_FIELDS];

/** A product as the API shows it: price as PostgreSQL's text ("19.99"), timestamps as ISO strings. */
export type ProductRecord = IsoTimestamps<Selectable<DB['Product']>>;

/** A write the database refused: the sku is taken (the unique index), the category does not exist (the foreign key). */
export type ProductWriteRefusal = { refused: 'duplicate'; field: 'sku' } | { refused: 'unknown-category' };

/** sku is the only unique column, categoryId the only foreign key a product write can violate. */
function refusal(error: unknown): ProductWriteRefusal {
  const failure = classifyDatabaseError(error);
  if (failure?.kind === 'unique-violation') return { refused: 'duplicate', field: 'sku' };
  if (failure?.kind === 'foreign-key-violation') return { refused: 'unknown-category' };
  throw error;
}

/** A write's answer (Prisma's Decimal and Dates) in the shape the reads give. */
const toRecord = (product: Product): ProductRecord => ({
  ...product,
  price: product.price.toFixed(2),
  archivedAt: product.archivedAt?.toISOString() ?? null,
  createdAt: product.createdAt.toISOString(),
  updatedAt: product.updatedAt.toISOString(),
});

type ProductExpressions = ExpressionBuilder<DB, 'Product'>;

function visible(eb: ProductExpressions, visibility: CatalogueView): Expression<SqlBool> {
  if (visibility === 'public') return eb.and([eb.ref('Product.active'), eb('Product.archivedAt', 'is', null)]);
  if (visibility === 'staff') return eb('Product.archivedAt', 'is', null);
  return eb.lit(true);
}

const SEARCHED_COLUMNS = ['name', 'sku', 'description'] as const;
/** Exactly the expression of the index "Product_search_grams_idx" (the characters and character pairs of the searched text), so that the planner can use it. */
const searchGrams = (text: Expression<string> | RawBuilder<string>) => sql`"Product_search_grams"(${text})`;
const SEARCHED_TEXT = sql<string>`lower(${sql.join(
  SEARCHED_COLUMNS.map((column) => sql.ref(column)),
  sql` || ' ' || `,
)})`;

/** A term too short for a trigram (fewer than three characters). */
const isShortSearch = (search: string | undefined): search is string => search !== undefined && search !== '' && [...search].length < 3;
// A client's "%", "_" or "\" in a search term must match literally (backslash is LIKE's escape character).
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * "Product" has no index on stock, so that placing an order is a HOT update that writes no index
 * entry; "ProductStockKey" holds the same value, kept by triggers in the same transaction, under an
 * index of its own (migration 20261202000000_product_stock_key). The lists ordered or filtered by
 * stock join it and use its column, `stockKey` (a name "Product" does not have, so every other
 * column name stays unambiguous); their rows still show "Product".stock, the same value.
 */
const STOCK_KEY_COLUMN = 'stockKey';
const STOCK_KEY = sql.ref<number>(STOCK_KEY_COLUMN);
const usesStockKey = (filter: ProductListFilter, ordering: Ordering = []) => filter.inStock !== undefined || ordering.some(({ column }) => column === 'stock');
/** The ordering as SQL sorts it: by `stockKey` where the list asks for stock. */
const sqlOrdering = (ordering: Ordering): Ordering => ordering.map((term) => (term.column === 'stock' ? { ...term, column: STOCK_KEY_COLUMN } : term));

/**
 * The list's conditions but its search: each a parameter or fixed SQL. `stock`: the column
 * `inStock` tests — the stock key, unless the rows are read from the heap anyway (the bitmap path).
 */
function filterConditions(eb: ProductExpressions, filter: ProductListFilter, stock: RawBuilder<number> = STOCK_KEY): Expression<SqlBool>[] {
  const conditions = [visible(eb, filter.visibility)];
  if (filter.categoryId !== undefined) conditions.push(eb('categoryId', '=', filter.categoryId));
  if (filter.minPrice) conditions.push(eb('price', '>=', filter.minPrice));
  if (filter.maxPrice) conditions.push(eb('price', '<=', filter.maxPrice));
  if (filter.inStock !== undefined) conditions.push(eb(stock, filter.inStock ? '>' : '=', eb.lit(0)));
  if (filter.active !== undefined) conditions.push(filter.active ? eb.ref('active') : eb.not(eb.ref('active')));
  return conditions;
}

/**
 * The lower-cased name, sku and description joined by U+0001, which no term can hold: a generated
 * column (migration 20261203120000_product_search_text) that schema.prisma does not declare, so
 * that testing a row costs one strpos and no lower() (walks 2–4× faster at a million products).
 */
const SEARCH_TEXT = sql.ref<string>('Product.searchText');

/**
 * A term's exact test: ILIKE's own definition (it compares lower-cased text) written with strpos in
 * the kept lower-cased text (of the row, or of a walk's subquery), which no index can take and the
 * planner does not estimate from the term (offered a short ILIKE, the planner ANDs in a trigram
 * scan that returns every row; a longer one it tests against its statistics, ~3 ms of planning at
 * a million products).
 */
const substringMatch = (term: RawBuilder<string>, text: RawBuilder<string> = SEARCH_TEXT) => sql<SqlBool>`strpos(${text}, ${term}) > 0`;

/** A short term, lower-cased as PostgreSQL does, one parameter however often it is used. */
const shortTerm = (search: string) => sql<string>`lower(${shared(search)}::text)`;

/**
 * A longer term's condition: its pattern, lower-cased as PostgreSQL does, in the kept search text,
 * through its trigram index (migration 20261203140000_search_text_trigrams): ILIKE on the three
 * fields, since no term holds the U+0001 between them.
 */
const searchTextLike = (pattern: RawBuilder<string>) => sql<SqlBool>`${SEARCH_TEXT} LIKE ${pattern}`;
const likePattern = (search: string) => sql<string>`lower(${shared(`%${escapeLike(search)}%`)}::text)`;

/** The list's conditions; the search runs through the search indexes (README, "Indexes"). */
function listConditions(eb: ProductExpressions, filter: ProductListFilter): Expression<SqlBool> {
  const conditions = filterConditions(eb, filter);
  if (isShortSearch(filter.search)) {
    // A term too short for a trigram finds its rows through the index of every character and
    // character pair (migration 20261201180000_search_grams): the rows whose text holds all of the
    // term's; the exact test follows.
    const term = shortTerm(filter.search);
    conditions.push(sql<SqlBool>`${searchGrams(SEARCHED_TEXT)} @> ${searchGrams(term)}`);
    conditions.push(substringMatch(term));
  } else if (filter.search) {
    conditions.push(searchTextLike(likePattern(filter.search)));
  }
  return eb.and(conditions);
}

/** The rows of a list, joined with their stock keys when its filter or ordering needs them. */
const listRows = (filter: ProductListFilter, ordering?: Ordering) =>
  kysely.selectFrom('Product').$if(usesStockKey(filter, ordering), (query) => query.innerJoin('ProductStockKey', 'ProductStockKey.productId', 'Product.id'));

/** A page of a list as the API shows it, in ProductDto's field order (the rows need no mapping); `archivedAt` in the staff views only. */
const PAGE_COLUMNS = ['id', 'sku', 'name', 'description', 'price', 'stock', 'categoryId', 'active', 'createdAt', 'updatedAt'] as const;

function listPage(filter: ProductListFilter, ordering: Ordering) {
  return listRows(filter, ordering)
    .select(PAGE_COLUMNS)
    .$if(filter.visibility !== 'public', (query) => query.select('archivedAt'))
    .where((eb) => listConditions(eb, filter))
    .$call(orderedBy(sqlOrdering(ordering)));
}

/** A search list's filter: its term is set. */
type SearchFilter = ProductListFilter & { search: string };

/**
 * The version of SearchCountVersion, read in a page's own statement (one snapshot), so that the
 * page's ids can be kept (SearchPages) at the version they were read at.
 */
const KEPT_VERSION = sql<string | null>`(SELECT "version" FROM "SearchCountVersion")::text`.as('keptVersion');
type VersionedRow = ProductListRow & { keptVersion: string | null };
/** A page read with the version it was read at (none: the page is empty, or PostgreSQL has no version row). */
type VersionedPage = { rows: ProductListRow[]; version: bigint | undefined };
const versionedPage = (rows: VersionedRow[]): VersionedPage => ({
  rows: rows.map(({ keptVersion: _version, ...row }) => row),
  version: rows[0]?.keptVersion == null ? undefined : BigInt(rows[0].keptVersion),
});

/**
 * A search's page read by walking the rows that pass the other filters in page order (the
 * ordering's index), at most `rows` of them, each tested with the exact match, until `need`
 * match. When `need` of them match, those are the page exactly: every row the walk did not read
 * comes later in the order. The walk's rows show "Product".stock, which equals the stock key it
 * is sorted by.
 */
function walkedQuery(filter: SearchFilter, ordering: Ordering, after: KeyValue[] | undefined, need: number, rows: number) {
  const walk = listRows(filter, ordering)
    .select(PAGE_COLUMNS)
    .$if(filter.visibility !== 'public', (query) => query.select('archivedAt'))
    .select(SEARCH_TEXT.as('searchText'))
    .where((eb) => eb.and(filterConditions(eb, filter)))
    .$if(after !== undefined, (query) => query.where(keysetSql(sqlOrdering(ordering), after!)))
    .$call(orderedBy(sqlOrdering(ordering)))
    .limit(rows);
  return kysely
    .selectFrom(walk.as('walked'))
    .select(PAGE_COLUMNS)
    .$if(filter.visibility !== 'public', (query) => query.select('archivedAt'))
    .where(substringMatch(shortTerm(filter.search), sql.ref<string>('walked.searchText')))
    .$call(orderedBy(ordering))
    .limit(need);
}

/** A walk's values, by the names its placeholders take (`after0`… for the cursor's key). */
type WalkValues = { search: string; categoryId?: number; minPrice?: string; maxPrice?: string; need: number; rows: number } & Record<
  `after${number}`,
  KeyValue
>;

/**
 * A walk compiled once per shape (the view, the ordering, which filters it has and the values of
 * `inStock` and `active`, the cursor's key length, whether it reads the version): the search's
 * hottest statement skips the query builder (~6 % of a one-character search's CPU).
 */
function precompiledWalk<Row>(filter: SearchFilter, ordering: Ordering, after: KeyValue[] | undefined, versioned: boolean) {
  const { visibility, categoryId, minPrice, maxPrice, inStock, active } = filter;
  const shape = [
    'walk',
    visibility,
    orderingText(ordering),
    categoryId !== undefined,
    !!minPrice,
    !!maxPrice,
    inStock,
    active,
    after?.length ?? 0,
    versioned,
  ].join('|');
  return precompiledOnce(
    shape,
    (p: WalkValues) => {
      const placeholders: SearchFilter = {
        visibility,
        search: p.search,
        categoryId: categoryId === undefined ? undefined : p.categoryId,
        minPrice: minPrice ? p.minPrice : undefined,
        maxPrice: maxPrice ? p.maxPrice : undefined,
        inStock,
        active,
      };
      const walk = walkedQuery(
        placeholders,
        ordering,
        after?.map((_, i) => p[`after${i}`]),
        p.need,
        p.rows,
      );
      return versioned ? walk.select(KEPT_VERSION) : walk;
    },
    { timestamps: 'iso' },
  ) as unknown as (values: WalkValues) => Statement<Row>;
}

function walkValues(filter: SearchFilter, after: KeyValue[] | undefined, need: number, rows: number): WalkValues {
  const values: WalkValues = { search: filter.search, categoryId: filter.categoryId, minPrice: filter.minPrice, maxPrice: filter.maxPrice, need, rows };
  after?.forEach((value, i) => (values[`after${i}`] = value));
  return values;
}

const walkedPage = (filter: SearchFilter, ordering: Ordering, after: KeyValue[] | undefined, need: number, rows: number) =>
  precompiledWalk<ProductListRow>(filter, ordering, after, false)(walkValues(filter, after, need, rows));
/** A walked page with the version it was read at (SearchPages keeps it). */
const versionedWalkedPage = (filter: SearchFilter, ordering: Ordering, after: KeyValue[] | undefined, need: number, rows: number) =>
  precompiledWalk<VersionedRow>(filter, ordering, after, true)(walkValues(filter, after, need, rows));

/** A list's rows after the cursor's key (all of them without one), as the planner plans it. */
const listPageAfter = (filter: ProductListFilter, ordering: Ordering, after: KeyValue[] | undefined) =>
  listPage(filter, ordering).$if(after !== undefined, (query) => query.where(keysetSql(sqlOrdering(ordering), after!)));

/** A search's page as the planner plans it (the path leaves it to PostgreSQL), with the version it was read at. */
const plannedSearchPage = (filter: SearchFilter, ordering: Ordering, after: KeyValue[] | undefined, take: number, skip: number) =>
  statement(listPageAfter(filter, ordering, after).select(KEPT_VERSION).limit(take).offset(skip), { timestamps: 'iso' }) as Statement<VersionedRow>;

/**
 * The search condition for an index: the term's value is an InitPlan's (`(SELECT $1)`), which the
 * planner does not see, so planning costs ~0.1 ms instead of testing the term against the
 * columns' statistics (~3 ms); the index still reads it as its key when the scan starts.
 */
function indexedSearch(search: string): RawBuilder<SqlBool> {
  if (isShortSearch(search)) {
    const term = sql<string>`(SELECT ${shortTerm(search)})`;
    return sql<SqlBool>`(${searchGrams(SEARCHED_TEXT)} @> ${searchGrams(term)} AND ${substringMatch(term)})`;
  }
  return searchTextLike(sql<string>`(SELECT ${likePattern(search)})`);
}

/**
 * A search's page read through the search indexes: every match after the cursor (a
 * MATERIALIZED CTE, read by a bitmap scan whatever the ordering), as its ids and ordering keys
 * only, sorted; then the page's rows by id, in the same order (the same snapshot: the same
 * values). For a term whose kept count says it is rare (searchPath): its cost is that count's —
 * ~2.5× less than carrying every column of every match through the sort (4,500 matches at a
 * million products: 2.4 against 6.1 ms). The bitmap scan reads each match's heap row, so stock is
 * tested and sorted by "Product".stock, without the stock keys' join (an index lookup per match).
 */
function indexedPage(filter: SearchFilter, ordering: Ordering, after: KeyValue[] | undefined, take: number, skip = 0) {
  const matched = kysely
    .selectFrom('Product')
    .select(ordering.map(({ column }) => sql.ref(`Product.${column}`).as(column)))
    .where((eb) => eb.and([...filterConditions(eb, filter, sql.ref<number>('Product.stock')), indexedSearch(filter.search)]))
    .$if(after !== undefined, (query) => query.where(keysetSql(ordering, after!)));
  const ids = kysely
    .with(
      (cte) => cte('matched').materialized(),
      () => matched,
    )
    .selectFrom('matched')
    .select('id')
    .$call(orderedBy(ordering))
    .limit(take)
    .offset(skip);
  const page = kysely
    .selectFrom('Product')
    .select(PAGE_COLUMNS)
    .$if(filter.visibility !== 'public', (query) => query.select('archivedAt'))
    .select(KEPT_VERSION)
    .where(sql<SqlBool>`"Product"."id" = ANY(ARRAY(${ids}))`)
    .$call(orderedBy(ordering));
  return statement(page, { timestamps: 'iso' }) as Statement<VersionedRow>;
}

/** The kept count read for an estimate in each view (SearchGramCount's and CategoryProductCount's columns). */
const VIEW_COUNT = { public: 'visible', staff: 'unarchived', 'staff-all': 'total' } as const satisfies Record<CatalogueView, string>;

/**
 * What SearchGramCount tells about a term (search-path.ts, SearchEstimate), in one statement of a
 * few lookups by key: the term's grams — the term itself when it has one to three characters,
 * else its three-character pieces — that are printable ASCII (spaces included: the counted text
 * joins the fields with spaces), each product matching the term holds every one of them. A gram
 * without a row occurs nowhere. With the version of the kept searches (kept-by-version.ts). Named, one
 * per view.
 */
const searchEstimate = (visibility: CatalogueView) =>
  preparedOnce(`products-search-estimate-${visibility}`, (p: { term: string }) => {
    const counted = sql.ref(`c.${VIEW_COUNT[visibility]}`);
    return sql<{ matches: number | null; rows: number; version: string | null }>`
      WITH pieces AS (
        SELECT DISTINCT substr(t, i, 3) AS gram
        FROM (SELECT lower(${p.term}::text) AS t) AS term, generate_series(1, greatest(length(t) - 2, 1)) AS i
      ), grams AS (SELECT gram FROM pieces WHERE gram ~ '^[ -~]+$')
      SELECT (SELECT CASE WHEN count(*) = 0 THEN NULL WHEN count(c."gram") < count(*) THEN 0 ELSE min(${counted}) END
              FROM grams LEFT JOIN "SearchGramCount" AS c USING ("gram"))::int AS "matches",
             (SELECT coalesce(sum(${sql.ref(VIEW_COUNT[visibility])}), 0) FROM "CategoryProductCount")::int AS "rows",
             (SELECT "version" FROM "SearchCountVersion")::text AS "version"`;
  });

const listCount = (filter: ProductListFilter) =>
  listRows(filter)
    .select(sql<number>`count(*)::int`.as('count'))
    .where((eb) => listConditions(eb, filter));

/** A search's count with the version of the search counts, read in one statement (one snapshot): exact while that version holds. */
const versionedCount = (filter: ProductListFilter) =>
  listCount(filter).select(sql<string | null>`(SELECT "version" FROM "SearchCountVersion")::text`.as('version'));

/**
 * A count the service may keep (SearchCounts): one whose filter depends on nothing but what
 * SearchCountVersion follows — not stock, which every order changes. The key names every filter.
 */
const keptCountKey = ({ visibility, search, categoryId, minPrice, maxPrice, inStock, active }: ProductListFilter): string | undefined =>
  inStock === undefined ? JSON.stringify([visibility, search, categoryId, minPrice, maxPrice, active]) : undefined;

/**
 * A search page the service may keep (SearchPages): one whose count could be kept (keptCountKey)
 * and whose order is not by stock. The key names the filter, the order and the page's place in it.
 */
const keptPageKey = (filter: ProductListFilter, ordering: Ordering, after: KeyValue[] | undefined, skip: number, take: number): string | undefined => {
  const filterKey = keptCountKey(filter);
  if (filterKey === undefined || usesStockKey(filter, ordering)) return undefined;
  return JSON.stringify([filterKey, orderingText(ordering, ','), after ?? null, skip, take]);
};

/**
 * A kept page's rows (SearchPages), read again by id, with their stock of now, while the version
 * the page was kept at still holds (read in the same statement: no row when it has moved). The
 * view's own condition too: a version can repeat after a failover or a restore, and a product
 * hidden since must not show then (fewer rows than ids: the page is read again). Named, one per view.
 */
const keptPageRows = (visibility: CatalogueView) =>
  preparedOnce(
    `products-kept-page-${visibility}`,
    (p: { ids: readonly number[]; version: string }) =>
      kysely
        .selectFrom('Product')
        .select(PAGE_COLUMNS)
        .$if(visibility !== 'public', (query) => query.select('archivedAt'))
        .where(sql<SqlBool>`"Product"."id" = ANY(${p.ids}::int[])`)
        .where((eb) => visible(eb, visibility))
        .where(sql<SqlBool>`(SELECT "version" FROM "SearchCountVersion") = ${p.version}::bigint`),
    { timestamps: 'iso' },
  );

/** A kept page this long or shorter (a default page and the row after it) is read on the key-lookup connection; a longer one takes its own. */
const MAX_KEY_LOOKUP_ROWS = 21;

const TIMESTAMP_COLUMNS = new Set<string>(['createdAt', 'updatedAt', 'archivedAt']);

/**
 * The fields of a product as the API shows it: PAGE_COLUMNS (ProductDto's order), money as text
 * with two places, ISO timestamps, `archivedAt` in the staff views only.
 */
function shownFields(visibility: CatalogueView) {
  const columns = visibility === 'public' ? PAGE_COLUMNS : [...PAGE_COLUMNS, 'archivedAt' as const];
  return columns.map((name) => {
    const column = sql.ref(`Product.${name}`);
    if (name === 'price') return sql`${column}::text`.as(name);
    return (TIMESTAMP_COLUMNS.has(name) ? isoText(column) : column).as(name);
  });
}

/**
 * A product as the API shows it, rendered by PostgreSQL: `to_json` of a row of shownFields writes
 * what JSON.stringify would of ProductDto.from's answer, byte for byte, so that Node sends the text
 * without building an object or serialising it. For a product by id only: a page of 20 rendered
 * this way cost PostgreSQL ~40 % more CPU than it saved in Node — work moved to the one server that
 * does not scale out (README, "Performance").
 */
const shownJson = sql<string>`to_json(shown)`;
const shown = (visibility: CatalogueView) => kysely.selectNoFrom(shownFields(visibility)).as('shown');

/** A row of a list page (typed by its query: the selection above). */
export type ProductListRow = IsoTimestamps<InferResult<ReturnType<typeof listPage>>[number]>;

/**
 * GET /v1/products/{id}, the busiest query of the catalogue: the product rendered by PostgreSQL
 * (shownJson) and its version for the ETag; compiled once, a named statement (parsed and planned
 * once per connection).
 */
const productJsonById = (visibility: CatalogueView) =>
  prepared(`product-json-${visibility}`, (p: { id: number }) =>
    kysely
      .selectFrom('Product')
      .innerJoinLateral(shown(visibility), (join) => join.onTrue())
      .select(['Product.version', sql<string>`${shownJson}::text`.as('product')])
      .where('Product.id', '=', p.id)
      .where((eb) => visible(eb, visibility)),
  );
const PRODUCT_JSON_BY_ID = { public: productJsonById('public'), staff: productJsonById('staff'), 'staff-all': productJsonById('staff-all') };

/** The columns whose ordering index also holds active and "archivedAt" (migration 20261203000000_product_page_covering_indexes). */
const COVERED_ORDERINGS = new Set<string>(['id', 'price', 'name', 'createdAt']);

/**
 * A plain page (visibility its only filter) in an ordering whose index holds the visibility
 * columns: its ids are read from that index alone (an index-only scan: the rows skipped by OFFSET
 * are never fetched), then its rows by id, sorted again. `= ANY(ARRAY(…))` keeps the
 * second step a lookup by id in the generic plan of the named statement, whatever the page
 * size (a join was planned as a hash join over the whole table).
 */
function pageByIds(visibility: CatalogueView, ordering: Ordering, take: number, skip: number) {
  const ids = kysely
    .selectFrom('Product')
    .select('Product.id')
    .where((eb) => visible(eb, visibility))
    .$call(orderedBy(ordering))
    .limit(take)
    .offset(skip);
  return kysely
    .selectFrom('Product')
    .select(PAGE_COLUMNS)
    .$if(visibility !== 'public', (query) => query.select('archivedAt'))
    .where(sql<SqlBool>`"Product"."id" = ANY(ARRAY(${ids}))`)
    .$call(orderedBy(ordering));
}

/**
 * Plain browsing — no filter but visibility — is most of the list traffic, so its statements are
 * compiled once and named: each pooled connection parses and plans them once (a few dozen
 * statements per connection at most). Filtered lists stay unnamed: their combinations are
 * unbounded, and PostgreSQL keeps every named statement for the life of the connection.
 */
function plainPage(visibility: CatalogueView, ordering: Ordering<ProductOrderingColumn>): (p: { take: number; skip: number }) => Statement<ProductListRow> {
  const covered = ordering.every(({ column }) => COVERED_ORDERINGS.has(column));
  return preparedOnce(
    `products-page-${visibility}-${orderingText(ordering, ', ')}`,
    (p: { take: number; skip: number }) =>
      covered ? pageByIds(visibility, ordering, p.take, p.skip) : listPage({ visibility }, ordering).limit(p.take).offset(p.skip),
    { timestamps: 'iso' },
  );
}
/**
 * The count of a list whose only filters are the caller's view, a category and `active`: read from
 * CategoryProductCount, which triggers keep in the same transaction as every product write
 * (migration 20261201150000_product_counts), instead of counting the rows (~200 ms at a million).
 * Each kept count is an expression of its columns: `visible` (active, unarchived), `unarchived`,
 * `total`. Staff with archived products and `active=true` is the one combination they cannot answer.
 */
const KEPT = {
  public: { all: 'visible', active: 'visible', inactive: '0' },
  staff: { all: 'unarchived', active: 'visible', inactive: 'unarchived - visible' },
  'staff-all': { all: 'total', active: undefined, inactive: undefined },
} as const satisfies Record<CatalogueView, Record<'all' | 'active' | 'inactive', string | undefined>>;

/** One named statement per counted expression, with or without a category (at most 10). */
function keptCount(counted: string, inCategory: boolean): (p: { categoryId?: number }) => Statement<{ count: number }> {
  return preparedOnce(`products-count-${counted.replace(/\W+/g, '-')}${inCategory ? '-category' : ''}`, (p: { categoryId?: number }) =>
    kysely
      .selectFrom('CategoryProductCount')
      .select(sql<number>`coalesce(sum(${sql.raw(counted)}), 0)::int`.as('count'))
      .$if(inCategory, (query) => query.where('categoryId', '=', p.categoryId!)),
  );
}

/**
 * A term whose matches SearchGramCount counts (migration 20261202120000_search_gram_counts): one to
 * three printable ASCII characters, which PostgreSQL lower-cases one for one in any locale, so the
 * lower-cased term is one gram exactly (no spaces: the API trims a term, and a three-character one
 * with a space inside could span two fields, which a gram holding that space may do).
 */
const isCountedGram = (search: string | undefined): search is string => search !== undefined && /^[\x21-\x7e]{1,3}$/.test(search);

/** One named statement per counted expression (at most three): the row of the lower-cased term, 0 without one. */
function keptGramCount(counted: string): (p: { term: string }) => Statement<{ count: number }> {
  return preparedOnce(`products-count-gram-${counted.replace(/\W+/g, '-')}`, (p: { term: string }) =>
    kysely
      .selectFrom('SearchGramCount')
      .select(sql<number>`coalesce(sum(${sql.raw(counted)}), 0)::int`.as('count'))
      .where('gram', '=', sql<string>`lower(${p.term}::text)`),
  );
}

/** The statement reading a list's count from the kept counts, or undefined when they cannot answer it. */
function keptCountOf(filter: ProductListFilter): Statement<{ count: number }> | undefined {
  const { visibility, categoryId, active, search, ...others } = filter;
  const counted = KEPT[visibility][active === undefined ? 'all' : active ? 'active' : 'inactive'];
  if (counted === undefined || Object.values(others).some((value) => value !== undefined)) return undefined;
  if (search === undefined) return keptCount(counted, categoryId !== undefined)({ categoryId });
  if (categoryId === undefined && isCountedGram(search)) return keptGramCount(counted)({ term: search });
  return undefined;
}

/** The count statement of a list: kept counts where they answer it, else counting the matching rows. */
const countOf = (filter: ProductListFilter): Statement<{ count: number }> => keptCountOf(filter) ?? statement(listCount(filter));

/**
 * A short search's condition computes "Product_search_grams" of every row a sequential scan reads
 * (~15 µs each: 0.7 s for a common character at 100,000 products), while a bitmap scan of its index
 * needs none of them (30 ms); the planner costs the two alike and may pick the first. So such lists
 * plan without sequential scans (README, "Indexes").
 */
const INDEX_SCANS_ONLY: ReadOptions = Object.freeze({ indexScansOnly: true });
const readOptions = (filter: ProductListFilter): ReadOptions | undefined => (isShortSearch(filter.search) ? INDEX_SCANS_ONLY : undefined);

const isPlain = ({ visibility: _visibility, ...filters }: ProductListFilter) => Object.values(filters).every((value) => value === undefined);
/** A search with no other filter than the view. */
const isPlainSearch = ({ search: _search, ...filter }: ProductListFilter) => isPlain(filter);

/** The public catalogue may be read from a replica; staff see the primary (their own writes included). */
const readFrom = (visibility: CatalogueView): ReadFrom => (visibility === 'public' ? 'replica' : 'primary');

const isSearch = (filter: ProductListFilter): filter is SearchFilter => filter.search !== undefined && filter.search !== '';

/** A page statement as the planner plans it: plain browsing named (plainPage), any other list compiled per request. */
function pageStatement(filter: ProductListFilter, ordering: Ordering<ProductOrderingColumn>, take: number, skip: number): Statement<ProductListRow> {
  if (isPlain(filter) && ordering.length <= 2) return plainPage(filter.visibility, ordering)({ take, skip });
  return statement(listPage(filter, ordering).limit(take).offset(skip), { timestamps: 'iso' });
}

/**
 * The order a walk reads the table in: ids are handed out in insertion order, and so is createdAt,
 * so both follow the heap (search-path.ts, WalkOrder); any other column's index is scattered over it.
 */
const walkOrder = (ordering: Ordering): WalkOrder => (ordering[0].column === 'id' || ordering[0].column === 'createdAt' ? 'physical' : 'scattered');

/** What the kept counts say of a search's term, and the path of a page that needs its first `need` matches. */
async function searchPathOf(
  reader: SqlRunner,
  filter: SearchFilter,
  ordering: Ordering,
  need: number,
): Promise<{ estimate: SearchEstimate; path: SearchPath; countsVersion: bigint | undefined }> {
  const [row] = await reader.rows(searchEstimate(filter.visibility)({ term: filter.search }), BY_KEY);
  const estimate: SearchEstimate = { matches: row.matches, exact: isCountedGram(filter.search), rows: row.rows };
  return { estimate, path: searchPath(estimate, need, walkOrder(ordering)), countsVersion: row.version === null ? undefined : BigInt(row.version) };
}

/**
 * A search's page read by its path: rows `skip` to `skip + take` of the matches (after `after`),
 * or undefined when the path leaves it to the planner. `walked`: rows a first walk (walksFirst)
 * already read in vain; a walk no longer than that is not repeated.
 */
async function searchedRows(
  reader: SqlRunner,
  path: SearchPath,
  filter: SearchFilter,
  ordering: Ordering,
  after: KeyValue[] | undefined,
  take: number,
  skip = 0,
  walked = 0,
): Promise<VersionedPage | undefined> {
  if (path.read === 'none') return { rows: [], version: undefined };
  if (path.read === 'planner') return undefined;
  if (path.read === 'walk') {
    if (path.rows > walked) {
      const rows = await reader.rows(versionedWalkedPage(filter, ordering, after, skip + take, path.rows));
      if (rows.length === skip + take) return versionedPage(rows.slice(skip));
    }
    if (path.then === 'planner') return undefined;
  }
  return versionedPage(await reader.rows(indexedPage(filter, ordering, after, take, skip), INDEX_SCANS_ONLY));
}

/** How many rows a one-character search's first walk reads at most in that ordering (firstWalkRows). */
const firstWalkLength = (ordering: Ordering) => firstWalkRows(walkOrder(ordering));

/** A one-character search's first walk (walksFirst): the rows it read, or undefined when it does not walk first. */
const firstWalk = (reader: SqlRunner, filter: SearchFilter, ordering: Ordering, after: KeyValue[] | undefined, need: number) =>
  walksFirst(filter.search, need) ? reader.rows(walkedPage(filter, ordering, after, need, firstWalkLength(ordering))) : Promise.resolve(undefined);

@Injectable()
export class ProductsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly readers: DatabaseReaders,
    private readonly searchCounts: SearchCounts,
    private readonly searchPages: SearchPages,
  ) {}

  /** The product as the API shows it to that view (rendered by PostgreSQL), with its version. */
  async findVisible(id: number, visibility: CatalogueView): Promise<{ product: JsonText<ProductListRow>; version: number } | null> {
    const [row] = await this.readers.sql(readFrom(visibility)).rows(PRODUCT_JSON_BY_ID[visibility]({ id }), BY_KEY);
    return row ? { product: new JsonText(row.product), version: row.version } : null;
  }

  /**
   * Count and page. A search first reads what the kept counts say of its term (searchPath; one
   * character walks beside it, walksFirst): nothing more when it occurs nowhere, else the page by
   * that path and its count — the estimate's when the term's count is exact and the view the only
   * filter — each statement on a connection of its own. Any other list: two statements, no
   * transaction (a page is a snapshot-free read), sent together on one connection
   * (SqlRunner.rowsOfBoth).
   */
  async list(filter: ProductListFilter, ordering: Ordering<ProductOrderingColumn>, skip: number, take: number): Promise<[number, ProductListRow[]]> {
    const reader = this.readers.sql(readFrom(filter.visibility));
    if (!isSearch(filter)) {
      const [[{ count }], page] = await reader.rowsOfBoth(countOf(filter), pageStatement(filter, ordering, take, skip));
      return [count, page];
    }
    const need = skip + take;
    const [{ estimate, path, countsVersion }, first] = await Promise.all([
      searchPathOf(reader, filter, ordering, need),
      firstWalk(reader, filter, ordering, undefined, need),
    ]);
    if (path.read === 'none') return [0, []];
    const count = async () => {
      if (estimate.exact && isPlainSearch(filter)) return estimate.matches!;
      const kept = keptCountOf(filter);
      return kept ? (await reader.rows(kept))[0].count : this.searchCount(reader, filter, countsVersion);
    };
    const page = async () =>
      first?.length === need
        ? first.slice(skip)
        : this.searchPage(reader, filter, ordering, { path, countsVersion }, undefined, take, skip, first ? firstWalkLength(ordering) : 0);
    return Promise.all([count(), page()]);
  }

  /**
   * A search's page (rows `skip` to `skip + take` of its matches after `after`): the one
   * SearchPages keeps for the current version (`countsVersion`, read by the estimate), its rows read
   * again by id in the kept order, unless the version has moved since; else read by its path and
   * kept at the version read with it. `walked`: rows a first walk (walksFirst) read in vain; such a
   * page is not kept (a one-character page walks before the version is known).
   */
  private async searchPage(
    reader: SqlRunner,
    filter: SearchFilter,
    ordering: Ordering,
    search: { path: SearchPath; countsVersion: bigint | undefined },
    after: KeyValue[] | undefined,
    take: number,
    skip: number,
    walked: number,
  ): Promise<ProductListRow[]> {
    const key = walked === 0 ? keptPageKey(filter, ordering, after, skip, take) : undefined;
    const { countsVersion } = search;
    const ids = key === undefined || countsVersion === undefined ? undefined : this.searchPages.get(key, countsVersion);
    if (ids !== undefined) {
      const rows = await reader.rows(
        keptPageRows(filter.visibility)({ ids, version: countsVersion!.toString() }),
        ids.length <= MAX_KEY_LOOKUP_ROWS ? BY_KEY : undefined,
      );
      if (rows.length === ids.length) {
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id)!);
      }
    }
    const page =
      (await searchedRows(reader, search.path, filter, ordering, after, take, skip, walked)) ??
      versionedPage(await reader.rows(plannedSearchPage(filter, ordering, after, take, skip), readOptions(filter)));
    if (key !== undefined && page.version !== undefined)
      this.searchPages.keep(
        key,
        page.version,
        page.rows.map(({ id }) => id),
      );
    return page.rows;
  }

  /**
   * A search's count that no kept count answers: the one SearchCounts keeps (or is reading) for
   * the current version (`countsVersion`, read by the estimate), else the matches counted, with the
   * version they were counted at, which is kept.
   */
  private async searchCount(reader: SqlRunner, filter: SearchFilter, countsVersion: bigint | undefined): Promise<number> {
    const key = keptCountKey(filter);
    if (key === undefined || countsVersion === undefined) return (await reader.rows(statement(listCount(filter)), readOptions(filter)))[0].count;
    return this.searchCounts.read(key, countsVersion, async () => {
      const [{ count, version }] = await reader.rows(statement(versionedCount(filter)), readOptions(filter));
      return { value: count, version: version === null ? -1n : BigInt(version) }; // -1: never a version the estimate reads
    });
  }

  /**
   * A cursor page: the rows after `after` (a keyset condition an index range reads directly, so
   * the 10,000th page costs what the first does), in `ordering`, `take` of them. No count. A search
   * reads by its path (searchPath), as a numbered page does; one character walks first.
   */
  async listAfter(
    filter: ProductListFilter,
    ordering: Ordering<ProductOrderingColumn>,
    after: KeyValue[] | undefined,
    take: number,
  ): Promise<ProductListRow[]> {
    const reader = this.readers.sql(readFrom(filter.visibility));
    if (isSearch(filter)) {
      const first = await firstWalk(reader, filter, ordering, after, take);
      if (first?.length === take) return first;
      return this.searchPage(
        reader,
        filter,
        ordering,
        await searchPathOf(reader, filter, ordering, take),
        after,
        take,
        0,
        first ? firstWalkLength(ordering) : 0,
      );
    }
    return reader.rows(statement(listPageAfter(filter, ordering, after).limit(take), { timestamps: 'iso' }), readOptions(filter));
  }

  async create(data: Partial<ProductData> & Omit<ProductData, 'description' | 'active'>): Promise<ProductRecord | ProductWriteRefusal> {
    try {
      return toRecord(await this.prisma.product.create({ data }));
    } catch (error) {
      return refusal(error);
    }
  }

  /**
   * One conditional UPDATE … RETURNING: applies only when the precondition's version still
   * holds, and bumps the version. undefined when no row matched (missing or stale).
   */
  async update(id: number, data: Partial<ProductData>, precondition: Precondition): Promise<ProductRecord | undefined | ProductWriteRefusal> {
    try {
      const [row] = await this.prisma.product.updateManyAndReturn({
        where: { id, ...versionWhere(precondition) },
        data: { ...data, version: { increment: 1 } },
      });
      return row && toRecord(row);
    } catch (error) {
      return refusal(error);
    }
  }

  /** Archives (soft-deletes) the product; archiving an archived one changes nothing. False when it does not exist. */
  async archive(id: number): Promise<boolean> {
    const { count } = await this.prisma.product.updateMany({
      where: { id, archivedAt: null },
      data: { archivedAt: new Date(), version: { increment: 1 } },
    });
    return count === 1 || (await this.prisma.product.count({ where: { id } })) === 1;
  }
}
