import { ApiProperty } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { OrderStatus } from '../order-workflow.js';

export class UpdateOrderDto {
  @ApiProperty({
    enum: OrderStatus,
    enumName: 'OrderStatus',
    example: OrderStatus.paid,
    description: 'Staff: pending → paid → shipped → delivered, pending | paid → cancelled. Owner: only pending → cancelled.',
  })
  @IsEnum(OrderStatus, { message: `status must be one of: ${Object.values(OrderStatus).join(', ')}` })
  status!: OrderStatus;
}
