import { Injectable } from '@nestjs/common';
import { type Precondition, versionWhere } from '../common/http/entity-tag.js';
import type { OrderBy } from '../common/pagination/ordering.js';
import { Problems } from '../common/problems/problem-types.js';
import { mapDatabaseError } from '../database/database-errors.js';
import { DatabaseReaders, type ReadFrom } from '../database/database-readers.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Category } from '../generated/prisma/client.js';

export interface CategoryData {
  name: string;
  slug: string;
  description: string;
}

/** A write whose slug another category already has (the unique index refused it). */
export const DUPLICATE_SLUG = 'duplicate-slug';

/** slug is the only unique column a write can collide on. */
function onDuplicate(error: unknown): typeof DUPLICATE_SLUG {
  if (mapDatabaseError(error)?.problem === Problems.duplicate) return DUPLICATE_SLUG;
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

  list(orderBy: OrderBy, skip: number, take: number, from: ReadFrom): Promise<[number, Category[]]> {
    const reader = this.readers.prisma(from);
    return Promise.all([reader.category.count(), reader.category.findMany({ orderBy, skip, take })]);
  }

  async create(data: Partial<CategoryData> & Pick<CategoryData, 'name' | 'slug'>): Promise<Category | typeof DUPLICATE_SLUG> {
    try {
      return await this.prisma.category.create({ data });
    } catch (error) {
      return onDuplicate(error);
    }
  }

  /**
   * One conditional UPDATE … RETURNING: applies only when the precondition's version still
   * holds, and bumps the version. undefined when no row matched (missing or stale).
   */
  async update(id: number, data: Partial<CategoryData>, precondition: Precondition): Promise<Category | undefined | typeof DUPLICATE_SLUG> {
    try {
      const rows = await this.prisma.category.updateManyAndReturn({
        where: { id, ...versionWhere(precondition) },
        data: { ...data, version: { increment: 1 } },
      });
      return rows[0];
    } catch (error) {
      return onDuplicate(error);
    }
  }

  /** Deletes the category; the foreign key from Product (archived ones too) makes this atomic. */
  async delete(id: number): Promise<'deleted' | 'not-found' | 'in-use'> {
    try {
      const { count } = await this.prisma.category.deleteMany({ where: { id } });
      return count === 1 ? 'deleted' : 'not-found';
    } catch (error) {
      if (mapDatabaseError(error)?.problem === Problems.inUse) return 'in-use';
      throw error;
    }
  }
}
