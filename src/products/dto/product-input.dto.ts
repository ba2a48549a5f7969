import { ApiProperty, IntersectionType, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ApiMoneyProperty, IsMoney } from '../../common/money/is-money.decorator.js';
import { PG_INT_MAX } from '../../common/numbers/canonical-int.js';
import { Trim } from '../../common/validation/trim.decorator.js';
import { MAX_STOCK } from '../stock-limit.js';

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** PUT body: every writable field is required (a full replace). */
export class ReplaceProductDto {
  @ApiProperty({ example: 'GEAR-V60', maxLength: 64, pattern: SKU_PATTERN.source, description: 'Unique (case-sensitive)' })
  @Trim()
  @IsString()
  @Matches(SKU_PATTERN, { message: 'sku must start with a letter or digit and use only letters, digits, ".", "_" and "-"' })
  @MaxLength(64)
  sku!: string;

  @ApiProperty({ example: 'Pour-over dripper', minLength: 1, maxLength: 200 })
  @Trim()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Ceramic, size 02', maxLength: 5000 })
  @Trim()
  @IsString()
  @MaxLength(5000)
  description!: string;

  @ApiMoneyProperty()
  @IsMoney()
  price!: string | number;

  @ApiProperty({ type: 'integer', example: 25, minimum: 0, maximum: MAX_STOCK, description: `Units on hand, 0 to ${MAX_STOCK}` })
  @IsInt({ message: 'stock must be a whole number' })
  @Min(0)
  @Max(MAX_STOCK)
  stock!: number;

  @ApiProperty({ type: 'integer', example: 3, minimum: 1, maximum: PG_INT_MAX, description: 'Id of an existing category (else 400)' })
  @IsInt({ message: 'categoryId must be a whole number' })
  @Min(1)
  @Max(PG_INT_MAX)
  categoryId!: number;

  @ApiProperty({ example: true, description: 'Inactive products are hidden from customers and cannot be ordered' })
  @IsBoolean()
  active!: boolean;
}

/** POST body: description ("") and active (true) may be left out. */
export class CreateProductDto extends IntersectionType(
  OmitType(ReplaceProductDto, ['description', 'active'] as const),
  PartialType(PickType(ReplaceProductDto, ['description', 'active'] as const), { skipNullProperties: false }),
) {}

/** PATCH body: any subset of the fields, at least one; null is not a value. */
export class UpdateProductDto extends PartialType(ReplaceProductDto, { skipNullProperties: false }) {}
