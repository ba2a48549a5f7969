import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MONEY_PATTERN } from '../../common/money/is-money.decorator.js';
import { formatMoney } from '../../common/money/money.js';
import { CursorPageOf } from '../../common/pagination/cursor-page.dto.js';
import { PageOf } from '../../common/pagination/page.dto.js';
import { OrderStatus } from '../order-workflow.js';
import type { OrderRecord } from '../orders.repository.js';

/** OrderStatus or null, spelled as OpenAPI 3.0.3 wants a nullable enum: null among the values. */
const NULLABLE_ORDER_STATUS = [...Object.values(OrderStatus), null];

export class OrderItemDto {
  @ApiProperty({ type: 'integer', example: 3 })
  productId!: number;

  @ApiProperty({ type: String, example: 'GEAR-V60', description: 'Copied from the product when the order was placed' })
  sku!: string;

  @ApiProperty({ type: String, example: 'Pour-over dripper', description: 'Copied from the product when the order was placed' })
  name!: string;

  @ApiProperty({ type: String, example: '19.99', pattern: MONEY_PATTERN, description: 'Price when the order was placed (decimal string)' })
  unitPrice!: string;

  @ApiProperty({ type: 'integer', example: 2, minimum: 1 })
  quantity!: number;

  @ApiProperty({ type: String, example: '39.98', pattern: MONEY_PATTERN, description: 'unitPrice × quantity' })
  lineTotal!: string;
}

export class OrderHistoryEntryDto {
  @ApiProperty({ type: String, enum: NULLABLE_ORDER_STATUS, nullable: true, example: OrderStatus.pending, description: 'null for the creation of the order' })
  fromStatus!: OrderStatus | null;

  @ApiProperty({ enum: OrderStatus, enumName: 'OrderStatus', example: OrderStatus.paid })
  toStatus!: OrderStatus;

  @ApiProperty({ type: 'integer', nullable: true, example: 1, description: 'Id of the user who made the change (null if that user is gone)' })
  changedBy!: number | null;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-25T10:05:00.000Z' })
  changedAt!: string;
}

export class OrderDto {
  @ApiProperty({ type: 'integer', example: 42 })
  id!: number;

  @ApiProperty({ type: 'integer', example: 7, description: 'The customer who placed it' })
  userId!: number;

  @ApiProperty({ enum: OrderStatus, enumName: 'OrderStatus', example: OrderStatus.pending })
  status!: OrderStatus;

  @ApiProperty({ type: [OrderItemDto], description: 'Ordered by productId' })
  items!: OrderItemDto[];

  @ApiProperty({ type: String, example: '39.98', pattern: MONEY_PATTERN, description: 'Sum of the line totals (decimal string)' })
  total!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Please ring twice', description: 'null when none was given' })
  note!: string | null;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-25T10:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-25T10:05:00.000Z' })
  updatedAt!: string;

  @ApiPropertyOptional({
    type: [OrderHistoryEntryDto],
    description: 'Staff only, on GET /v1/orders/{id} and PATCH: every status change, oldest first (creation included)',
  })
  history?: OrderHistoryEntryDto[];

  /** An order as reads show it. A placement's answer is rendered by its statement (orders.repository.ts, `shown`) with the same fields in the same order: change both together. */
  static from(order: OrderRecord): OrderDto {
    const dto: OrderDto = {
      id: order.id,
      userId: order.userId,
      status: order.status,
      items: order.items.map((item) => ({
        productId: item.productId,
        sku: item.sku,
        name: item.name,
        unitPrice: formatMoney(item.unitPrice),
        quantity: item.quantity,
        lineTotal: formatMoney(item.lineTotal),
      })),
      total: formatMoney(order.total),
      note: order.note,
      createdAt: order.createdAt.toISOString(),
      updatedAt: order.updatedAt.toISOString(),
    };
    if (order.history) {
      dto.history = order.history.map((change) => ({
        fromStatus: change.fromStatus,
        toStatus: change.toStatus,
        changedBy: change.changedById,
        changedAt: change.createdAt.toISOString(),
      }));
    }
    return dto;
  }
}

/** A page of orders (GET /v1/orders). */
export class OrderPage extends PageOf(OrderDto) {}

/** A cursor page of orders (GET /v1/orders?cursor=…). */
export class OrderCursorPage extends CursorPageOf(OrderDto) {}
