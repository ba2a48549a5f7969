import { createTestDatabase } from './utils/test-app.js';
import { startService, type ServiceProcess } from './utils/service-process.js';

/** Runs the real process: the log lines are what an operator would see on stdout. */
describe('JSON request logs', () => {
  let service: ServiceProcess;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    service = await startService({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  const logLines = () =>
    service.lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });

  const waitForLine = async (predicate: (l: Record<string, unknown>) => boolean) => {
    for (let i = 0; i < 200; i++) {
      const found = logLines().find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no matching log line in:\n${service.lines.join('\n')}`);
  };

  it('leaves secret values of the query string out of the request line', async () => {
    await fetch(`${service.baseUrl}/v1/products?search=tea&access_token=abc123&password=hunter22`, { headers: { 'x-request-id': 'log-redact-1' } });
    const line = await waitForLine((l) => l.requestId === 'log-redact-1');
    expect(line.url).toBe('/v1/products?search=tea&access_token=[Redacted]&password=[Redacted]');
    expect(JSON.stringify(logLines())).not.toMatch(/abc123|hunter22/);
  });

  it('writes one JSON line per request with its id, method, route template, status and duration', async () => {
    const res = await fetch(`${service.baseUrl}/v1/users/123`, { method: 'PATCH', headers: { 'x-request-id': 'log-test-1' } });
    expect(res.headers.get('x-request-id')).toBe('log-test-1');
    const line = await waitForLine((l) => l.requestId === 'log-test-1');
    expect(line).toEqual(
      expect.objectContaining({
        level: 40,
        requestId: 'log-test-1',
        route: '/v1/users/:id',
        status: 401,
        durationMs: expect.any(Number),
        method: 'PATCH',
        url: '/v1/users/123',
        clientIp: '127.0.0.1',
      }),
    );
    // Each field once: no nested req/res copies of method, url, status or the address.
    expect(Object.keys(line).sort()).toEqual(
      ['clientIp', 'durationMs', 'hostname', 'level', 'method', 'msg', 'pid', 'requestId', 'route', 'status', 'time', 'url'].sort(),
    );
  });

  it('writes exactly one line per request (asynchronously, nothing lost), and none for liveness probes', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `log-count-${i}`);
    await Promise.all(ids.map((id) => fetch(`${service.baseUrl}/v1/products/999999`, { headers: { 'x-request-id': id } }).then((r) => r.text())));
    await fetch(`${service.baseUrl}/health/live`, { headers: { 'x-request-id': 'log-live' } }).then((r) => r.text());
    await waitForLine((l) => l.requestId === ids.at(-1));
    await waitForLine(() => ids.every((id) => logLines().some((line) => line.requestId === id)));
    for (const id of ids) {
      expect(logLines().filter((l) => l.requestId === id)).toEqual([
        expect.objectContaining({ level: 40, route: '/v1/products/:id', status: 404, msg: 'request completed' }),
      ]);
    }
    expect(logLines().some((l) => l.requestId === 'log-live')).toBe(false);
  });

  it('never logs passwords, tokens or the Authorization header', async () => {
    const secretPassword = 'Sup3r-secret-password!';
    await fetch(`${service.baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer leaked-token-value', 'x-request-id': 'log-test-2' },
      body: JSON.stringify({ email: 'someone@example.com', password: secretPassword }),
    });
    await waitForLine((l) => l.requestId === 'log-test-2');
    const all = service.lines.join('\n');
    expect(all).not.toContain(secretPassword);
    expect(all).not.toContain('leaked-token-value');
  });

  it('logs an unexpected error with its stack, while the client sees none', async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: database.url });
    await client.connect();
    await client.query('DROP TABLE "RefreshToken"');
    await client.end();
    const res = await fetch(`${service.baseUrl}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'log-test-3' },
      body: JSON.stringify({ refreshToken: 'x' }),
    });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toMatch(/RefreshToken|at .*\.js/);
    const error = await waitForLine((l) => l.requestId === 'log-test-3' && l.level === 50 && l.msg === 'Unhandled error');
    expect(JSON.stringify(error.err)).toMatch(/stack/);
  });
});
