import { Logger } from '@nestjs/common';
import { sql } from 'kysely';
import type { PoolClient } from 'pg';
import { openPool, type WatchedPool } from '../src/database/database-pool.js';
import { sqlRunner } from '../src/database/sql-runner.js';
import { statement } from '../src/database/statement.js';
import { inTransaction } from '../src/database/unit-of-work.js';
import { poolSettings } from './utils/pool-settings.js';
import { createTestDatabase } from './utils/test-app.js';

type Stream = {
  write: (chunk: unknown, ...rest: unknown[]) => boolean;
  _write: (...args: unknown[]) => void;
  _writev: (...args: unknown[]) => void;
};
type Traced = PoolClient & { connection: { stream: Stream; on(event: 'readyForQuery', listener: () => void): void } };

/** The type of each frontend message in a write: 'Q' simple query, 'P' parse, 'B' bind, 'E' execute, 'S' sync, … (a write may hold several). */
function messageTypes(chunk: unknown): string[] {
  if (!Buffer.isBuffer(chunk)) return [];
  const types: string[] = [];
  for (let at = 0; at + 5 <= chunk.length; at += 1 + chunk.readUInt32BE(at + 1)) types.push(String.fromCharCode(chunk[at]));
  return types;
}

/**
 * Records, in order, each message a pool's connections write ('sent Q', …), each write to the
 * socket ('flushed': one system call, however many messages it carries) and each answer's end
 * ('answered': ReadyForQuery).
 */
function traceConnections(pool: WatchedPool['pool']): string[] {
  const events: string[] = [];
  pool.on('connect', (poolClient) => {
    const client = poolClient as Traced;
    const write = client.connection.stream.write.bind(client.connection.stream);
    client.connection.stream.write = (chunk, ...rest) => {
      for (const type of messageTypes(chunk)) events.push(`sent ${type}`);
      return write(chunk, ...rest);
    };
    const stream = client.connection.stream as unknown as Stream;
    for (const method of ['_write', '_writev'] as const) {
      const flush = stream[method].bind(stream);
      stream[method] = (...args) => {
        events.push('flushed');
        flush(...args);
      };
    }
    client.connection.on('readyForQuery', () => events.push('answered'));
  });
  return events;
}

const run = (text: string) => statement<Record<string, unknown>>(sql.raw(text));

/** On the service's own pool settings (database-pool.ts), one traced connection. */
describe('Pipelined transactions', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let watched: WatchedPool;
  let events: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection, so every statement of a test goes through the traced one.
    watched = openPool(database.url, poolSettings(database.url, 1), 'shop-api-pipelining-test', new Logger('test'));
    events = traceConnections(watched.pool);
    await watched.pool.query('CREATE TABLE uow_probe (n int NOT NULL CHECK (n > 0))');
  });
  afterAll(async () => {
    await watched.close();
    await database.drop();
  });

  /** The service's unit of work (src/database/unit-of-work.ts). */
  describe('inTransaction', () => {
    const probeRows = async () => (await watched.pool.query<{ n: number }>('SELECT n FROM uow_probe ORDER BY n')).rows.map((r) => r.n);

    it("writes BEGIN and the work's first statement before PostgreSQL answers either: one round trip, then COMMIT after the answer", async () => {
      events.length = 0;
      const rows = await inTransaction(watched.pool, (tx) => tx.rows(statement(sql<{ n: number }>`SELECT ${7}::int AS n`))); // a parameter: the extended protocol, as every statement of the service
      expect(rows).toEqual([{ n: 7 }]);
      const firstAnswer = events.indexOf('answered');
      // BEGIN, then the statement, in one write to the socket; COMMIT after both answers.
      expect(events.slice(0, firstAnswer)).toEqual(['sent Q', 'sent P', 'sent B', 'sent D', 'sent E', 'sent S', 'flushed']);
      expect(events.slice(firstAnswer)).toEqual(['answered', 'answered', 'sent Q', 'flushed', 'answered']);
    });

    it('runs the work inside one transaction block and commits it', async () => {
      const seen = await inTransaction(watched.pool, async (tx) => {
        await tx.rowCount(run(`SET LOCAL statement_timeout = '4321ms'`));
        await tx.rowCount(run('INSERT INTO uow_probe (n) VALUES (1)'));
        return tx.rows(run('SHOW statement_timeout'));
      });
      expect(seen).toEqual([{ statement_timeout: '4321ms' }]); // SET LOCAL outside a block changes nothing
      expect(await probeRows()).toEqual([1]);
    });

    it('rolls everything back when the first statement fails, and the connection serves the next unit of work', async () => {
      await expect(
        inTransaction(watched.pool, async (tx) => {
          await tx.rowCount(run('INSERT INTO uow_probe (n) VALUES (0)')); // violates the check
          await tx.rowCount(run('INSERT INTO uow_probe (n) VALUES (3)'));
        }),
      ).rejects.toMatchObject({ code: '23514' });
      await expect(
        inTransaction(watched.pool, async (tx) => {
          await tx.rowCount(run('INSERT INTO uow_probe (n) VALUES (4)'));
          throw new Error('the work changed its mind');
        }),
      ).rejects.toThrow('the work changed its mind');
      expect(await probeRows()).toEqual([1]);
      await inTransaction(watched.pool, (tx) => tx.rowCount(run('INSERT INTO uow_probe (n) VALUES (2)')));
      expect(await probeRows()).toEqual([1, 2]);
    });

    it("hands the connection on as COMMIT is written: a waiting unit's BEGIN and first statement leave in the same write, and each answers after its own COMMIT", async () => {
      await watched.pool.query('TRUNCATE uow_probe');
      events.length = 0;
      const answersSeen = () => events.filter((e) => e === 'answered').length;
      const insert = (n: number) =>
        inTransaction(watched.pool, (tx) => tx.rowCount(statement(sql`INSERT INTO uow_probe (n) VALUES (${n}::int)`))).then(answersSeen);
      const [first, second] = await Promise.all([insert(1), insert(2)]); // one connection: the second waits for the first's
      expect(events).toEqual([
        ...['sent Q', 'sent P', 'sent B', 'sent D', 'sent E', 'sent S', 'flushed'], // unit 1: BEGIN + INSERT
        ...['answered', 'answered'],
        ...['sent Q', 'sent Q', 'sent P', 'sent B', 'sent D', 'sent E', 'sent S', 'flushed'], // unit 1's COMMIT, unit 2's BEGIN + INSERT: one write
        ...['answered', 'answered', 'answered'],
        ...['sent Q', 'flushed', 'answered'], // unit 2's COMMIT, nobody waiting
      ]);
      expect(first).toBeGreaterThanOrEqual(3); // unit 1 answered once its COMMIT had (the third answer), not as it was written
      expect(second).toBe(6);
      expect(await probeRows()).toEqual([1, 2]);
    });

    it('rejects the unit whose COMMIT fails (the transaction is rolled back), while the unit written behind it commits', async () => {
      await watched.pool.query('CREATE TABLE uow_deferred (n int UNIQUE DEFERRABLE INITIALLY DEFERRED)');
      try {
        const insertTwice = (n: number) =>
          inTransaction(watched.pool, async (tx) => {
            await tx.rowCount(run(`INSERT INTO uow_deferred (n) VALUES (${n})`));
            await tx.rowCount(run(`INSERT INTO uow_deferred (n) VALUES (${n})`)); // checked only at COMMIT
          });
        const insertOnce = inTransaction(watched.pool, (tx) => tx.rowCount(run('INSERT INTO uow_deferred (n) VALUES (9)')));
        const [failed, committed] = await Promise.allSettled([insertTwice(5), insertOnce]);
        expect(failed).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
        expect(committed).toMatchObject({ status: 'fulfilled' });
        expect((await watched.pool.query('SELECT n FROM uow_deferred ORDER BY n')).rows).toEqual([{ n: 9 }]);
        // The one connection is out of any transaction block: its next statement is a transaction of its own.
        expect((await watched.pool.query('SELECT now() = statement_timestamp() AS alone')).rows).toEqual([{ alone: true }]);
      } finally {
        await watched.pool.query('DROP TABLE uow_deferred');
      }
    });
  });

  /** The reads planned without sequential scans (src/database/sql-runner.ts, `indexScansOnly`): their own read-only transaction, one round trip. */
  describe('sqlRunner rows with indexScansOnly', () => {
    it('sends the transaction, the statement and COMMIT before the first answer, and plans the statement without sequential scans', async () => {
      events.length = 0;
      const runner = sqlRunner(watched.pool, watched.pool);
      const rows = await runner.rows(
        statement(
          sql<{
            enable_seqscan: string;
            read_only: string;
          }>`SELECT current_setting(${'enable_seqscan'}) AS enable_seqscan, current_setting('transaction_read_only') AS read_only`,
        ),
        { indexScansOnly: true },
      );
      expect(rows).toEqual([{ enable_seqscan: 'off', read_only: 'on' }]);
      const firstAnswer = events.indexOf('answered');
      expect(events.slice(0, firstAnswer)).toEqual(['sent Q', 'sent P', 'sent B', 'sent D', 'sent E', 'sent S', 'sent Q', 'flushed']); // one write
      expect((await watched.pool.query<{ s: string }>(`SELECT current_setting('enable_seqscan') AS s`)).rows).toEqual([{ s: 'on' }]); // SET LOCAL ended with it
    });

    it("answers the statement's own error, writes nothing, and the pool carries on", async () => {
      const runner = sqlRunner(watched.pool, watched.pool);
      await expect(runner.rows(statement(sql`SELECT 1 / ${0}::int AS n`), { indexScansOnly: true })).rejects.toMatchObject({ code: '22012' });
      await expect(runner.rows(statement(sql`CREATE TABLE written_in_a_read (n int)`), { indexScansOnly: true })).rejects.toMatchObject({ code: '25006' });
      expect((await watched.pool.query(`SELECT to_regclass('written_in_a_read') AS t`)).rows).toEqual([{ t: null }]);
      expect(await runner.rows(statement(sql<{ n: number }>`SELECT ${2}::int AS n`), { indexScansOnly: true })).toEqual([{ n: 2 }]);
    });
  });

  /** A page and its count (src/database/sql-runner.ts, `rowsOfBoth`): one connection, one write, each its own statement. */
  describe('sqlRunner rowsOfBoth', () => {
    it('writes both statements before the first answer, in one write, each in a transaction of its own', async () => {
      events.length = 0;
      const runner = sqlRunner(watched.pool, watched.pool);
      const transactionId = (n: number) => statement(sql<{ n: number; xid: string }>`SELECT ${n}::int AS n, pg_current_xact_id()::text AS xid`);
      const [[first], [second]] = await runner.rowsOfBoth(transactionId(1), transactionId(2));
      expect([first.n, second.n]).toEqual([1, 2]);
      expect(first.xid).not.toBe(second.xid);
      const firstAnswer = events.indexOf('answered');
      expect(events.slice(0, firstAnswer)).toEqual([
        'sent P',
        'sent B',
        'sent D',
        'sent E',
        'sent S',
        'sent P',
        'sent B',
        'sent D',
        'sent E',
        'sent S',
        'flushed',
      ]);
      expect(events.slice(firstAnswer)).toEqual(['answered', 'answered']);
    });

    it("answers either statement's error, and the pool carries on", async () => {
      const runner = sqlRunner(watched.pool, watched.pool);
      await expect(runner.rowsOfBoth(statement(sql`SELECT ${1}::int AS n`), statement(sql`SELECT 1 / ${0}::int AS n`))).rejects.toMatchObject({
        code: '22012',
      });
      await expect(runner.rowsOfBoth(statement(sql`SELECT 1 / ${0}::int AS n`), statement(sql`SELECT ${1}::int AS n`))).rejects.toMatchObject({
        code: '22012',
      });
      expect(await runner.rowsOfBoth(statement(sql<{ n: number }>`SELECT ${3}::int AS n`), statement(sql<{ n: number }>`SELECT ${4}::int AS n`))).toEqual([
        [{ n: 3 }],
        [{ n: 4 }],
      ]);
    });
  });
});
