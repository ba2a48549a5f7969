import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { PG_INT_MAX } from '../../common/numbers/canonical-int.js';
import { QueryInt } from '../../common/numbers/query-int.decorator.js';
import { IsMoney, MONEY_MAX } from '../../common/money/is-money.decorator.js';
import { ApiOrdering } from '../../common/pagination/api-ordering.decorator.js';
import { CursorPageQueryDto } from '../../common/pagination/cursor-query.dto.js';
import { QueryBoolean } from '../../common/pagination/query-boolean.decorator.js';
import { Trim } from '../../common/validation/trim.decorator.js';

/** Only indexed columns (README, "Indexes"): every ordering stays an index scan at 100,000 rows. */
export const PRODUCT_ORDERING_FIELDS = { id: 'id', sku: 'sku', name: 'name', price: 'price', stock: 'stock', createdAt: 'createdAt' } as const;
export const PRODUCT_DEFAULT_ORDERING = 'id';

const MONEY_FILTER = { type: String, pattern: '^\\d{1,8}(\\.\\d{1,2})?$' };

export class ListProductsQueryDto extends CursorPageQueryDto {
  @ApiOrdering(PRODUCT_ORDERING_FIELDS, PRODUCT_DEFAULT_ORDERING)
  override ordering?: string = undefined;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of name, sku or description', maxLength: 100, example: 'kettle' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: PG_INT_MAX, example: 3 })
  @IsOptional()
  @QueryInt({ min: 1, max: PG_INT_MAX })
  categoryId?: number;

  @ApiPropertyOptional({ ...MONEY_FILTER, description: `Lowest price, inclusive (0 to ${MONEY_MAX}, two decimals at most)`, example: '10.00' })
  @IsOptional()
  @IsMoney({ allowZero: true })
  minPrice?: string;

  @ApiPropertyOptional({ ...MONEY_FILTER, description: `Highest price, inclusive (0 to ${MONEY_MAX}, two decimals at most)`, example: '50.00' })
  @IsOptional()
  @IsMoney({ allowZero: true })
  maxPrice?: string;

  @ApiPropertyOptional({ type: Boolean, example: true, description: 'true: stock > 0 only; false: out of stock only' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'inStock must be true or false' })
  inStock?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    example: true,
    description: 'true: active products only; false: inactive ones only (which only staff can see)',
  })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Staff only: include archived (deleted) products. Ignored for everyone else, who never see them.',
  })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'includeArchived must be true or false' })
  includeArchived?: boolean;
}
