import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { PG_INT_MAX } from '../../common/numbers/canonical-int.js';
import { QueryInt } from '../../common/numbers/query-int.decorator.js';
import { ApiOrdering } from '../../common/pagination/api-ordering.decorator.js';
import { CursorPageQueryDto } from '../../common/pagination/cursor-query.dto.js';
import { OrderStatus } from '../order-workflow.js';

export const ORDER_ORDERING_FIELDS = { id: 'id', createdAt: 'createdAt', total: 'total' } as const;
export const DEFAULT_ORDER_ORDERING = '-createdAt';

export class ListOrdersQueryDto extends CursorPageQueryDto {
  @ApiOrdering(ORDER_ORDERING_FIELDS, DEFAULT_ORDER_ORDERING)
  override ordering?: string = undefined;

  @ApiPropertyOptional({ enum: OrderStatus, enumName: 'OrderStatus' })
  @IsOptional()
  @IsEnum(OrderStatus, { message: `status must be one of: ${Object.values(OrderStatus).join(', ')}` })
  status?: OrderStatus;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: PG_INT_MAX,
    example: 7,
    description: "Staff: any user's orders. Customers may only pass their own id (another id is a 403).",
  })
  @IsOptional()
  @QueryInt({ min: 1, max: PG_INT_MAX })
  userId?: number;
}
