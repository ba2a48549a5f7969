import { Logger } from '@nestjs/common';
import { sql } from 'kysely';
import type { PoolClient } from 'pg';
import type { AppConfig } from '../src/config/app-config.js';
import { openPool, type WatchedPool } from '../src/database/database-pool.js';
import { statement } from '../src/database/statement.js';
import { inTransaction } from '../src/database/unit-of-work.js';
import { createTestDatabase } from './utils/test-app.js';

type Traced = PoolClient & {
  connection: { stream: { write: (chunk: unknown, ...rest: unknown[]) => boolean }; on(event: 'readyForQuery', listener: () => void): void };
};

/** The type of each frontend message in a write: 'Q' simple query, 'P' parse, 'B' bind, 'E' execute, 'S' sync, … (a write may hold several). */
function messageTypes(chunk: unknown): string[] {
  if (!Buffer.isBuffer(chunk)) return [];
  const types: string[] = [];
  for (let at = 0; at + 5 <= chunk.length; at += 1 + chunk.readUInt32BE(at + 1)) types.push(String.fromCharCode(chunk[at]));
  return types;
}

/** Records, in order, each message a pool's connections write ('sent Q', …) and each answer's end ('answered': ReadyForQuery). */
function traceConnections(pool: WatchedPool['pool']): string[] {
  const events: string[] = [];
  pool.on('connect', (poolClient) => {
    const client = poolClient as Traced;
    const write = client.connection.stream.write.bind(client.connection.stream);
    client.connection.stream.write = (chunk, ...rest) => {
      for (const type of messageTypes(chunk)) events.push(`sent ${type}`);
      return write(chunk, ...rest);
    };
    client.connection.on('readyForQuery', () => events.push('answered'));
  });
  return events;
}

const run = (text: string) => statement<Record<string, unknown>>(sql.raw(text));

/** The service's unit of work (src/database/unit-of-work.ts) on the service's own pool settings (database-pool.ts). */
describe('inTransaction', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let watched: WatchedPool;
  let events: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    const settings: AppConfig['database'] = {
      url: database.url,
      embeddedDir: '',
      embeddedPort: 0,
      migrateOnStart: false,
      poolMax: 1,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 5000,
      replicas: { urls: [], maxLagMs: 0, checkIntervalMs: 0 },
    };
    watched = openPool(database.url, settings, 'shop-api-unit-of-work-test', new Logger('test'));
    events = traceConnections(watched.pool);
    await watched.pool.query('CREATE TABLE uow_probe (n int NOT NULL CHECK (n > 0))');
  });
  afterAll(async () => {
    await watched.close();
    await database.drop();
  });

  const probeRows = async () => (await watched.pool.query<{ n: number }>('SELECT n FROM uow_probe ORDER BY n')).rows.map((r) => r.n);

  it("writes BEGIN and the work's first statement before PostgreSQL answers either: one round trip, then COMMIT after the answer", async () => {
    events.length = 0;
    const rows = await inTransaction(watched.pool, (tx) => tx.rows(statement(sql<{ n: number }>`SELECT ${7}::int AS n`))); // a parameter: the extended protocol, as every statement of the service
    expect(rows).toEqual([{ n: 7 }]);
    const firstAnswer = events.indexOf('answered');
    expect(events.slice(0, firstAnswer)).toEqual(['sent Q', 'sent P', 'sent B', 'sent D', 'sent E', 'sent S']); // BEGIN, then the statement
    expect(events.slice(firstAnswer)).toEqual(['answered', 'answered', 'sent Q', 'answered']); // BEGIN's, the statement's; COMMIT after both
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
});
