import { Injectable } from '@nestjs/common';
import { type Precondition, versionWhere } from '../common/http/entity-tag.js';
import type { Decimal } from '../common/money/money.js';
import { type KeyValue, keysetSql } from '../common/pagination/cursor.js';
import type { OrderBy } from '../common/pagination/ordering.js';
import { Problems } from '../common/problems/problem-types.js';
import { mapDatabaseError } from '../database/database-errors.js';
import { DatabaseReaders, type ReadFrom } from '../database/database-readers.js';
import { PrismaService } from '../database/prisma.service.js';
import { UTC_TIMESTAMPS_AS_ISO } from '../database/utc-timestamps.js';
import type { ProductDto } from './dto/product.dto.js';
import type { Product } from '../generated/prisma/client.js';

export interface ProductData {
  sku: string;
  name: string;
  description: string;
  price: Decimal;
  stock: number;
  categoryId: number;
  active: boolean;
}

/** public: active and not archived; staff: also inactive; staff-all: also archived. */
export type Visibility = 'public' | 'staff' | 'staff-all';

export interface ProductListFilter {
  visibility: Visibility;
  search?: string;
  categoryId?: number;
  minPrice?: Decimal;
  maxPrice?: Decimal;
  inStock?: boolean;
  active?: boolean;
}

/** Writes the database refused: the sku is taken (unique index), the category does not exist (foreign key). */
export const DUPLICATE_SKU = 'duplicate-sku';
export const UNKNOWN_CATEGORY = 'unknown-category';
export type WriteRefusal = typeof DUPLICATE_SKU | typeof UNKNOWN_CATEGORY;

const SEARCHED_COLUMNS = ['name', 'sku', 'description'] as const;
/** Exactly the expression of the index "Product_search_chars_idx" (an array of characters), so that the planner can use it. */
const SEARCH_CHARS = `string_to_array(lower(name || ' ' || sku || ' ' || description), NULL)`;
/** The only columns a list may be ordered by (see PRODUCT_ORDERING_FIELDS): each has an index. */
const ORDERABLE_COLUMNS = new Set(['id', 'sku', 'name', 'price', 'stock', 'createdAt']);

// A client's "%", "_" or "\" in a search term must match literally (backslash is LIKE's escape character).
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** sku is the only unique column, categoryId the only foreign key a product write can violate. */
function refusal(error: unknown): WriteRefusal {
  const problem = mapDatabaseError(error)?.problem;
  if (problem === Problems.duplicate) return DUPLICATE_SKU;
  if (problem === Problems.inUse) return UNKNOWN_CATEGORY;
  throw error;
}

/**
 * A product as Prisma returns it (writes) or as raw SQL reads it (the hot reads): then the price is
 * PostgreSQL's text ("19.99") and the timestamps ISO strings (see UTC_TIMESTAMPS_AS_ISO).
 */
export type ProductRow = Omit<Product, 'price' | 'archivedAt' | 'createdAt' | 'updatedAt'> & {
  price: Decimal | string;
  archivedAt: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
};

const PRODUCT_COLUMNS = 'id, sku, name, description, price, stock, "categoryId", active, version, "archivedAt", "createdAt", "updatedAt"';

/**
 * A page of a list is read as the API shows it: ProductDto's fields in its order, the price as
 * text with two places, timestamps as ISO strings, `archivedAt` only in the staff views. The rows
 * need no mapping, which was a tenth of the work of a page (keep in step with ProductDto.from).
 */
const PUBLIC_LIST_COLUMNS = 'id, sku, name, description, price, stock, "categoryId", active, "createdAt", "updatedAt"';
const LIST_COLUMNS: Record<Visibility, string> = {
  public: PUBLIC_LIST_COLUMNS,
  staff: `${PUBLIC_LIST_COLUMNS}, "archivedAt"`,
  'staff-all': `${PUBLIC_LIST_COLUMNS}, "archivedAt"`,
};
const VISIBILITY_SQL: Record<Visibility, string> = {
  public: 'active AND "archivedAt" IS NULL',
  staff: '"archivedAt" IS NULL',
  'staff-all': 'TRUE',
};

/**
 * The WHERE clause of a list and its parameters. Every condition is a parameter or a fixed SQL
 * fragment; the search runs through the trigram indexes (README, "Indexes").
 */
function listWhere(filter: ProductListFilter): { where: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const conditions = [VISIBILITY_SQL[filter.visibility]];
  if (filter.categoryId !== undefined) conditions.push(`"categoryId" = ${param(filter.categoryId)}`);
  if (filter.minPrice) conditions.push(`price >= ${param(filter.minPrice.toFixed(2))}`);
  if (filter.maxPrice) conditions.push(`price <= ${param(filter.maxPrice.toFixed(2))}`);
  if (filter.inStock !== undefined) conditions.push(filter.inStock ? 'stock > 0' : 'stock = 0');
  if (filter.active !== undefined) conditions.push(filter.active ? 'active' : 'NOT active');
  if (filter.search && [...filter.search].length < 3) {
    // A term too short for a trigram finds its candidates — the rows holding each of its characters —
    // through the characters index (migration 20261201120000_list_scale). The exact test is ILIKE's
    // own definition (it compares lower-cased text) written with strpos, which the trigram indexes
    // cannot take: offered a short ILIKE, the planner ANDs in a trigram scan that returns every row.
    const term = param(filter.search);
    conditions.push(`${SEARCH_CHARS} @> string_to_array(lower(${term}::text), NULL)`);
    conditions.push(`(${SEARCHED_COLUMNS.map((column) => `strpos(lower(${column}), lower(${term}::text)) > 0`).join(' OR ')})`);
  } else if (filter.search) {
    const pattern = param(`%${escapeLike(filter.search)}%`);
    conditions.push(`(${SEARCHED_COLUMNS.map((column) => `${column} ILIKE ${pattern}`).join(' OR ')})`);
  }
  return { where: conditions.join(' AND '), values };
}

/**
 * Plain browsing — no filter but visibility, one ordering field — is most of the list traffic, so
 * its statements are named: each pooled connection parses and plans them once (a few dozen
 * statements per connection at most). Filtered lists stay unnamed: their combinations are unbounded,
 * and PostgreSQL keeps every named statement for the life of the connection.
 */
function statementNames(filter: ProductListFilter, orderBy: OrderBy): { count?: string; page?: string } {
  const { visibility, ...filters } = filter;
  const plain = Object.values(filters).every((value) => value === undefined) && orderBy.length <= 2;
  if (!plain) return {};
  const ordering = orderBy.map((entry) => Object.entries(entry)[0].join(' ')).join(', ');
  return { count: `products-count-${visibility}`, page: `products-page-${visibility}-${ordering}` };
}

function orderByClause(orderBy: OrderBy): string {
  return orderBy
    .flatMap((entry) => Object.entries(entry))
    .map(([column, direction]) => {
      if (!ORDERABLE_COLUMNS.has(column)) throw new Error(`not an orderable product column: ${column}`);
      return `"${column}" ${direction === 'desc' ? 'DESC' : 'ASC'}`;
    })
    .join(', ');
}

/** The public catalogue may be read from a replica; staff see the primary (their own writes included). */
const readFrom = (visibility: Visibility): ReadFrom => (visibility === 'public' ? 'replica' : 'primary');

@Injectable()
export class ProductsRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly readers: DatabaseReaders,
  ) {}

  /**
   * The detail read, GET /v1/products/{id}: the busiest query of the catalogue, so raw SQL rather
   * than Prisma's query engine, and a named statement, parsed and planned once per connection.
   */
  async findVisible(id: number, visibility: Visibility): Promise<ProductRow | null> {
    const { rows } = await this.readers.pool(readFrom(visibility)).query<ProductRow>({
      name: `product-${visibility}`,
      text: `SELECT ${PRODUCT_COLUMNS} FROM "Product" WHERE id = $1 AND ${VISIBILITY_SQL[visibility]}`,
      values: [id],
      types: UTC_TIMESTAMPS_AS_ISO,
    });
    return rows[0] ?? null;
  }

  /**
   * Count and page in parallel (two statements, no transaction: a page is a snapshot-free read).
   * GET /v1/products is the second busiest endpoint, so raw SQL rather than Prisma's query engine.
   */
  async list(filter: ProductListFilter, orderBy: OrderBy, skip: number, take: number): Promise<[number, ProductDto[]]> {
    const { where, values } = listWhere(filter);
    const names = statementNames(filter, orderBy);
    const n = values.length;
    const reader = this.readers.pool(readFrom(filter.visibility));
    const [count, page] = await Promise.all([
      reader.query<{ count: number }>({ name: names.count, text: `SELECT count(*)::int AS count FROM "Product" WHERE ${where}`, values }),
      reader.query<ProductDto>({
        name: names.page,
        text: `SELECT ${LIST_COLUMNS[filter.visibility]} FROM "Product" WHERE ${where} ORDER BY ${orderByClause(orderBy)} LIMIT $${n + 1} OFFSET $${n + 2}`,
        values: [...values, take, skip],
        types: UTC_TIMESTAMPS_AS_ISO,
      }),
    ]);
    return [count.rows[0].count, page.rows];
  }

  /**
   * A cursor page: the rows after `after` (a keyset condition an index range reads directly, so
   * the 10,000th page costs what the first does), in `order`, `take` of them. No count.
   */
  async listAfter(filter: ProductListFilter, order: OrderBy, after: KeyValue[] | undefined, take: number): Promise<ProductDto[]> {
    const { where, values } = listWhere(filter);
    const param = (value: unknown) => `$${values.push(value)}`;
    const keyset = after ? ` AND ${keysetSql(order, after, param)}` : '';
    const { rows } = await this.readers.pool(readFrom(filter.visibility)).query<ProductDto>({
      text: `SELECT ${LIST_COLUMNS[filter.visibility]} FROM "Product" WHERE ${where}${keyset} ORDER BY ${orderByClause(order)} LIMIT ${param(take)}`,
      values,
      types: UTC_TIMESTAMPS_AS_ISO,
    });
    return rows;
  }

  async create(data: Partial<ProductData> & Omit<ProductData, 'description' | 'active'>): Promise<Product | WriteRefusal> {
    try {
      return await this.prisma.product.create({ data });
    } catch (error) {
      return refusal(error);
    }
  }

  /**
   * One conditional UPDATE … RETURNING: applies only when the precondition's version still
   * holds, and bumps the version. undefined when no row matched (missing or stale).
   */
  async update(id: number, data: Partial<ProductData>, precondition: Precondition): Promise<Product | undefined | WriteRefusal> {
    try {
      const rows = await this.prisma.product.updateManyAndReturn({
        where: { id, ...versionWhere(precondition) },
        data: { ...data, version: { increment: 1 } },
      });
      return rows[0];
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
