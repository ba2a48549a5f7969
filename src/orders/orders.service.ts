import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { isStaff, mayAccess, ownerScope } from '../auth/access-policy.js';
import { JsonText } from '../common/http/json-text.js';
import { CursorCodec, cursorSlice, type CursorSlice, keyFromFields, readingOrder } from '../common/pagination/cursor.js';
import { parseOrdering } from '../common/pagination/ordering.js';
import { type CountedPage, countedPage, pageWindow } from '../common/pagination/page.js';
import { notFound, validationProblem } from '../common/problems/common-problems.js';
import { type FieldError, ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { Database } from '../database/database.service.js';
import type { Transaction } from '../database/unit-of-work.js';
import { BusinessMetrics } from '../metrics/business-metrics.service.js';
import { MAX_STOCK } from '../products/stock-limit.js';
import { CreateOrderDto } from './dto/create-order.dto.js';
import { DEFAULT_ORDER_ORDERING, ListOrdersQueryDto, ORDER_ORDERING_FIELDS } from './dto/list-orders-query.dto.js';
import { OrderDto } from './dto/order.dto.js';
import { IdempotencyKeysRepository } from './idempotency-keys.repository.js';
import { requestHash } from './idempotency.js';
import { type Line, MAX_ORDER_TOTAL, toSortedLines, totalOverMaximum, unfulfillableLines } from './order-lines.js';
import { decideTransition, type OrderStatus, restoresStock } from './order-workflow.js';
import { type OrderListFilter, OrdersRepository } from './orders.repository.js';
import { overfullRestocks } from './restock.js';

export interface PlacementResult {
  status: number;
  /** As PostgreSQL rendered it when placed; a replay's is the stored response, parsed. */
  order: JsonText<OrderDto> | OrderDto;
  /** true when an Idempotency-Key matched an earlier request and its stored response is returned */
  replayed: boolean;
}

const stockLimit = (id: number, from: OrderStatus, to: OrderStatus, errors: FieldError[]) =>
  new ProblemException(Problems.stockLimit, {
    detail: `Order ${id} cannot be cancelled: putting its stock back would raise a product above the maximum stock of ${MAX_STOCK}; lower that product's stock first`,
    errors,
    extensions: { currentStatus: from, requestedStatus: to, maxStock: MAX_STOCK },
  });

const MAX_ORDER_TOTAL_TEXT = MAX_ORDER_TOTAL.toFixed(2);

@Injectable()
export class OrdersService {
  constructor(
    private readonly database: Database,
    private readonly orders: OrdersRepository,
    private readonly keys: IdempotencyKeysRepository,
    private readonly metrics: BusinessMetrics,
    private readonly cursors: CursorCodec,
  ) {}

  /**
   * Places an order in one transaction: claims the Idempotency-Key (if any), then one statement
   * (OrdersRepository.place) locks the products in id order, checks every line, decrements stock
   * and inserts order + lines + history, then the response is stored under the key. Any failure
   * rolls all of it back, the claim included, so only successful creations are ever replayed. The
   * transaction is explicit even without a key, although the statement alone would be atomic: a
   * placement cut off before COMMIT (the process stopped while it waited for a lock) must never
   * take effect later, after its client was told nothing (test/shutdown.e2e-spec.ts).
   */
  async place(user: AuthenticatedUser, dto: CreateOrderDto, idempotencyKey?: string): Promise<PlacementResult> {
    const lines = toSortedLines(dto.items);
    const note = dto.note ?? null;
    const result: PlacementResult =
      idempotencyKey === undefined
        ? { status: 201, order: await this.database.transaction((tx) => this.placeLines(tx, user.id, lines, note)), replayed: false }
        : await this.placeWithKey(user.id, lines, note, idempotencyKey);
    if (!result.replayed) this.metrics.orderPlaced();
    return result;
  }

  private placeWithKey(userId: number, lines: Line[], note: string | null, idempotencyKey: string): Promise<PlacementResult> {
    const hash = requestHash({ items: lines, note });
    return this.database.transaction(async (tx): Promise<PlacementResult> => {
      const claim = await this.keys.claim(tx, userId, idempotencyKey, hash);
      if (claim.outcome === 'exists') {
        if (claim.requestHash !== hash) {
          throw new ProblemException(Problems.idempotencyMismatch, {
            detail: `Idempotency-Key "${idempotencyKey}" was already used with a different request body`,
          });
        }
        return { status: claim.responseStatus, order: claim.responseBody as OrderDto, replayed: true };
      }
      const order = await this.placeLines(tx, userId, lines, note);
      await this.keys.storeResponse(tx, claim.id, order.id!, 201, order.text);
      return { status: 201, order, replayed: false };
    });
  }

  /** One placement statement; when it placed nothing, the products it locked say why (409 per line, or the total's 400). */
  private async placeLines(tx: Transaction, userId: number, lines: Line[], note: string | null): Promise<JsonText<OrderDto>> {
    const { placed, products } = await this.orders.place(tx, { userId, note, lines, maxTotal: MAX_ORDER_TOTAL_TEXT });
    if (placed) return new JsonText<OrderDto>(placed.json, placed.id);
    const unfulfillable = unfulfillableLines(lines, products);
    if (unfulfillable.length > 0) {
      this.metrics.stockConflict();
      throw new ProblemException(Problems.insufficientStock, {
        detail: `The order cannot be placed: ${unfulfillable.map((e) => e.message).join('; ')}`,
        errors: unfulfillable,
      });
    }
    const overTotal = totalOverMaximum(lines, products);
    if (overTotal) throw validationProblem([overTotal]);
    throw new Error('the placement statement refused an order that its locked products allow');
  }

  /** Staff see every order, with its history; a customer only their own (another's is a 404, not a 403). */
  async get(user: AuthenticatedUser, id: number): Promise<OrderDto> {
    const staff = isStaff(user);
    const order = await this.orders.findOne(id, { ownerId: ownerScope(user), withHistory: staff });
    if (!order) throw notFound('Order', id);
    return OrderDto.from(order);
  }

  async list(user: AuthenticatedUser, query: ListOrdersQueryDto): Promise<CountedPage<OrderDto> | CursorSlice<OrderDto>> {
    const staff = isStaff(user);
    if (!staff && query.userId !== undefined && query.userId !== user.id) {
      throw new ProblemException(Problems.forbidden, {
        detail: "Customers can only list their own orders; filtering by another user's id needs the staff role",
      });
    }
    const orderBy = parseOrdering(query.ordering, ORDER_ORDERING_FIELDS, DEFAULT_ORDER_ORDERING);
    const userId = ownerScope(user) ?? query.userId;
    const filter: OrderListFilter = { userId, status: query.status };
    if (query.cursor !== undefined) {
      const scope = { list: 'orders', orderBy, filter };
      const position = this.cursors.decode(scope, query.cursor);
      const rows = await this.orders.listAfter(filter, readingOrder(orderBy, position), position?.key, query.pageSize + 1);
      return cursorSlice(this.cursors, scope, position, query.pageSize, rows.map(OrderDto.from), keyFromFields(orderBy));
    }
    const { skip, take } = pageWindow(query);
    const [count, rows] = await this.orders.list(filter, orderBy, skip, take);
    return countedPage(query, count, rows.map(OrderDto.from));
  }

  /**
   * Moves an order along the workflow (order-workflow.ts). The move is a conditional update
   * from the status read here, so of two concurrent changes at most one applies; the other
   * gets a 409. Cancelling puts the stock back in the same transaction; since only the
   * request whose conditional update matched gets that far, stock is restored exactly once.
   * A restock that would pass MAX_STOCK is a 409 that rolls the whole move back.
   */
  async changeStatus(user: AuthenticatedUser, id: number, to: OrderStatus): Promise<OrderDto> {
    const staff = isStaff(user);
    const current = await this.orders.findStatus(id);
    if (!current || !mayAccess(user, current.userId)) throw notFound('Order', id);

    const decision = decideTransition({ isStaff: staff }, current.status, to);
    if (decision === 'forbidden') {
      throw new ProblemException(Problems.forbidden, { detail: 'A customer may only cancel their own order, and only while it is pending' });
    }
    if (decision === 'invalid') {
      throw new ProblemException(Problems.invalidTransition, {
        detail: `Order ${id} cannot move from ${current.status} to ${to}`,
        extensions: { currentStatus: current.status, requestedStatus: to },
      });
    }

    const moved = await this.database.transaction(async (tx) => {
      if (!(await this.orders.changeStatus(tx, id, current.status, to, user.id))) return false;
      if (restoresStock(to)) {
        const overfull = overfullRestocks(await this.orders.lockRestocks(tx, id));
        if (overfull.length > 0) throw stockLimit(id, current.status, to, overfull);
        await this.orders.restoreStock(tx, id);
      }
      return true;
    });
    if (!moved) {
      const now = (await this.orders.findStatus(id))?.status ?? current.status;
      throw new ProblemException(Problems.conflict, {
        detail: `Order ${id} was changed by another request (it is now ${now}); the move to ${to} was not applied`,
        extensions: { currentStatus: now, requestedStatus: to },
      });
    }
    return this.get(user, id);
  }
}
