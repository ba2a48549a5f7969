import pg from 'pg';
import { createTestDatabase } from './test-app.js';

/**
 * Runs `check` on a fresh database holding one category and one product (sku T-1, name "Ab",
 * stock 4), connected as a plain client, then drops it: for tests of what the triggers on
 * "Product" keep beside it when the table is emptied at once (TRUNCATE).
 */
export async function withOneProduct(check: (client: pg.Client) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query(`INSERT INTO "Category" (name, slug, "updatedAt") VALUES ('T', 't', now()) RETURNING id`);
    await client.query(`INSERT INTO "Product" (sku, name, price, stock, "categoryId", "updatedAt") VALUES ('T-1', 'Ab', 1, 4, $1, now())`, [rows[0].id]);
    await check(client);
  } finally {
    await client.end();
    await database.drop();
  }
}
