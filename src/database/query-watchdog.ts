import type { Pool, PoolClient } from 'pg';

/** pg's Client keeps the query it is waiting on as its active query (pg 8). */
type WatchedClient = PoolClient & {
  _getActiveQuery?: () => object | null | undefined;
  connection?: { stream?: { destroy(error?: Error): void } };
};

const ignoreCheckedOutError = () => undefined;

interface Seen {
  query: object;
  since: number;
}

/**
 * The client-side query timeout, for a database that hangs (frozen, partitioned) rather than
 * refusing: how long a connection may wait for one query's answer. pg's own `query_timeout`
 * arms a timer per query, and under load those timers tripled the garbage collector's work
 * (measured on GET /v1/products: ~55 instead of ~13 µs of GC per request). Here one timer per
 * pool looks at the pool's connections every `timeoutMs / 4` (at most 250 ms): a connection
 * still waiting on the same query after `timeoutMs` is destroyed, so the query fails with a
 * connection error (answered as a 503, see database-errors.ts) and the pool opens a new
 * connection. Returns the function that stops watching.
 */
export function watchQueries(pool: Pool, timeoutMs: number): () => void {
  const clients = new Set<WatchedClient>();
  const seen = new WeakMap<WatchedClient, Seen>();
  pool.on('connect', (client) => {
    clients.add(client);
    // A checked-out connection has no 'error' listener of the pool's (it only listens while the
    // connection is idle), and an unheard 'error' event would end the process. The error also
    // fails the connection's query, which is where it is handled (and answered as a 503).
    client.on('error', ignoreCheckedOutError);
  });
  pool.on('remove', (client) => clients.delete(client as WatchedClient));

  const check = () => {
    const now = performance.now();
    for (const client of clients) {
      const query = client._getActiveQuery?.();
      const last = seen.get(client);
      if (!query) {
        if (last) seen.delete(client);
      } else if (last?.query !== query) {
        seen.set(client, { query, since: now });
      } else if (now - last.since >= timeoutMs) {
        seen.delete(client);
        client.connection?.stream?.destroy(new Error('Query read timeout'));
      }
    }
  };
  const timer = setInterval(check, Math.min(250, Math.max(10, Math.floor(timeoutMs / 4)))).unref();
  return () => clearInterval(timer);
}
