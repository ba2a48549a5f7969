import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { formatMoney } from '../../common/money/money.js';
import { CursorPageOf } from '../../common/pagination/cursor-page.dto.js';
import { PageOf } from '../../common/pagination/page.dto.js';
import type { ProductRecord } from '../products.repository.js';

export class ProductDto {
  @ApiProperty({ type: 'integer', example: 7 })
  id!: number;

  @ApiProperty({ example: 'GEAR-V60' })
  sku!: string;

  @ApiProperty({ example: 'Pour-over dripper' })
  name!: string;

  @ApiProperty({ example: 'Ceramic, size 02' })
  description!: string;

  @ApiProperty({ example: '19.99', pattern: '^\\d{1,8}\\.\\d{2}$', description: 'Decimal string with exactly two places' })
  price!: string;

  @ApiProperty({ type: 'integer', example: 25, minimum: 0 })
  stock!: number;

  @ApiProperty({ type: 'integer', example: 3 })
  categoryId!: number;

  @ApiProperty({ example: true, description: 'Inactive products are visible to staff only' })
  active!: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-25T10:00:00.000Z' })
  updatedAt!: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
    description: 'Staff only: when DELETE archived the product (null while it is not archived)',
  })
  archivedAt?: string | null;

  /**
   * The staff representation of a product a write answers (writes are staff-only). Reads render the
   * same fields in PostgreSQL (shownFields in products.repository.ts), without archivedAt for
   * everyone else; test/products.e2e-spec.ts checks that both write the same bytes.
   */
  static from(product: ProductRecord): ProductDto {
    return {
      id: product.id,
      sku: product.sku,
      name: product.name,
      description: product.description,
      price: formatMoney(product.price),
      stock: product.stock,
      categoryId: product.categoryId,
      active: product.active,
      createdAt: product.createdAt,
      updatedAt: product.updatedAt,
      archivedAt: product.archivedAt,
    };
  }
}

/** A page of products (GET /v1/products). */
export class ProductPage extends PageOf(ProductDto) {}

/** A cursor page of products (GET /v1/products?cursor=…). */
export class ProductCursorPage extends CursorPageOf(ProductDto) {}
