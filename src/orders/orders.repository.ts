import { Injectable } from '@nestjs/common';
import { type KeyValue, keysetWhere } from '../common/pagination/cursor.js';
import type { OrderBy } from '../common/pagination/ordering.js';
import { PrismaService } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { OrderRecord } from './dto/order.dto.js';
import type { OrderStatus } from './order-workflow.js';
import { inRetriedTransaction, type Tx } from './pg-transaction.js';

/**
 * Timestamps are stored as UTC in `timestamp(3)` columns (Prisma's convention). Raw SQL writes
 * them with this expression and reads them back with AT TIME ZONE 'UTC' (a timestamptz, which
 * pg parses correctly), so the session's TimeZone setting never matters.
 */
export const NOW_UTC = `(now() AT TIME ZONE 'UTC')`;

export interface LockedProduct {
  id: number;
  sku: string;
  name: string;
  /** numeric as text, e.g. "19.99" */
  price: string;
  stock: number;
  /** active and not archived */
  orderable: boolean;
}

export interface NewOrder {
  userId: number;
  total: string;
  note: string | null;
  /** Sorted by productId. */
  items: Array<{ productId: number; sku: string; name: string; unitPrice: string; quantity: number; lineTotal: string }>;
}

/** One line of an order about to be cancelled: the units to put back on a product holding `stock`. */
export interface Restock {
  productId: number;
  sku: string;
  stock: number;
  quantity: number;
}

const itemsInclude = { orderBy: { productId: 'asc' } } as const;
const historyInclude = { orderBy: { id: 'asc' } } as const;

/**
 * All SQL of the orders module. Writes that must be atomic run in `transaction` on one pooled
 * pg connection (raw SQL: the placement is the hot path); reads go through Prisma.
 */
@Injectable()
export class OrdersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One transaction (READ COMMITTED), retried on deadlock / serialization failure. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return inRetriedTransaction(this.prisma.pool, work);
  }

  /**
   * Locks the products' rows in ascending id order and returns them as they are now. Every
   * transaction that locks several product rows does so in this one order (placing an order
   * here, cancelling one in `lockRestocks`), so two of them can never wait on each other in a
   * cycle: no deadlock whatever the line order of the requests. A single UPDATE … FROM would
   * lock rows in whatever order its plan visits them, which is why the lock comes first.
   * Unknown ids are simply absent from the result.
   */
  async lockProducts(tx: Tx, ids: number[]): Promise<LockedProduct[]> {
    const { rows } = await tx.query<LockedProduct>({
      name: 'orders-lock-products',
      text: `SELECT id, sku, name, price, stock, (active AND "archivedAt" IS NULL) AS orderable
       FROM "Product" WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`,
      values: [ids],
    });
    return rows;
  }

  /**
   * One statement (a prepared one, as lockProducts: placing orders is the hot path): takes each
   * line's quantity off its product's stock, only where that much is left, and — only if every
   * line's product was decremented — inserts the order, its lines and its first history entry
   * (null → pending). The rows are already locked by lockProducts and checked against them, so the
   * decrement cannot miss; its condition is the last line of defence against ever going negative,
   * and null (no order inserted) is what the caller sees if it ever did.
   */
  async decrementStockAndInsertOrder(tx: Tx, order: NewOrder): Promise<OrderRecord | null> {
    const { items } = order;
    const { rows } = await tx.query<{ id: number; createdAt: Date; updatedAt: Date }>({
      name: 'orders-place',
      text: `WITH decremented AS (
         UPDATE "Product" AS p
         SET stock = p.stock - l.quantity, version = p.version + 1, "updatedAt" = ${NOW_UTC}
         FROM unnest($4::int[], $8::int[]) AS l(id, quantity)
         WHERE p.id = l.id AND p.stock >= l.quantity
         RETURNING p.id
       ), o AS (
         INSERT INTO "Order" ("userId", status, total, note, "createdAt", "updatedAt")
         SELECT $1, 'pending', $2::numeric, $3, ${NOW_UTC}, ${NOW_UTC}
         WHERE (SELECT count(*) FROM decremented) = cardinality($4::int[])
         RETURNING id, "createdAt", "updatedAt"
       ), lines AS (
         INSERT INTO "OrderItem" ("orderId", "productId", sku, name, "unitPrice", quantity, "lineTotal")
         SELECT o.id, l.* FROM o, unnest($4::int[], $5::text[], $6::text[], $7::numeric[], $8::int[], $9::numeric[]) AS l
       ), history AS (
         INSERT INTO "OrderStatusChange" ("orderId", "fromStatus", "toStatus", "changedById", "createdAt")
         SELECT o.id, NULL, 'pending', $1, o."createdAt" FROM o
       )
       SELECT id, "createdAt" AT TIME ZONE 'UTC' AS "createdAt", "updatedAt" AT TIME ZONE 'UTC' AS "updatedAt" FROM o`,
      values: [
        order.userId,
        order.total,
        order.note,
        items.map((i) => i.productId),
        items.map((i) => i.sku),
        items.map((i) => i.name),
        items.map((i) => i.unitPrice),
        items.map((i) => i.quantity),
        items.map((i) => i.lineTotal),
      ],
    });
    const [row] = rows;
    if (!row) return null;
    return { ...row, userId: order.userId, status: 'pending', total: order.total, note: order.note, items };
  }

  /** Status and owner of an order, or null. */
  async findStatus(id: number): Promise<{ status: OrderStatus; userId: number } | null> {
    const { rows } = await this.prisma.pool.query<{ status: OrderStatus; userId: number }>(`SELECT status, "userId" FROM "Order" WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * Moves the order from `from` to `to` only if it is still in `from` (a conditional update:
   * of two concurrent changes made from the same status, exactly one matches), and records the
   * change in the history in the same statement. Returns false when the status had moved on.
   */
  async changeStatus(tx: Tx, id: number, from: OrderStatus, to: OrderStatus, changedById: number): Promise<boolean> {
    const result = await tx.query(
      `WITH moved AS (
         UPDATE "Order" SET status = $3::"OrderStatus", version = version + 1, "updatedAt" = ${NOW_UTC}
         WHERE id = $1 AND status = $2::"OrderStatus"
         RETURNING id, "updatedAt"
       )
       INSERT INTO "OrderStatusChange" ("orderId", "fromStatus", "toStatus", "changedById", "createdAt")
       SELECT id, $2::"OrderStatus", $3::"OrderStatus", $4, "updatedAt" FROM moved`,
      [id, from, to, changedById],
    );
    return result.rowCount === 1;
  }

  /**
   * Locks the products of the order's lines in id order (see lockProducts) and returns, per line,
   * the product's stock now and the quantity that cancelling would put back, in productId order
   * (the order of the order's items in the API).
   */
  async lockRestocks(tx: Tx, orderId: number): Promise<Restock[]> {
    const { rows } = await tx.query<Restock>(
      `SELECT p.id AS "productId", p.sku, p.stock, i.quantity FROM "Product" p JOIN "OrderItem" i ON i."productId" = p.id
       WHERE i."orderId" = $1 ORDER BY p.id FOR UPDATE OF p`,
      [orderId],
    );
    return rows;
  }

  /** Puts every line's quantity back on its product; lock them first with lockRestocks. */
  async restoreStock(tx: Tx, orderId: number): Promise<void> {
    await tx.query(
      `UPDATE "Product" AS p
       SET stock = p.stock + i.quantity, version = p.version + 1, "updatedAt" = ${NOW_UTC}
       FROM "OrderItem" AS i
       WHERE i."orderId" = $1 AND p.id = i."productId"`,
      [orderId],
    );
  }

  /** The order with its lines (and history, if asked), if it exists and, when `ownerId` is given, belongs to that user. */
  findOne(id: number, options: { ownerId?: number; withHistory: boolean }): Promise<OrderRecord | null> {
    return this.prisma.order.findFirst({
      where: { id, ...(options.ownerId === undefined ? {} : { userId: options.ownerId }) },
      include: { items: itemsInclude, ...(options.withHistory ? { history: historyInclude } : {}) },
    });
  }

  async list(where: Prisma.OrderWhereInput, orderBy: OrderBy, skip: number, take: number): Promise<[number, OrderRecord[]]> {
    return Promise.all([
      this.prisma.order.count({ where }),
      this.prisma.order.findMany({
        where,
        orderBy: orderBy,
        skip,
        take,
        include: { items: itemsInclude },
      }),
    ]);
  }

  /** A cursor page: `take` orders after `after` in `order` (see keysetWhere), no count. */
  listAfter(where: Prisma.OrderWhereInput, order: OrderBy, after: KeyValue[] | undefined, take: number): Promise<OrderRecord[]> {
    const keyset = after ? keysetWhere(order, after, (column, raw) => (column === 'createdAt' ? new Date(raw) : raw)) : {};
    return this.prisma.order.findMany({
      where: { AND: [where, keyset as Prisma.OrderWhereInput] },
      orderBy: order,
      take,
      include: { items: itemsInclude },
    });
  }
}
