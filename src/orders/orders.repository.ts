import { Injectable } from '@nestjs/common';
import { type ExpressionBuilder, type InferResult, type Selectable, sql } from 'kysely';
import { Database } from '../database/database.service.js';
import { type DB, kysely } from '../database/kysely.js';
import { type KeyValue, keysetSql, type Ordering, orderedBy } from '../database/ordering.js';
import { shared } from '../database/parameter.js';
import { isoText, NOW_UTC } from '../database/sql-fragments.js';
import { prepared, statement } from '../database/statement.js';
import { BY_KEY } from '../database/sql-runner.js';
import type { Transaction } from '../database/unit-of-work.js';
import type { OrderStatus } from './order-workflow.js';
import type { ORDER_ORDERING_FIELDS } from './dto/list-orders-query.dto.js';

/** One line of an order: the product's sku, name and price copied in, money as numeric's text. */
export type OrderLineRow = Pick<Selectable<DB['OrderItem']>, 'productId' | 'sku' | 'name' | 'unitPrice' | 'quantity' | 'lineTotal'>;
export type OrderHistoryRow = Pick<Selectable<DB['OrderStatusChange']>, 'fromStatus' | 'toStatus' | 'changedById' | 'createdAt'>;

/** An order as the API shows it: its row, its lines in productId order and, for staff, its history oldest first. */
export type OrderRecord = Pick<Selectable<DB['Order']>, 'id' | 'userId' | 'status' | 'total' | 'note' | 'createdAt' | 'updatedAt'> & {
  items: OrderLineRow[];
  history?: OrderHistoryRow[];
};

/** The columns a list may be ordered by: the values of the API's whitelist (ORDER_ORDERING_FIELDS). */
export type OrderOrderingColumn = (typeof ORDER_ORDERING_FIELDS)[keyof typeof ORDER_ORDERING_FIELDS];

/** A list's filters, built once by the service: the query's conditions and the cursor's scope alike. */
export type OrderListFilter = { userId?: number; status?: OrderStatus };

/** The lines of an order to place: sorted by productId (the lock order), no product twice. */
export interface OrderToPlace {
  userId: number;
  note: string | null;
  lines: Array<{ productId: number; quantity: number }>;
  /** The largest total the order may have (Order.total is numeric(14,2)). */
  maxTotal: string;
}

/**
 * Places an order in one statement (inside the caller's transaction):
 * - `p` locks the products' rows in ascending id order and reads them as they are now (every
 *   statement that locks several product rows does so in this one order, cancellations included,
 *   so two of them never wait on each other in a cycle; an UPDATE … FROM alone would lock rows in
 *   whatever order its plan visits them). Unknown ids are absent from it.
 * - `priced` decides from the locked rows: every line's product orderable with enough stock, and
 *   the total within Order.total's range.
 * - only then `decremented` takes each quantity off (`stock >= quantity` again: the last line of
 *   defence against ever going negative; `id = ANY(ids)` besides the join to `l` keeps it on the
 *   index on id (the primary key or "Product_id_idx") in the generic plan PostgreSQL uses after five runs, which guesses ten lines and,
 *   at 2,000 products, chose a sequential scan of Product joined by hash — half the statement's
 *   time; test/order-placement-plan.e2e-spec.ts) and, only if every line's product was decremented, the
 *   order, its lines (priced from the locked rows) and its first history entry (null → pending)
 *   are inserted.
 * - when it was placed, `shown` renders it as the API shows it (OrderDto), from what the inserts
 *   returned: `to_json` writes what JSON.stringify would of OrderDto.from's answer for the same
 *   rows, byte for byte (test/orders.e2e-spec.ts compares the answer with a GET of the order), so
 *   Node sends the text without reading the order into objects, pricing it again and serialising
 *   it (7–12 % of the service's CPU per order; README, "Performance").
 * It answers the locked products, each with the order's id and rendering when it was placed: when
 * it was not, nothing was written and the caller tells the client why from the locked rows.
 * Compiled once and named: placing orders is the hot path. `userId` and `note` carry their types,
 * so PostgreSQL plans the statement the same way every time (one pg_stat_statements entry).
 */
const placeStatement = prepared(
  'orders-place',
  (p: { userId: number; note: string | null; ids: number[]; quantities: number[]; maxTotal: string }) =>
    sql<LockedProductRow>`WITH l AS (
         SELECT * FROM unnest(${p.ids}::int[], ${p.quantities}::int[]) AS l(id, quantity)
       ), p AS (
         SELECT id, sku, name, price, stock, (active AND "archivedAt" IS NULL) AS orderable
         FROM "Product" WHERE id = ANY(${p.ids}::int[]) ORDER BY id FOR UPDATE
       ), priced AS (
         SELECT count(*) FILTER (WHERE p.orderable AND p.stock >= l.quantity) = cardinality(${p.ids}::int[])
                  AND sum(p.price * l.quantity) <= ${p.maxTotal}::numeric AS placeable,
                sum(p.price * l.quantity) AS total
         FROM p JOIN l USING (id)
       ), decremented AS (
         UPDATE "Product" AS x
         SET stock = x.stock - l.quantity, version = x.version + 1, "updatedAt" = ${NOW_UTC}
         FROM l, priced
         WHERE priced.placeable AND x.id = ANY(${p.ids}::int[]) AND x.id = l.id AND x.stock >= l.quantity
         RETURNING x.id
       ), o AS (
         INSERT INTO "Order" ("userId", status, total, note, "createdAt", "updatedAt")
         SELECT ${p.userId}::int, 'pending', priced.total, ${p.note}::text, ${NOW_UTC}, ${NOW_UTC} FROM priced
         WHERE (SELECT count(*) FROM decremented) = cardinality(${p.ids}::int[])
         RETURNING id, "userId", status, total, note, "createdAt", "updatedAt"
       ), lines AS (
         INSERT INTO "OrderItem" ("orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal")
         SELECT o.id, p.id, p.sku, p.name, p.price, l.quantity, p.price * l.quantity FROM o, p JOIN l USING (id)
         RETURNING "productId", sku, name, "unitPrice", quantity, "lineTotal"
       ), history AS (
         INSERT INTO "OrderStatusChange" ("orderId", "fromStatus", "toStatus", "changedById", "createdAt")
         SELECT o.id, NULL, 'pending', ${p.userId}::int, o."createdAt" FROM o
       ), shown AS (
         SELECT to_json(shown)::text AS "order" FROM (
           SELECT o.id, o."userId", o.status,
                  array_to_json(ARRAY(
                    SELECT to_json(item) FROM (
                      SELECT "productId", sku, name, "unitPrice"::text AS "unitPrice", quantity, "lineTotal"::text AS "lineTotal"
                      FROM lines ORDER BY "productId"
                    ) item
                  )) AS items,
                  o.total::text AS total, o.note, ${isoText(sql.ref('o.createdAt'))} AS "createdAt", ${isoText(sql.ref('o.updatedAt'))} AS "updatedAt"
           FROM o
         ) shown
       )
       SELECT p.id, p.sku, p.name, p.price, p.stock, p.orderable, o.id AS "orderId", shown."order"
       FROM p LEFT JOIN o ON true LEFT JOIN shown ON true ORDER BY p.id`,
);

/** A product as the placement locked it (`orderable`: active and not archived), with the order (id, JSON) when it was placed. */
type LockedProductRow = Pick<Selectable<DB['Product']>, 'id' | 'sku' | 'name' | 'price' | 'stock'> & {
  orderable: boolean;
  orderId: number | null;
  order: string | null;
};
export type LockedProduct = Pick<LockedProductRow, 'id' | 'sku' | 'name' | 'price' | 'stock' | 'orderable'>;

/** What the placement did: the order's id and JSON as the API shows it (OrderDto) if it was placed, and the products as it locked them either way. */
export interface Placement {
  placed: { id: number; json: string } | null;
  products: LockedProduct[];
}

type OrderExpressions = ExpressionBuilder<DB, 'Order'>;

const listConditions = (eb: OrderExpressions, filter: OrderListFilter) =>
  eb.and([
    ...(filter.userId === undefined ? [] : [eb('userId', '=', filter.userId)]),
    ...(filter.status === undefined ? [] : [eb('status', '=', filter.status)]),
  ]);

/** Locks the products of the order's lines (see lockRestocks). */
const restocksQuery = (orderId: number) =>
  kysely
    .selectFrom('Product as p')
    .innerJoin('OrderItem as i', 'i.productId', 'p.id')
    .select(['p.id as productId', 'p.sku', 'p.stock', 'i.quantity'])
    .where('i.orderId', '=', orderId)
    .orderBy('p.id')
    .forUpdate('p');

/** One line of an order about to be cancelled: the units to put back on a product holding `stock`. */
export type Restock = InferResult<ReturnType<typeof restocksQuery>>[number];

const orderColumns = ['id', 'userId', 'status', 'total', 'note', 'createdAt', 'updatedAt'] as const;

/**
 * All SQL of the orders module. Writes that must be atomic run in the transaction the service
 * opens (Database.transaction) and hands to each call.
 */
@Injectable()
export class OrdersRepository {
  constructor(private readonly database: Database) {}

  /** Places the order in one statement (placeStatement), in the transaction the caller opened. */
  async place(tx: Transaction, order: OrderToPlace): Promise<Placement> {
    const rows = await tx.rows(
      placeStatement({
        userId: order.userId,
        note: order.note,
        ids: order.lines.map((l) => l.productId),
        quantities: order.lines.map((l) => l.quantity),
        maxTotal: order.maxTotal,
      }),
    );
    const products = rows.map(({ id, sku, name, price, stock, orderable }) => ({ id, sku, name, price, stock, orderable }));
    const [first] = rows;
    const placed = first?.orderId != null ? { id: first.orderId, json: first.order! } : null;
    return { placed, products };
  }

  /** Status and owner of an order, or null. */
  async findStatus(id: number): Promise<{ status: OrderStatus; userId: number } | null> {
    const [row] = await this.database.primary.rows(statement(kysely.selectFrom('Order').select(['status', 'userId']).where('id', '=', id)), BY_KEY);
    return row ?? null;
  }

  /**
   * Moves the order from `from` to `to` only if it is still in `from` (a conditional update:
   * of two concurrent changes made from the same status, exactly one matches), and records the
   * change in the history in the same statement. Returns false when the status had moved on.
   */
  async changeStatus(tx: Transaction, id: number, from: OrderStatus, to: OrderStatus, changedById: number): Promise<boolean> {
    const fromStatus = sql<OrderStatus>`${shared(from)}::"OrderStatus"`;
    const toStatus = sql<OrderStatus>`${shared(to)}::"OrderStatus"`;
    const moved = await tx.rowCount(
      statement(
        kysely
          .with('moved', (db) =>
            db
              .updateTable('Order')
              .set((eb) => ({ status: toStatus, version: eb('version', '+', eb.lit(1)), updatedAt: NOW_UTC }))
              .where('id', '=', id)
              .where('status', '=', fromStatus)
              .returning(['id', 'updatedAt']),
          )
          .insertInto('OrderStatusChange')
          .columns(['orderId', 'fromStatus', 'toStatus', 'changedById', 'createdAt'])
          .expression((db) =>
            db
              .selectFrom('moved')
              .select((eb) => ['id', fromStatus.as('fromStatus'), toStatus.as('toStatus'), eb.val(changedById).as('changedById'), 'updatedAt']),
          ),
      ),
    );
    return moved === 1;
  }

  /**
   * Locks the products of the order's lines in id order (as placeStatement does) and returns, per line,
   * the product's stock now and the quantity that cancelling would put back, in productId order
   * (the order of the order's items in the API).
   */
  lockRestocks(tx: Transaction, orderId: number): Promise<Restock[]> {
    return tx.rows(statement(restocksQuery(orderId)));
  }

  /** Puts every line's quantity back on its product; lock them first with lockRestocks. */
  async restoreStock(tx: Transaction, orderId: number): Promise<void> {
    await tx.rowCount(
      statement(
        kysely
          .updateTable('Product as p')
          .from('OrderItem as i')
          .set((eb) => ({ stock: eb('p.stock', '+', eb.ref('i.quantity')), version: eb('p.version', '+', eb.lit(1)), updatedAt: NOW_UTC }))
          .where('i.orderId', '=', orderId)
          .whereRef('p.id', '=', 'i.productId'),
      ),
    );
  }

  /**
   * The order with its lines (and history, if asked), if it exists and, when `ownerId` is given,
   * belongs to that user. Its two or three reads are lookups by key, sent together on the shared
   * connection (one round trip); the lines and history of an order that is not the caller's are
   * read and dropped, never shown.
   */
  async findOne(id: number, options: { ownerId?: number; withHistory: boolean }): Promise<OrderRecord | null> {
    const query = kysely
      .selectFrom('Order')
      .select(orderColumns)
      .where('id', '=', id)
      .$if(options.ownerId !== undefined, (q) => q.where('userId', '=', options.ownerId!));
    const history = kysely
      .selectFrom('OrderStatusChange')
      .select(['fromStatus', 'toStatus', 'changedById', 'createdAt'])
      .where('orderId', '=', id)
      .orderBy('id');
    const primary = this.database.primary;
    const [[order], lines, changes] = await Promise.all([
      primary.rows(statement(query), BY_KEY),
      primary.rows(linesOf([id]), BY_KEY),
      options.withHistory ? primary.rows(statement(history), BY_KEY) : undefined,
    ]);
    if (!order) return null;
    const withItems = { ...order, items: lines.map(({ orderId: _orderId, ...line }) => line) };
    return changes ? { ...withItems, history: changes } : withItems;
  }

  /** Count and page together on one connection (SqlRunner.rowsOfBoth; no transaction: a list is a snapshot either way). */
  async list(filter: OrderListFilter, ordering: Ordering<OrderOrderingColumn>, skip: number, take: number): Promise<[number, OrderRecord[]]> {
    const count = kysely
      .selectFrom('Order')
      .select(sql<number>`count(*)::int`.as('count'))
      .where((eb) => listConditions(eb, filter));
    const page = kysely
      .selectFrom('Order')
      .select(orderColumns)
      .where((eb) => listConditions(eb, filter))
      .$call(orderedBy(ordering))
      .limit(take)
      .offset(skip);
    const [[{ count: total }], rows] = await this.database.primary.rowsOfBoth(statement(count), statement(page));
    return [total, await this.withItems(rows)];
  }

  /** A cursor page: `take` orders after `after` in `ordering` (a keyset condition), no count. */
  async listAfter(filter: OrderListFilter, ordering: Ordering<OrderOrderingColumn>, after: KeyValue[] | undefined, take: number): Promise<OrderRecord[]> {
    const page = kysely
      .selectFrom('Order')
      .select(orderColumns)
      .where((eb) => listConditions(eb, filter))
      .$if(after !== undefined, (q) => q.where(keysetSql(ordering, after!)))
      .$call(orderedBy(ordering))
      .limit(take);
    return this.withItems(await this.database.primary.rows(statement(page)));
  }

  /** The orders with their lines, read in one more statement, in productId order. */
  private async withItems<Order extends { id: number }>(orders: Order[]): Promise<Array<Order & { items: OrderLineRow[] }>> {
    if (orders.length === 0) return [];
    const lines = await this.database.primary.rows(linesOf(orders.map((o) => o.id)));
    const byOrder = new Map<number, OrderLineRow[]>(orders.map((order) => [order.id, []]));
    for (const { orderId, ...line } of lines) byOrder.get(orderId)!.push(line);
    return orders.map((order) => ({ ...order, items: byOrder.get(order.id)! }));
  }
}

/** The lines of these orders, by order and product id (the order of the unique index on both). */
const linesOf = (orderIds: number[]) =>
  statement(
    kysely
      .selectFrom('OrderItem')
      .select(['orderId', 'productId', 'sku', 'name', 'unitPrice', 'quantity', 'lineTotal'])
      .where('orderId', 'in', orderIds)
      .orderBy('orderId')
      .orderBy('productId'),
  );
