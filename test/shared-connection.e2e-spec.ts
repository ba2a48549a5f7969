import { Logger } from '@nestjs/common';
import { sql } from 'kysely';
import pg from 'pg';
import { openPool, type WatchedPool } from '../src/database/database-pool.js';
import { BY_KEY, sqlRunner, type SqlRunner } from '../src/database/sql-runner.js';
import { prepared } from '../src/database/statement.js';
import { eventually } from './utils/eventually.js';
import { poolSettings } from './utils/pool-settings.js';
import { createTestDatabase } from './utils/test-app.js';

type Traced = pg.PoolClient & {
  connection: { stream: { write: (chunk: unknown, ...rest: unknown[]) => boolean }; on(event: 'readyForQuery', listener: () => void): void };
};

/** Records 'executed' for each Execute message a pool's connections write and 'answered' for each ReadyForQuery they read. */
function traceConnections(pool: pg.Pool): string[] {
  const events: string[] = [];
  pool.on('connect', (poolClient) => {
    const { connection } = poolClient as Traced;
    const write = connection.stream.write.bind(connection.stream);
    connection.stream.write = (chunk, ...rest) => {
      if (Buffer.isBuffer(chunk))
        for (let at = 0; at + 5 <= chunk.length; at += 1 + chunk.readUInt32BE(at + 1)) if (chunk[at] === 0x45) events.push('executed');
      return write(chunk, ...rest);
    };
    connection.on('readyForQuery', () => events.push('answered'));
  });
  return events;
}

interface Answer {
  n: number;
  pid: number;
}
/** A named prepared statement, as the service's lookups by key are: it names the backend that answered. */
const lookup = prepared('shared-connection-test', (params: { n: number }) => sql<Answer>`SELECT ${params.n}::int AS n, pg_backend_pid() AS pid`);
const failing = prepared('shared-connection-test-failing', (params: { n: number }) => sql<Answer>`SELECT 1 / ${params.n}::int AS n, pg_backend_pid() AS pid`);
const slow = prepared(
  'shared-connection-test-slow',
  (params: { n: number }) => sql<Answer>`SELECT ${params.n}::int AS n, pg_backend_pid() AS pid, pg_sleep(1)`,
);

/** Lookups by key on one shared, pipelined connection (src/database/shared-connection.ts), on the service's pool settings. */
describe('The shared connection of lookups by key', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let watched: WatchedPool;
  let runner: SqlRunner;
  let admin: pg.Client;
  let events: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    watched = openPool(database.url, poolSettings(database.url, 3), 'shop-api-shared-connection-test', new Logger('test'));
    events = traceConnections(watched.pool);
    runner = sqlRunner(watched.pool, watched.pool, watched.keyLookups);
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await watched.close();
    await database.drop();
  });

  it('runs concurrent lookups on one connection, without waiting for each answer, each getting its own', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, n) => runner.rows(lookup({ n }), BY_KEY)));
    expect(answers.map(([row]) => row.n)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(events.indexOf('answered')).toBe(50); // all 50 written before the first answer
    expect(new Set(answers.map(([row]) => row.pid)).size).toBe(1);
    expect(watched.pool.totalCount).toBe(1); // 50 at once took one connection of the three
    // Other reads still take a connection of their own.
    const [other] = await runner.rows(lookup({ n: 1 }));
    expect(other.pid).not.toBe(answers[0][0].pid);
  });

  it('fails a statement that fails alone: the lookups around it are answered and the connection is kept', async () => {
    const [[before]] = await Promise.all([runner.rows(lookup({ n: 0 }), BY_KEY)]);
    const outcomes = await Promise.allSettled([
      runner.rows(lookup({ n: 1 }), BY_KEY),
      runner.rows(failing({ n: 0 }), BY_KEY),
      runner.rows(lookup({ n: 2 }), BY_KEY),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: '22012' }); // division by zero
    expect((outcomes[0] as PromiseFulfilledResult<Answer[]>).value).toEqual([{ n: 1, pid: before.pid }]);
    expect((outcomes[2] as PromiseFulfilledResult<Answer[]>).value).toEqual([{ n: 2, pid: before.pid }]);
    expect((await runner.rows(lookup({ n: 3 }), BY_KEY))[0].pid).toBe(before.pid);
  });

  it('fails what was on a lost connection, then looks up on another; the lost one leaves the pool', async () => {
    const [[before]] = await Promise.all([runner.rows(lookup({ n: 0 }), BY_KEY)]);
    const inFlight = runner.rows(slow({ n: 1 }), BY_KEY);
    await eventually(async () => {
      const { rows } = await admin.query<{ active: boolean }>(`SELECT state = 'active' AS active FROM pg_stat_activity WHERE pid = $1`, [before.pid]);
      expect(rows).toEqual([{ active: true }]);
    });
    await admin.query('SELECT pg_terminate_backend($1)', [before.pid]);
    await expect(inFlight).rejects.toBeDefined();
    const after = await eventually(async () => (await runner.rows(lookup({ n: 2 }), BY_KEY))[0]);
    expect(after).toMatchObject({ n: 2 });
    expect(after.pid).not.toBe(before.pid);
    await eventually(() => expect(watched.pool.totalCount).toBeLessThanOrEqual(2)); // the new shared one and the plain read's, not the lost one
  });

  it('gives the connection back when closed, so that the pool can end', async () => {
    const own = openPool(database.url, poolSettings(database.url, 2), 'shop-api-shared-connection-test', new Logger('test'));
    const ownRunner = sqlRunner(own.pool, own.pool, own.keyLookups);
    expect(await ownRunner.rows(lookup({ n: 5 }), BY_KEY)).toEqual([{ n: 5, pid: expect.any(Number) }]);
    expect(own.pool.totalCount).toBe(1);
    await own.close(); // would wait for ever on a connection still checked out
    expect(own.pool.totalCount).toBe(0);
  });

  it('leaves lookups to the pool when the pool has one connection', async () => {
    const single = openPool(database.url, poolSettings(database.url, 1), 'shop-api-shared-connection-test', new Logger('test'));
    try {
      expect(single.keyLookups).toBe(single.pool);
    } finally {
      await single.close();
    }
  });
});
