import { Client } from 'pg';

/**
 * Holds a product's row lock from outside the app, so that orders for it wait inside their
 * transaction: a deterministic way to have requests in flight, whatever the machine's speed.
 */
export async function lockProduct(databaseUrl: string, productId: number): Promise<{ release(): Promise<void> }> {
  const locker = new Client({ connectionString: databaseUrl });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('SELECT id FROM "Product" WHERE id = $1 FOR UPDATE', [productId]);
  return {
    release: async () => {
      await locker.query('COMMIT');
      await locker.end();
    },
  };
}

/** Backends of this database waiting for a row lock: the orders that are in flight right now. */
export async function ordersWaitingOnLock(databaseUrl: string): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name = 'shop-api'`,
    );
    return rows[0].n;
  } finally {
    await db.end();
  }
}

/** Polls `check` until it holds; generous by default, for a busy machine. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
