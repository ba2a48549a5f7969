import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { freePort } from '../src/database/free-port.js';
import { eventually } from './utils/eventually.js';
import { startService, type ServiceProcess } from './utils/service-process.js';
import { createTestDatabase } from './utils/test-app.js';

const METRICS_TOKEN = 'metrics-token-of-the-test-processes';

/** The pids of the primary's worker processes, from /proc. */
function workerPids(primaryPid: number): number[] {
  const children = readFileSync(`/proc/${primaryPid}/task/${primaryPid}/children`, 'utf8').trim();
  return children ? children.split(/\s+/).map(Number) : [];
}

/** Status of a GET on a connection of its own (a kept-alive one could belong to a killed worker). */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    })
      .on('timeout', function (this: { destroy(err: Error): void }) {
        this.destroy(new Error(`no answer from ${url} in 5 s`));
      })
      .on('error', reject);
  });
}

async function requestCount(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const match = /^http_requests_total\{method="GET",route="\/health\/live",status_code="200"\} (\d+)$/m.exec(text);
  return match ? Number(match[1]) : 0;
}

describe('WORKERS: several processes sharing the port (node:cluster)', () => {
  // One cluster for the whole file (starting one costs seconds): the steps run in order.
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let service: ServiceProcess;
  let metricsUrl: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    service = await startService({ DATABASE_URL: database.url, WORKERS: '2', METRICS_PORT: String(metricsPort) });
    // Ready as soon as one worker answers: wait for the other too.
    await eventually(() => expect(service.lines.join('\n').match(/Shop API listening/g)).toHaveLength(2), 60_000);
  }, 90_000);
  afterAll(async () => {
    if (service?.child.exitCode === null) {
      for (const pid of workerPids(service.child.pid!)) process.kill(pid, 'SIGKILL');
      service.child.kill('SIGKILL');
    }
    await database?.drop();
  });

  it('serves from two workers and sums their metrics on METRICS_PORT', async () => {
    expect(workerPids(service.child.pid!)).toHaveLength(2);
    const answers = await Promise.all(Array.from({ length: 40 }, () => statusOf(`${service.baseUrl}/health/live`)));
    expect(answers.every((s) => s === 200)).toBe(true);
    // Both workers count requests; the primary's scrape is their sum.
    expect(await requestCount(metricsUrl)).toBe(40);
    expect((await fetch(metricsUrl)).status).toBe(401);
  });

  it('replaces a worker that dies, and keeps serving meanwhile', async () => {
    const primary = service.child.pid!;
    const [victim, survivor] = workerPids(primary);
    process.kill(victim, 'SIGKILL');
    // A connection the primary handed to the victim as it died is lost (what SIGKILL costs); once
    // the primary has seen the exit, the survivor takes every new connection.
    await eventually(() => expect(service.lines.join('\n')).toMatch(new RegExp(`worker ${victim} exited \\(SIGKILL\\): starting another`)));
    for (let i = 0; i < 10; i++) expect(await statusOf(`${service.baseUrl}/health/live`)).toBe(200);
    await eventually(() => {
      const pids = workerPids(primary);
      expect(pids).toHaveLength(2);
      expect(pids).toContain(survivor);
      expect(pids).not.toContain(victim);
    }, 30_000);
    await eventually(() => expect(service.lines.join('\n').match(/Shop API listening/g)).toHaveLength(3), 60_000);
  }, 90_000);

  it('drains every worker on SIGTERM and exits 0', async () => {
    const exited = once(service.child, 'exit');
    service.child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    const log = service.lines.join('\n');
    expect(log.match(/Shutdown complete/g)).toHaveLength(2);
    expect(log).toMatch(/workers exited \(0, 0\): shutdown complete/);
  }, 60_000);
});
