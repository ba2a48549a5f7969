import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { isStaff } from '../auth/access-policy.js';
import { type Precondition, Versioned, writtenOrStale } from '../common/concurrency/row-version.js';
import { isRefusal } from '../database/write-refusal.js';
import { parseOrdering } from '../common/pagination/ordering.js';
import { type CountedPage, countedPage, pageWindow } from '../common/pagination/page.js';
import { notFound } from '../common/problems/common-problems.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { requireAnyField } from '../common/validation/require-any-field.js';
import type { ReadFrom } from '../database/database-readers.js';
import type { Category } from '../generated/prisma/client.js';
import { CategoriesRepository, type CategoryData, type CategoryWriteRefusal } from './categories.repository.js';
import { type CreateCategoryDto, type ReplaceCategoryDto, type UpdateCategoryDto } from './dto/category-input.dto.js';
import { CategoryDto } from './dto/category.dto.js';
import { CATEGORY_DEFAULT_ORDERING, CATEGORY_ORDERING_FIELDS, type ListCategoriesQueryDto } from './dto/list-categories-query.dto.js';

const WRITABLE = ['name', 'slug', 'description'] as const;

const versioned = (category: Category): Versioned<CategoryDto> => new Versioned(CategoryDto.from(category), category.id, category.version);

const duplicateSlug = (slug: string | undefined) =>
  new ProblemException(Problems.duplicate, {
    detail: `A category with slug "${slug}" already exists`,
    errors: [{ field: 'slug', message: 'slug must be unique' }],
  });

/** Staff read the primary (their own writes included); everyone else may read a replica. */
const readFrom = (viewer: AuthenticatedUser | undefined): ReadFrom => (isStaff(viewer) ? 'primary' : 'replica');

@Injectable()
export class CategoriesService {
  constructor(private readonly categories: CategoriesRepository) {}

  async list(query: ListCategoriesQueryDto, viewer: AuthenticatedUser | undefined): Promise<CountedPage<CategoryDto>> {
    const orderBy = parseOrdering(query.ordering, CATEGORY_ORDERING_FIELDS, CATEGORY_DEFAULT_ORDERING);
    const { skip, take } = pageWindow(query);
    const [count, rows] = await this.categories.list(orderBy, skip, take, readFrom(viewer));
    return countedPage(query, count, rows.map(CategoryDto.from));
  }

  async get(id: number, viewer: AuthenticatedUser | undefined): Promise<Versioned<CategoryDto>> {
    const category = await this.categories.findById(id, readFrom(viewer));
    if (!category) throw notFound('Category', id);
    return versioned(category);
  }

  async create(dto: CreateCategoryDto): Promise<Versioned<CategoryDto>> {
    const created = await this.categories.create({ name: dto.name, slug: dto.slug, description: dto.description });
    if (isRefusal<CategoryWriteRefusal>(created)) throw duplicateSlug(dto.slug);
    return versioned(created);
  }

  replace(id: number, dto: ReplaceCategoryDto, precondition: Precondition): Promise<Versioned<CategoryDto>> {
    return this.write(id, { name: dto.name, slug: dto.slug, description: dto.description }, precondition);
  }

  update(id: number, dto: UpdateCategoryDto, precondition: Precondition): Promise<Versioned<CategoryDto>> {
    requireAnyField(dto, WRITABLE);
    return this.write(id, { name: dto.name, slug: dto.slug, description: dto.description }, precondition);
  }

  async remove(id: number): Promise<void> {
    const result = await this.categories.delete(id);
    if (result === 'not-found') throw notFound('Category', id);
    if (result === 'in-use') {
      throw new ProblemException(Problems.inUse, {
        detail: `Category ${id} still has products (archived ones included); move them to another category first`,
      });
    }
  }

  private async write(id: number, data: Partial<CategoryData>, precondition: Precondition): Promise<Versioned<CategoryDto>> {
    const updated = await this.categories.update(id, data, precondition);
    if (isRefusal<CategoryWriteRefusal>(updated)) throw duplicateSlug(data.slug);
    return versioned(await writtenOrStale(updated, 'Category', id, () => this.categories.findById(id)));
  }
}
