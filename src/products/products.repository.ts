import { Injectable } from '@nestjs/common';
import { type Precondition, versionWhere } from '../common/http/entity-tag.js';
import type { Decimal } from '../common/money/money.js';
import type { OrderBy } from '../common/pagination/ordering.js';
import { Problems } from '../common/problems/problem-types.js';
import { mapDatabaseError } from '../database/database-errors.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Prisma, Product } from '../generated/prisma/client.js';

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
}

/** Writes the database refused: the sku is taken (unique index), the category does not exist (foreign key). */
export const DUPLICATE_SKU = 'duplicate-sku';
export const UNKNOWN_CATEGORY = 'unknown-category';
export type WriteRefusal = typeof DUPLICATE_SKU | typeof UNKNOWN_CATEGORY;

const SEARCHED_FIELDS = ['name', 'sku', 'description'] as const;

// Prisma passes `contains` through to LIKE unescaped: a client's "%" or "_" must match literally.
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** sku is the only unique column, categoryId the only foreign key a product write can violate. */
function refusal(error: unknown): WriteRefusal {
  const problem = mapDatabaseError(error)?.problem;
  if (problem === Problems.duplicate) return DUPLICATE_SKU;
  if (problem === Problems.inUse) return UNKNOWN_CATEGORY;
  throw error;
}

function visibilityWhere(visibility: Visibility): Prisma.ProductWhereInput {
  if (visibility === 'public') return { active: true, archivedAt: null };
  return visibility === 'staff' ? { archivedAt: null } : {};
}

function listWhere(filter: ProductListFilter): Prisma.ProductWhereInput {
  const where: Prisma.ProductWhereInput = visibilityWhere(filter.visibility);
  if (filter.categoryId !== undefined) where.categoryId = filter.categoryId;
  if (filter.minPrice || filter.maxPrice) where.price = { gte: filter.minPrice, lte: filter.maxPrice };
  if (filter.inStock !== undefined) where.stock = filter.inStock ? { gt: 0 } : 0;
  if (filter.search) {
    const contains = escapeLike(filter.search);
    where.OR = SEARCHED_FIELDS.map((field) => ({ [field]: { contains, mode: 'insensitive' } }));
  }
  return where;
}

@Injectable()
export class ProductsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findVisible(id: number, visibility: Visibility): Promise<Product | null> {
    return this.prisma.product.findFirst({ where: { id, ...visibilityWhere(visibility) } });
  }

  /** Count and page in parallel (two statements, no transaction: a page is a snapshot-free read). */
  list(filter: ProductListFilter, orderBy: OrderBy, skip: number, take: number): Promise<[number, Product[]]> {
    const where = listWhere(filter);
    return Promise.all([
      this.prisma.product.count({ where }),
      this.prisma.product.findMany({ where, orderBy: orderBy as Prisma.ProductOrderByWithRelationInput[], skip, take }),
    ]);
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
