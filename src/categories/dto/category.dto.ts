import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../common/pagination/page.dto.js';
import type { Category } from '../../generated/prisma/client.js';

export class CategoryDto {
  @ApiProperty({ type: 'integer', example: 3 })
  id!: number;

  @ApiProperty({ example: 'Brewing gear' })
  name!: string;

  @ApiProperty({ example: 'brewing-gear' })
  slug!: string;

  @ApiProperty({ example: 'Everything to make it' })
  description!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' })
  updatedAt!: string;

  static from(category: Category): CategoryDto {
    return {
      id: category.id,
      name: category.name,
      slug: category.slug,
      description: category.description,
      createdAt: category.createdAt.toISOString(),
      updatedAt: category.updatedAt.toISOString(),
    };
  }
}

/** A page of categories (GET /v1/categories). */
export class CategoryPage extends PageOf(CategoryDto) {}
