import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PG_INT_MAX } from '../../common/numbers/canonical-int.js';

export const MAX_ORDER_LINES = 50;
export const MAX_LINE_QUANTITY = 1000;
export const MAX_NOTE_LENGTH = 500;

export class OrderLineDto {
  @ApiProperty({ type: 'integer', example: 1, minimum: 1, maximum: PG_INT_MAX })
  @IsInt({ message: 'productId must be a positive integer' })
  @Min(1, { message: 'productId must be a positive integer' })
  @Max(PG_INT_MAX, { message: 'productId must be a positive integer' })
  productId!: number;

  @ApiProperty({ type: 'integer', example: 2, minimum: 1, maximum: MAX_LINE_QUANTITY })
  @IsInt({ message: 'quantity must be a whole number' })
  @Min(1, { message: 'quantity must be at least 1' })
  @Max(MAX_LINE_QUANTITY, { message: `quantity must not be greater than ${MAX_LINE_QUANTITY}` })
  quantity!: number;
}

/** Blank notes are stored as no note. */
const trimToNull = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

export class CreateOrderDto {
  @ApiProperty({
    type: [OrderLineDto],
    minItems: 1,
    maxItems: MAX_ORDER_LINES,
    description: `1–${MAX_ORDER_LINES} lines, each product at most once. Prices come from the catalogue, never from the client.`,
  })
  @IsArray({ message: 'items must be an array' })
  @ArrayMinSize(1, { message: 'items must contain at least 1 line' })
  @ArrayMaxSize(MAX_ORDER_LINES, { message: `items must contain at most ${MAX_ORDER_LINES} lines` })
  // ValidateNested alone lets a line that is itself an array ([[]]) through, with no productId.
  @IsObject({ each: true, message: 'every line in items must be an object {productId, quantity}' })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  items!: OrderLineDto[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_NOTE_LENGTH,
    example: 'Please ring twice',
    description: 'Trimmed; blank or null means no note',
  })
  @IsOptional()
  @Transform(trimToNull)
  @IsString()
  @MaxLength(MAX_NOTE_LENGTH)
  note?: string | null;
}
