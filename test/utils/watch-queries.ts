import pg from 'pg';

/**
 * Calls `seen` with every query any pg client sends (a text or a QueryConfig, and the client), the
 * repositories' raw SQL and Prisma's alike, before sending it; the returned function stops watching.
 */
export function watchQueries(seen: (config: unknown, client: pg.Client) => void): () => void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back on the prototype, where it is called as a method
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
    seen(config, this);
    return (original as (...args: unknown[]) => unknown).call(this, config, ...rest);
  } as typeof pg.Client.prototype.query;
  return () => {
    pg.Client.prototype.query = original;
  };
}
