import { Injectable } from '@nestjs/common';
import { type ExpressionBuilder, type InferResult, type Selectable, sql } from 'kysely';
import { Database } from '../database/database.service.js';
import { type DB, kysely } from '../database/kysely.js';
import { type KeyValue, keysetSql, type Ordering, orderedBy } from '../database/ordering.js';
import { shared } from '../database/parameter.js';
import { NOW_UTC } from '../database/sql-fragments.js';
import { prepared, type RowOf, statement } from '../database/statement.js';
import type { Transaction } from '../database/unit-of-work.js';
import type { OrderStatus } from './order-workflow.js';

/** The lines of an order about to be placed (sorted by productId), and its total. */
export interface NewOrder {
  userId: number;
  total: string;
  note: string | null;
  items: OrderLineRow[];
}

/** One line of an order: the product's sku, name and price copied in, money as numeric's text. */
export type OrderLineRow = Pick<Selectable<DB['OrderItem']>, 'productId' | 'sku' | 'name' | 'unitPrice' | 'quantity' | 'lineTotal'>;
export type OrderHistoryRow = Pick<Selectable<DB['OrderStatusChange']>, 'fromStatus' | 'toStatus' | 'changedById' | 'createdAt'>;

/** An order as the API shows it: its row, its lines in productId order and, for staff, its history oldest first. */
export type OrderRecord = Pick<Selectable<DB['Order']>, 'id' | 'userId' | 'status' | 'total' | 'note' | 'createdAt' | 'updatedAt'> & {
  items: OrderLineRow[];
  history?: OrderHistoryRow[];
};

/** The columns a list may be ordered by (ORDER_ORDERING_FIELDS). */
export type OrderOrderingColumn = 'id' | 'createdAt' | 'total';

/** A list's filters, built once by the service: the query's conditions and the cursor's scope alike. */
export type OrderListFilter = { userId?: number; status?: OrderStatus };

/**
 * Locks the products' rows in ascending id order and reads them as they are now (see
 * OrdersRepository.lockProducts). A named statement, compiled once: placing orders is the hot path.
 */
const lockProductsStatement = prepared('orders-lock-products', (p: { ids: number[] }) =>
  kysely
    .selectFrom('Product')
    .select((eb) => ['id', 'sku', 'name', 'price', 'stock', eb.and([eb.ref('active'), eb('archivedAt', 'is', null)]).as('orderable')])
    .where('id', '=', (eb) => eb.fn.any(sql<number[]>`${p.ids}::int[]`))
    .orderBy('id')
    .forUpdate(),
);

/** A product as the placement locked it: `orderable` is active and not archived. */
export type LockedProduct = RowOf<typeof lockProductsStatement>;

/**
 * The placement's one statement (see decrementStockAndInsertOrder), compiled once and named. Every
 * parameter is sent once however often the statement uses it.
 */
const placeStatement = prepared(
  'orders-place',
  (p: {
    userId: number;
    total: string;
    note: string | null;
    ids: number[];
    skus: string[];
    names: string[];
    unitPrices: string[];
    quantities: number[];
    lineTotals: string[];
  }) =>
    sql<Pick<Selectable<DB['Order']>, 'id' | 'createdAt' | 'updatedAt'>>`WITH decremented AS (
         UPDATE "Product" AS p
         SET stock = p.stock - l.quantity, version = p.version + 1, "updatedAt" = ${NOW_UTC}
         FROM unnest(${p.ids}::int[], ${p.quantities}::int[]) AS l(id, quantity)
         WHERE p.id = l.id AND p.stock >= l.quantity
         RETURNING p.id
       ), o AS (
         INSERT INTO "Order" ("userId", status, total, note, "createdAt", "updatedAt")
         SELECT ${p.userId}, 'pending', ${p.total}::numeric, ${p.note}, ${NOW_UTC}, ${NOW_UTC}
         WHERE (SELECT count(*) FROM decremented) = cardinality(${p.ids}::int[])
         RETURNING id, "createdAt", "updatedAt"
       ), lines AS (
         INSERT INTO "OrderItem" ("orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal")
         SELECT o.id, l.* FROM o, unnest(${p.ids}::int[], ${p.skus}::text[], ${p.names}::text[], ${p.unitPrices}::numeric[], ${p.quantities}::int[], ${p.lineTotals}::numeric[]) AS l
       ), history AS (
         INSERT INTO "OrderStatusChange" ("orderId", "fromStatus", "toStatus", "changedById", "createdAt")
         SELECT o.id, NULL, 'pending', ${p.userId}, o."createdAt" FROM o
       )
       SELECT id, "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "updatedAt" AT TIME ZONE 'UTC' AS "updatedAt" FROM o`,
);

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

  /**
   * Locks the products' rows in ascending id order and returns them as they are now. Every
   * transaction that locks several product rows does so in this one order (placing an order
   * here, cancelling one in `lockRestocks`), so two of them can never wait on each other in a
   * cycle: no deadlock whatever the line order of the requests. A single UPDATE … FROM would
   * lock rows in whatever order its plan visits them, which is why the lock comes first.
   * Unknown ids are simply absent from the result.
   */
  lockProducts(tx: Transaction, ids: number[]): Promise<LockedProduct[]> {
    return tx.rows(lockProductsStatement({ ids }));
  }

  /**
   * One statement: takes each line's quantity off its product's stock, only where that much is
   * left, and — only if every line's product was decremented — inserts the order, its lines and
   * its first history entry (null → pending). The rows are already locked by lockProducts and
   * checked against them, so the decrement cannot miss; its condition is the last line of defence
   * against ever going negative, and null (no order inserted) is what the caller sees if it ever did.
   */
  async decrementStockAndInsertOrder(tx: Transaction, order: NewOrder): Promise<OrderRecord | null> {
    const { items } = order;
    const [row] = await tx.rows(
      placeStatement({
        userId: order.userId,
        total: order.total,
        note: order.note,
        ids: items.map((i) => i.productId),
        skus: items.map((i) => i.sku),
        names: items.map((i) => i.name),
        unitPrices: items.map((i) => i.unitPrice),
        quantities: items.map((i) => i.quantity),
        lineTotals: items.map((i) => i.lineTotal),
      }),
    );
    if (!row) return null;
    return { ...row, userId: order.userId, status: 'pending', total: order.total, note: order.note, items };
  }

  /** Status and owner of an order, or null. */
  async findStatus(id: number): Promise<{ status: OrderStatus; userId: number } | null> {
    const [row] = await this.database.primary.rows(statement(kysely.selectFrom('Order').select(['status', 'userId']).where('id', '=', id)));
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
   * Locks the products of the order's lines in id order (see lockProducts) and returns, per line,
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

  /** The order with its lines (and history, if asked), if it exists and, when `ownerId` is given, belongs to that user. */
  async findOne(id: number, options: { ownerId?: number; withHistory: boolean }): Promise<OrderRecord | null> {
    const query = kysely
      .selectFrom('Order')
      .select(orderColumns)
      .where('id', '=', id)
      .$if(options.ownerId !== undefined, (q) => q.where('userId', '=', options.ownerId!));
    const [order] = await this.database.primary.rows(statement(query));
    if (!order) return null;
    const [withItems] = await this.withItems([order]);
    if (!options.withHistory) return withItems;
    const history = await this.database.primary.rows(
      statement(kysely.selectFrom('OrderStatusChange').select(['fromStatus', 'toStatus', 'changedById', 'createdAt']).where('orderId', '=', id).orderBy('id')),
    );
    return { ...withItems, history };
  }

  /** Count and page concurrently on two pooled connections (no transaction: a list is a snapshot either way). */
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
    const [[{ count: total }], rows] = await Promise.all([this.database.primary.rows(statement(count)), this.database.primary.rows(statement(page))]);
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
    const lines = await this.database.primary.rows(
      statement(
        kysely
          .selectFrom('OrderItem')
          .select(['orderId', 'productId', 'sku', 'name', 'unitPrice', 'quantity', 'lineTotal'])
          .where(
            'orderId',
            'in',
            orders.map((o) => o.id),
          )
          .orderBy('orderId')
          .orderBy('productId'),
      ),
    );
    const byOrder = new Map<number, OrderLineRow[]>(orders.map((order) => [order.id, []]));
    for (const { orderId, ...line } of lines) byOrder.get(orderId)!.push(line);
    return orders.map((order) => ({ ...order, items: byOrder.get(order.id)! }));
  }
}
