import type { Server } from 'node:http';
import fc from 'fast-check';
import { PASSWORD } from './utils/fixtures.js';
import { createTestApp, type TestApp } from './utils/test-app.js';
import { type BodySpec, type FuzzCase, fuzzCases } from './fuzz/cases.js';
import { brokenInvariants } from './fuzz/invariants.js';
import { type OpenApiDocument, type Operation, operationsOf } from './fuzz/openapi.js';
import { check, type Violation } from './fuzz/oracle.js';
import { PoolRef } from './fuzz/placeholders.js';
import { describeFailure, FuzzStats } from './fuzz/report.js';
import { SchemaArbitraries } from './fuzz/schema-arbitrary.js';
import { seedWorld } from './fuzz/seed.js';
import { send } from './fuzz/send.js';
import type { HttpRequest, HttpResponse, World } from './fuzz/world.js';

/**
 * Property-based fuzzing of every operation in /openapi.json (fast-check): valid, boundary and
 * malformed requests from every kind of caller. Every answer must keep the contract (no 5xx,
 * problem+json errors with the right status, no leaks, 405 for undeclared methods, ids read
 * strictly), and afterwards the database's invariants must hold.
 *
 *   FUZZ_SEED   fixed by default (8: within the default count it reaches every failure class known when the
 *               fuzzer was written); "random" for a new one; always printed
 *   FUZZ_RUNS   generated requests (default 3000); FUZZ_TIME_MS caps the time (default 300000: a safety net,
 *               not a budget. The default run is always the seed's first 3000 requests, ~60 s on a quiet
 *               machine: capped at 60 s, a machine at a load average of 20 stopped after 1,692, before the
 *               coverage the assertions below expect, and the same commit passed and failed by load alone)
 *   FUZZ_PATH   with FUZZ_SEED: replays the counterexample fast-check printed
 *   FUZZ_KEEP_GOING=1  does not stop at the first failure: lists every distinct one at the end
 */
function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(process.env[name])}`);
  return value;
}

const seed = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : numberFromEnv('FUZZ_SEED', 8);
const numRuns = numberFromEnv('FUZZ_RUNS', 3000);
const timeLimitMs = numberFromEnv('FUZZ_TIME_MS', 300_000);
const replayPath = process.env.FUZZ_PATH;
const keepGoing = process.env.FUZZ_KEEP_GOING === '1';

/** Field names whose valid values mostly come from rows that exist. */
const POOL_HINTS = { productId: 'products', categoryId: 'categories', userId: 'users', refreshToken: 'refreshTokens', email: 'emails' };
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).join();

describe('API fuzzer (fast-check over /openapi.json)', () => {
  let t: TestApp;
  let server: Server;
  let doc: OpenApiDocument;
  let operations: Operation[];
  let world: World;
  const stats = new FuzzStats();

  const exchange = async (req: HttpRequest): Promise<HttpResponse> => {
    const res = await send(server, req);
    stats.record(req, res);
    world.observe(req, res);
    return res;
  };

  beforeAll(async () => {
    t = await createTestApp();
    // Listening on a real port: supertest reuses it, and requests Node's client refuses go over a socket.
    server = await t.app.listen(0, '127.0.0.1');
    doc = (await t.http.get('/openapi.json').expect(200)).body as OpenApiDocument;
    operations = operationsOf(doc);
    world = await seedWorld(t, operations);
  }, 60_000);
  afterAll(() => t?.close());

  it(
    'keeps the contract for generated valid, boundary and malformed requests, and the database stays consistent',
    async () => {
      const schemas = new SchemaArbitraries(doc, POOL_HINTS, { password: fc.constant(PASSWORD), email: fc.emailAddress().filter((e) => e.length <= 254) });

      // A few orders first, so that order ids exist from the first generated request on.
      for (const pick of [0, 20, 40]) {
        const body: BodySpec = { kind: 'json', value: { items: [{ productId: new PoolRef('products', pick), quantity: 1 }] }, contentType: 'application/json' };
        const res = await exchange(world.resolve({ operation: 'POST /v1/orders', as: 'customer', path: {}, query: [], headers: [], body }));
        expect(`${res.status} ${res.text}`).toMatch(/^201 /);
      }

      const started = Date.now();
      let inFlight: Promise<unknown> = Promise.resolve();
      const fuzzOne = async (c: FuzzCase) => {
        const req = world.resolve(c);
        let res: HttpResponse;
        const violations: Violation[] = [];
        try {
          res = await exchange(req);
          violations.push(...check(req, res));
        } catch (error) {
          res = { status: 0, headers: {}, text: '' };
          violations.push({ kind: 'no answer', detail: String(error) });
        }
        // The app runs in this process: a polluted prototype would show here.
        const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).join();
        if (prototypeKeys !== PROTOTYPE_KEYS) violations.push({ kind: 'prototype polluted', detail: prototypeKeys });
        if (violations.length === 0) return;
        stats.fail(req, res, violations);
        if (!keepGoing) throw new Error(describeFailure(req, res, violations));
      };
      const property = fc.asyncProperty(fuzzCases(operations, { schemas, poolFor: (op) => world.poolFor(op) }), (c) => {
        const run = fuzzOne(c);
        inFlight = run.catch(() => undefined);
        return run;
      });
      const details = await fc.check(property, {
        seed,
        numRuns,
        path: replayPath,
        includeErrorInReport: true,
        plugins: [fc.interruptAfterTimeLimit(timeLimitMs)],
      });
      // An interrupted run's request is still on its way: let it finish before reading the database.
      await inFlight;
      const broken = await brokenInvariants(t.prisma, world.stockLevels);

      const rerun = `FUZZ_SEED=${details.seed}${details.counterexamplePath ? ` FUZZ_PATH=${details.counterexamplePath}` : ''}`;
      const declared = operations.map((op) => op.key);
      console.log(
        `API fuzzer: seed ${details.seed}, ${details.numRuns} generated requests in ${((Date.now() - started) / 1000).toFixed(1)} s` +
          `${details.interrupted ? ` (time limit ${timeLimitMs} ms reached)` : ''}\n${stats.summary(declared)}\n` +
          `created: ${world.describeCreated()}; distinct failures: ${stats.distinctFailures}; ` +
          `database invariants: ${broken.length ? `${broken.length} broken` : 'hold'}\nrerun: ${rerun}`,
      );

      const failures: string[] = [];
      if (details.failed) failures.push(`The API fuzzer found a failure. Rerun it with ${rerun}\n\n${fc.defaultReportMessage(details)}`);
      if (keepGoing && stats.distinctFailures > 0)
        failures.push(`${stats.distinctFailures} distinct failures (seed ${details.seed}):\n\n${stats.failureReport()}`);
      if (broken.length > 0) failures.push(`Database invariants broken after the run (seed ${details.seed}):\n  ${broken.join('\n  ')}`);
      if (failures.length > 0) throw new Error(failures.join('\n\n'));
      if (!replayPath && details.numRuns >= 20 * operations.length) {
        // The generator must reach past validation into the database, or the run proves little.
        expect(stats.uncovered(declared)).toEqual([]);
        expect(world.created.get('orders')).toBeGreaterThan(10);
        expect(world.created.get('products')).toBeGreaterThan(0);
      }
    },
    timeLimitMs + 120_000,
  );
});
