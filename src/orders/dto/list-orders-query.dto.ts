import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { OrderStatus } from '../order-workflow.js';

export const ORDER_ORDERING_FIELDS = { id: 'id', createdAt: 'createdAt', total: 'total' };
export const DEFAULT_ORDER_ORDERING = '-createdAt';

export class ListOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: OrderStatus })
  @IsOptional()
  @IsEnum(OrderStatus, { message: `status must be one of: ${Object.values(OrderStatus).join(', ')}` })
  status?: OrderStatus;

  @ApiPropertyOptional({ minimum: 1, description: "Staff: any user's orders. Customers may only pass their own id (another id is a 403)." })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'userId must be a positive integer' })
  @Min(1, { message: 'userId must be a positive integer' })
  @Max(2_147_483_647, { message: 'userId must be a positive integer' })
  userId?: number;
}
