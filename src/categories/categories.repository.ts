import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { Precondition } from '../common/concurrency/row-version.js';
import { versionWhere } from '../database/version-where.js';
import { classifyDatabaseError } from '../database/database-errors.js';
import { DatabaseReaders, type ReadFrom } from '../database/database-readers.js';
import { kysely } from '../database/kysely.js';
import { type Ordering, orderedBy } from '../database/ordering.js';
import { PrismaService } from '../database/prisma.service.js';
import { statement } from '../database/statement.js';
import type { Category } from '../generated/prisma/client.js';
import type { CATEGORY_ORDERING_FIELDS } from './dto/list-categories-query.dto.js';

export interface CategoryData {
  name: string;
  slug: string;
  description: string;
}

/** The columns a list may be ordered by: the values of the API's whitelist (CATEGORY_ORDERING_FIELDS). */
export type CategoryOrderingColumn = (typeof CATEGORY_ORDERING_FIELDS)[keyof typeof CATEGORY_ORDERING_FIELDS];

/** A write whose slug another category already has (the unique index refused it). */
export type CategoryWriteRefusal = { refused: 'duplicate'; field: 'slug' };

/** slug is the only unique column a write can collide on. */
function refusal(error: unknown): CategoryWriteRefusal {
  if (classifyDatabaseError(error)?.kind === 'unique-violation') return { refused: 'duplicate', field: 'slug' };
  throw error;
}

@Injectable()
export class CategoriesRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly readers: DatabaseReaders,
  ) {}

  findById(id: number, from: ReadFrom = 'primary'): Promise<Category | null> {
    return this.readers.prisma(from).category.findUnique({ where: { id } });
  }

  /** Count and page together on one connection (SqlRunner.rowsOfBoth; no transaction: a list is a snapshot either way). */
  async list(ordering: Ordering<CategoryOrderingColumn>, skip: number, take: number, from: ReadFrom): Promise<[number, Category[]]> {
    const [[{ count }], rows] = await this.readers
      .sql(from)
      .rowsOfBoth(
        statement(kysely.selectFrom('Category').select(sql<number>`count(*)::int`.as('count'))),
        statement(kysely.selectFrom('Category').selectAll().$call(orderedBy(ordering)).limit(take).offset(skip)),
      );
    return [count, rows];
  }

  async create(data: Partial<CategoryData> & Pick<CategoryData, 'name' | 'slug'>): Promise<Category | CategoryWriteRefusal> {
    try {
      return await this.prisma.category.create({ data });
    } catch (error) {
      return refusal(error);
    }
  }

  /**
   * One conditional UPDATE … RETURNING: applies only when the precondition's version still
   * holds, and bumps the version. undefined when no row matched (missing or stale).
   */
  async update(id: number, data: Partial<CategoryData>, precondition: Precondition): Promise<Category | undefined | CategoryWriteRefusal> {
    try {
      const rows = await this.prisma.category.updateManyAndReturn({
        where: { id, ...versionWhere(precondition) },
        data: { ...data, version: { increment: 1 } },
      });
      return rows[0];
    } catch (error) {
      return refusal(error);
    }
  }

  /** Deletes the category; the foreign key from Product (archived ones too) makes this atomic. */
  async delete(id: number): Promise<'deleted' | 'not-found' | 'in-use'> {
    try {
      const { count } = await this.prisma.category.deleteMany({ where: { id } });
      return count === 1 ? 'deleted' : 'not-found';
    } catch (error) {
      if (classifyDatabaseError(error)?.kind === 'foreign-key-violation') return 'in-use';
      throw error;
    }
  }
}
