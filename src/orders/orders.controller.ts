import { Body, Controller, Get, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { Auth } from '../auth/decorators/auth.decorator.js';
import { CurrentUser } from '../auth/decorators/current-user.decorator.js';
import { Endpoint } from '../common/decorators/endpoint.decorator.js';
import type { JsonText } from '../common/http/json-text.js';
import { IdParam, INVALID_ID } from '../common/decorators/id-param.decorator.js';
import type { CursorPage } from '../common/pagination/cursor.js';
import { listAnswer } from '../common/pagination/list-answer.js';
import type { Page } from '../common/pagination/page.js';
import { ApiCommonProblems, ApiProblem, BODY_PROBLEMS, QUERY_PROBLEMS } from '../common/problems/api-problem.decorator.js';
import { Problems } from '../common/problems/problem-types.js';
import { MAX_STOCK } from '../products/stock-limit.js';
import { CreateOrderDto } from './dto/create-order.dto.js';
import { ListOrdersQueryDto } from './dto/list-orders-query.dto.js';
import { OrderCursorPage, OrderDto, OrderPage } from './dto/order.dto.js';
import { UpdateOrderDto } from './dto/update-order.dto.js';
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_TTL_HOURS, IDEMPOTENT_REPLAYED_HEADER, IdempotencyKey } from './idempotency.js';
import { OrdersService } from './orders.service.js';

const NOT_FOUND = ApiProblem(404, "No such order, or another customer's", [Problems.notFound]);

@ApiTags('orders')
@ApiCommonProblems()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Endpoint({
    summary: 'Place an order',
    description:
      'Prices every line from the catalogue and takes the stock in one transaction: the whole order is placed or nothing changes. ' +
      `With an ${IDEMPOTENCY_HEADER}, a retry with the same key and body returns the first response (same status and order) ` +
      `with "${IDEMPOTENT_REPLAYED_HEADER}: true" and changes nothing.`,
    auth: Auth.signedIn(),
    created: {
      type: OrderDto,
      description: 'Placed (or, with a reused Idempotency-Key and the same body, the order placed the first time)',
      location: '/v1/orders/42',
      headers: {
        [IDEMPOTENT_REPLAYED_HEADER]: {
          description: 'Present ("true") when this is the stored response of an earlier request',
          schema: { type: 'string', enum: ['true'] },
        },
      },
    },
    problems: [
      ApiProblem(400, `Invalid body or ${IDEMPOTENCY_HEADER}, a product listed twice, or a total over 999999999999.99`, BODY_PROBLEMS),
      ApiProblem(
        409,
        'insufficient-stock: a line is short, or names an unknown, inactive or archived product (errors[] says which; nothing changed). ' +
          `idempotency-key-reused: the ${IDEMPOTENCY_HEADER} was used with a different body. conflict: concurrent updates kept failing; retry.`,
        [Problems.insufficientStock, Problems.idempotencyMismatch, Problems.conflict],
      ),
    ],
  })
  @ApiHeader({
    name: IDEMPOTENCY_HEADER,
    required: false,
    description: `Optional, 1–255 visible ASCII characters (e.g. a UUID), per user, kept ${IDEMPOTENCY_KEY_TTL_HOURS} hours. Only successful creations are stored.`,
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  })
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: CreateOrderDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JsonText<OrderDto> | OrderDto> {
    const result = await this.orders.place(user, dto, idempotencyKey);
    reply.status(result.status);
    if (result.replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return result.order;
  }

  @Get()
  @Endpoint({
    summary: 'List orders',
    description: 'Customers see their own orders, staff see all.',
    auth: Auth.signedIn(),
    list: { page: OrderPage, cursorPage: OrderCursorPage },
    problems: [ApiProblem(403, 'A customer filtering by another user', [Problems.forbidden])],
  })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListOrdersQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<Page<OrderDto> | CursorPage<OrderDto>> {
    return listAnswer(request, await this.orders.list(user, query));
  }

  @Get(':id')
  @Endpoint({
    summary: 'One order',
    description: 'For its owner or staff; staff also get its history.',
    auth: Auth.signedIn(),
    ok: { type: OrderDto, description: 'The order' },
    problems: [ApiProblem(400, INVALID_ID, QUERY_PROBLEMS), NOT_FOUND],
  })
  get(@CurrentUser() user: AuthenticatedUser, @IdParam() id: number): Promise<OrderDto> {
    return this.orders.get(user, id);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change the status of an order',
    description:
      'Staff: pending → paid → shipped → delivered, pending | paid → cancelled. The owner may only cancel their own pending order. ' +
      `Cancelling puts the stock of every line back, unless that would raise a product's stock above ${MAX_STOCK} (409 stock-limit).`,
    auth: Auth.signedIn(),
    ok: { type: OrderDto, description: 'The order in its new status' },
    problems: [
      ApiProblem(400, 'Invalid id or body', BODY_PROBLEMS),
      ApiProblem(403, 'A customer asking for a status other than cancelled', [Problems.forbidden]),
      NOT_FOUND,
      ApiProblem(
        409,
        'invalid-status-transition: the workflow does not allow the move; conflict: the order changed concurrently; ' +
          `stock-limit: cancelling would put a product's stock above ${MAX_STOCK} (errors[] names the items; nothing changed). ` +
          'All name currentStatus and requestedStatus.',
        [Problems.invalidTransition, Problems.conflict, Problems.stockLimit],
      ),
    ],
  })
  update(@CurrentUser() user: AuthenticatedUser, @IdParam() id: number, @Body() dto: UpdateOrderDto): Promise<OrderDto> {
    return this.orders.changeStatus(user, id, dto.status);
  }
}
