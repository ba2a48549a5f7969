import type { PrismaService } from '../../src/database/prisma.service.js';

/**
 * The database's invariants after the fuzzing, in SQL: every product's stock plus what
 * non-cancelled orders hold of it equals the level the API's answers imply (its seeded or
 * created stock, or its last stock write), no order without lines, every total the sum of
 * its lines and every line its unit price times its quantity.
 */
export async function brokenInvariants(prisma: PrismaService, stockLevels: Map<number, number>): Promise<string[]> {
  const broken: string[] = [];

  const stock = await prisma.$queryRaw<Array<{ id: number; stock: number; held: bigint }>>`
    SELECT p.id, p.stock, COALESCE(SUM(i.quantity) FILTER (WHERE o.status <> 'cancelled'), 0) AS held
    FROM "Product" p
    LEFT JOIN "OrderItem" i ON i."productId" = p.id
    LEFT JOIN "Order" o ON o.id = i."orderId"
    GROUP BY p.id ORDER BY p.id`;
  for (const row of stock) {
    const expected = stockLevels.get(row.id);
    const actual = row.stock + Number(row.held);
    if (expected === undefined) broken.push(`product ${row.id} exists, but no answer ever created it`);
    else if (actual !== expected) broken.push(`product ${row.id}: stock ${row.stock} + held by orders ${row.held} = ${actual}, expected ${expected}`);
  }

  const empty = await prisma.$queryRaw<Array<{ id: number }>>`
    SELECT o.id FROM "Order" o WHERE NOT EXISTS (SELECT 1 FROM "OrderItem" i WHERE i."orderId" = o.id)`;
  for (const { id } of empty) broken.push(`order ${id} has no lines`);

  const totals = await prisma.$queryRaw<Array<{ id: number; total: string; sum: string }>>`
    SELECT o.id, o.total::text AS total, SUM(i."lineTotal")::text AS sum
    FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o.id
    GROUP BY o.id HAVING o.total <> SUM(i."lineTotal")`;
  for (const row of totals) broken.push(`order ${row.id}: total ${row.total}, lines sum to ${row.sum}`);

  const lines = await prisma.$queryRaw<Array<{ id: number; orderId: number }>>`
    SELECT id, "orderId" FROM "OrderItem" WHERE "lineTotal" <> "unitPrice" * quantity OR quantity < 1`;
  for (const row of lines) broken.push(`order ${row.orderId}: line ${row.id} is not unit price × quantity`);

  return broken;
}
