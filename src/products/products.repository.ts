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
import { BY_KEY, type ReadOptions } from '../database/sql-runner.js';
import { prepared, preparedOnce, type Statement, statement } from '../database/statement.js';
import type { IsoTimestamps } from '../database/utc-timestamps.js';
import type { Product } from '../generated/prisma/client.js';
import type { PRODUCT_ORDERING_FIELDS } from './dto/list-products-query.dto.js';

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
/** A term of one character: its pages walk first (singleCharacterWalk). */
const isSingleCharacterSearch = (search: string | undefined): search is string => search !== undefined && [...search].length === 1;

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

/** The list's conditions but its search: each a parameter or fixed SQL. */
function filterConditions(eb: ProductExpressions, filter: ProductListFilter): Expression<SqlBool>[] {
  const conditions = [visible(eb, filter.visibility)];
  if (filter.categoryId !== undefined) conditions.push(eb('categoryId', '=', filter.categoryId));
  if (filter.minPrice) conditions.push(eb('price', '>=', filter.minPrice));
  if (filter.maxPrice) conditions.push(eb('price', '<=', filter.maxPrice));
  if (filter.inStock !== undefined) conditions.push(eb(STOCK_KEY, filter.inStock ? '>' : '=', eb.lit(0)));
  if (filter.active !== undefined) conditions.push(filter.active ? eb.ref('active') : eb.not(eb.ref('active')));
  return conditions;
}

/**
 * A short term's exact test: ILIKE's own definition (it compares lower-cased text) written with
 * strpos, which the trigram indexes cannot take: offered a short ILIKE, the planner ANDs in a
 * trigram scan that returns every row.
 */
const shortSearchMatch = (term: RawBuilder<string>) =>
  sql<SqlBool>`(${sql.join(
    SEARCHED_COLUMNS.map((column) => sql`strpos(lower(${sql.ref(column)}), ${term}) > 0`),
    sql` OR `,
  )})`;

/** A short term, lower-cased as PostgreSQL does, one parameter however often it is used. */
const shortTerm = (search: string) => sql<string>`lower(${shared(search)}::text)`;

/** The list's conditions; the search runs through the search indexes (README, "Indexes"). */
function listConditions(eb: ProductExpressions, filter: ProductListFilter): Expression<SqlBool> {
  const conditions = filterConditions(eb, filter);
  if (isShortSearch(filter.search)) {
    // A term too short for a trigram finds its rows through the index of every character and
    // character pair (migration 20261201180000_search_grams): the rows whose text holds all of the
    // term's; the exact test follows.
    const term = shortTerm(filter.search);
    conditions.push(sql<SqlBool>`${searchGrams(SEARCHED_TEXT)} @> ${searchGrams(term)}`);
    conditions.push(shortSearchMatch(term));
  } else if (filter.search) {
    const pattern = shared(`%${escapeLike(filter.search)}%`);
    conditions.push(eb.or(SEARCHED_COLUMNS.map((column) => eb(column, 'ilike', pattern))));
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

/**
 * How many rows, in page order, a one-character search's page (cursor or numbered) reads before it
 * turns to the search index. A character in at least ~2 % of the rows fills a page within them, and nearly
 * every character is that common; the index's list of such a character is long (a sixth of the
 * table for "a"), and the planner, which knows a character's frequency but not where its rows
 * lie, may read much more of it than a page needs. Measured at a million products, 32 concurrent
 * searches of random single characters: 1,260 → 2,600 pages/s. Not for two characters: most pairs
 * are rare, so most walks would be wasted (random pairs: 1,100 → 800 pages/s with the walk).
 */
const SINGLE_CHARACTER_WALK = 1000;

/**
 * A one-character search's page read from the first SINGLE_CHARACTER_WALK rows after the cursor
 * (or from the start) that pass the other filters, in page order, tested with the exact match.
 * When `take` of them match, those are the page exactly: every row the walk did not read comes
 * later in the order. Otherwise the page is read through the search index (list, listAfter). The
 * walk is ordered by the ordering's index; its rows show "Product".stock, which equals the stock
 * key it is sorted by.
 */
function singleCharacterWalk(filter: ProductListFilter & { search: string }, ordering: Ordering, after: KeyValue[] | undefined, take: number) {
  const walk = listRows(filter, ordering)
    .select(PAGE_COLUMNS)
    .$if(filter.visibility !== 'public', (query) => query.select('archivedAt'))
    .where((eb) => eb.and(filterConditions(eb, filter)))
    .$if(after !== undefined, (query) => query.where(keysetSql(sqlOrdering(ordering), after!)))
    .$call(orderedBy(sqlOrdering(ordering)))
    .limit(SINGLE_CHARACTER_WALK);
  const page = kysely
    .selectFrom(walk.as('walked'))
    .selectAll()
    .where(shortSearchMatch(shortTerm(filter.search)))
    .$call(orderedBy(ordering))
    .limit(take);
  return statement(page, { timestamps: 'iso' }) as Statement<ProductListRow>;
}

const listCount = (filter: ProductListFilter) =>
  listRows(filter)
    .select(sql<number>`count(*)::int`.as('count'))
    .where((eb) => listConditions(eb, filter));

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

/** The count statement of a list: kept counts where they answer it, else counting the matching rows. */
function countOf(filter: ProductListFilter): Statement<{ count: number }> {
  const { visibility, categoryId, active, search, ...others } = filter;
  const counted = KEPT[visibility][active === undefined ? 'all' : active ? 'active' : 'inactive'];
  if (counted === undefined || Object.values(others).some((value) => value !== undefined)) return statement(listCount(filter));
  if (search === undefined) return keptCount(counted, categoryId !== undefined)({ categoryId });
  if (categoryId === undefined && isCountedGram(search)) return keptGramCount(counted)({ term: search });
  return statement(listCount(filter));
}

/**
 * A short search's condition computes "Product_search_grams" of every row a sequential scan reads
 * (~15 µs each: 0.7 s for a common character at 100,000 products), while a bitmap scan of its index
 * needs none of them (30 ms); the planner costs the two alike and may pick the first. So such lists
 * plan without sequential scans (README, "Indexes").
 */
const readOptions = (filter: ProductListFilter): ReadOptions | undefined => (isShortSearch(filter.search) ? { indexScansOnly: true } : undefined);

const isPlain = ({ visibility: _visibility, ...filters }: ProductListFilter) => Object.values(filters).every((value) => value === undefined);

/** The public catalogue may be read from a replica; staff see the primary (their own writes included). */
const readFrom = (visibility: CatalogueView): ReadFrom => (visibility === 'public' ? 'replica' : 'primary');

@Injectable()
export class ProductsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly readers: DatabaseReaders,
  ) {}

  /** The product as the API shows it to that view (rendered by PostgreSQL), with its version. */
  async findVisible(id: number, visibility: CatalogueView): Promise<{ product: JsonText<ProductListRow>; version: number } | null> {
    const [row] = await this.readers.sql(readFrom(visibility)).rows(PRODUCT_JSON_BY_ID[visibility]({ id }), BY_KEY);
    return row ? { product: new JsonText(row.product), version: row.version } : null;
  }

  /**
   * Count and page: two statements, no transaction (a page is a snapshot-free read), sent together
   * on one connection (SqlRunner.rowsOfBoth), or for a short search in parallel, each in a read-only
   * transaction of its own (ReadOptions). A
   * one-character search's page that ends within a walk's length (skip + take ≤
   * SINGLE_CHARACTER_WALK) first tries the walk, as a cursor page does: when the walk holds
   * `skip + take` matches, the last `take` of them are the page exactly.
   */
  async list(filter: ProductListFilter, ordering: Ordering<ProductOrderingColumn>, skip: number, take: number): Promise<[number, ProductListRow[]]> {
    const reader = this.readers.sql(readFrom(filter.visibility));
    const plain = isPlain(filter) && ordering.length <= 2;
    const pageStatement = () =>
      plain ? plainPage(filter.visibility, ordering)({ take, skip }) : statement(listPage(filter, ordering).limit(take).offset(skip), { timestamps: 'iso' });
    const options = readOptions(filter);
    if (!options?.indexScansOnly) {
      const [[{ count }], page] = await reader.rowsOfBoth(countOf(filter), pageStatement());
      return [count, page];
    }
    // A short search: count and page each in a transaction of their own (ReadOptions), the page maybe walked first.
    const readPage = async () => {
      if (isSingleCharacterSearch(filter.search) && skip + take <= SINGLE_CHARACTER_WALK) {
        const walked = await reader.rows(singleCharacterWalk({ ...filter, search: filter.search }, ordering, undefined, skip + take));
        if (walked.length === skip + take) return walked.slice(skip);
      }
      return reader.rows(pageStatement(), options);
    };
    const [count, page] = await Promise.all([reader.rows(countOf(filter), options), readPage()]);
    return [count[0].count, page];
  }

  /**
   * A cursor page: the rows after `after` (a keyset condition an index range reads directly, so
   * the 10,000th page costs what the first does), in `ordering`, `take` of them. No count. A
   * one-character search first tries the rows right after the cursor (singleCharacterWalk).
   */
  async listAfter(
    filter: ProductListFilter,
    ordering: Ordering<ProductOrderingColumn>,
    after: KeyValue[] | undefined,
    take: number,
  ): Promise<ProductListRow[]> {
    const reader = this.readers.sql(readFrom(filter.visibility));
    if (isSingleCharacterSearch(filter.search)) {
      const walked = await reader.rows(singleCharacterWalk({ ...filter, search: filter.search }, ordering, after, take));
      if (walked.length === take) return walked;
    }
    const query = listPage(filter, ordering)
      .$if(after !== undefined, (q) => q.where(keysetSql(sqlOrdering(ordering), after!)))
      .limit(take);
    return reader.rows(statement(query, { timestamps: 'iso' }), readOptions(filter));
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
