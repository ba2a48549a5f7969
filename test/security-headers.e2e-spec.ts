import { connect } from 'node:net';
import { AppConfig } from '../src/config/app-config.js';
import { createTestApp, createTestDatabase, type TestApp } from './utils/test-app.js';
import { startService } from './utils/service-process.js';
import { expectProblem } from './utils/problem.js';

/** What a response must never reveal: the framework, the ORM, SQL, or file paths. */
const REVEALING = /fastify|nestjs|express|prisma|FST_ERR|node_modules|\/work\/|\/src\/|\.ts:\d+|SELECT |INSERT |UPDATE |postgres/i;

function expectSecurityHeaders(headers: Record<string, string | undefined>): void {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-resource-policy']).toBe('same-origin');
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('upgrade-insecure-requests'); // TLS ends at the load balancer
  expect(headers['x-powered-by']).toBeUndefined();
  expect(headers.server).toBeUndefined();
}

/** Sends bytes as they are (what a broken client or a scanner would send) and returns the raw answer. */
function rawHttp(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
}

const problemBody = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;

describe('Security headers and what responses reveal', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('sends the security headers on JSON answers, problem documents and the docs', async () => {
    expectSecurityHeaders((await t.http.get('/health/live').expect(200)).headers);
    const notFound = await t.http.get('/v1/nothing-here');
    expectProblem(notFound, 404);
    expectSecurityHeaders(notFound.headers);
    expectSecurityHeaders((await t.http.post('/v1/auth/login').send({}).expect(400)).headers);
    expectSecurityHeaders((await t.http.get('/metrics').expect(200)).headers);
    const docs = await t.http.get('/docs').expect(200);
    expectSecurityHeaders(docs.headers);
    // The docs work under this CSP: no inline scripts, ReDoc's search worker runs from a blob: URL.
    expect(docs.text).not.toMatch(/<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>/);
    expect((await t.http.get('/redoc').expect(200)).headers['content-security-policy']).toContain("worker-src 'self' blob:");
  });

  it('answers no CORS headers when CORS_ORIGINS is empty (the default)', async () => {
    const res = await t.http.get('/health/live').set('Origin', 'https://shop.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http.options('/v1/auth/login').set('Origin', 'https://shop.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers malformed URLs and broken HTTP with problem documents that name no framework', async () => {
    t.app.getHttpServer().listening || (await t.app.listen({ port: 0, host: '127.0.0.1' }));
    const { port } = t.app.getHttpServer().address() as { port: number };

    const badUrl = await rawHttp(port, 'GET /v1/products/%c0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(badUrl).toMatch(/^HTTP\/1\.1 400 /);
    expect(badUrl).toMatch(/content-type: application\/problem\+json/i);
    expect(problemBody(badUrl)).toEqual(expect.objectContaining({ status: 400, type: 'https://shop-api.dev/problems/bad-request' }));

    for (const request of [
      'BREW / HTTP/1.1\r\nHost: x\r\n\r\n', // unknown method
      'GET /health/live HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n', // smuggling attempt
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, // headers over the limit
    ]) {
      const answer = await rawHttp(port, request);
      expect(answer).toMatch(/^HTTP\/1\.1 4(00|31) /);
      expect(answer).toMatch(/content-type: application\/problem\+json/i);
      const body = problemBody(answer);
      expect(body).toEqual(expect.objectContaining({ type: expect.stringMatching(/^https:\/\/shop-api\.dev\/problems\//), requestId: expect.any(String) }));
      expect(answer).not.toMatch(REVEALING);
    }
  });

  it('reveals nothing about the stack in errors', async () => {
    for (const res of [
      await t.http.get('/v1/nothing-here'),
      await t.http.post('/v1/auth/login').set('content-type', 'application/json').send('{"email":'),
      await t.http.post('/v1/auth/login').set('content-type', 'text/plain').send('hello'),
      await t.http.patch('/v1/users/1').set('Authorization', 'Bearer not-a-jwt').send({}),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(res.headers)).not.toMatch(/fastify|nestjs|express|x-powered-by/i);
      expect(res.text).not.toMatch(REVEALING);
    }
  });
});

describe('CORS from the CORS_ORIGINS allow-list', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://shop.example, https://admin.shop.example' });
  });
  afterAll(() => t.close());

  it('allows a listed origin, exposing the headers clients need', async () => {
    const res = await t.http.get('/health/live').set('Origin', 'https://admin.shop.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://admin.shop.example');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['access-control-expose-headers']).toMatch(/X-Request-Id/i);
    expect(res.headers.vary).toMatch(/Origin/i);

    const preflight = await t.http
      .options('/v1/auth/login')
      .set('Origin', 'https://shop.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,authorization,idempotency-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/i);
  });

  it('gives other origins no CORS headers, also on errors', async () => {
    const res = await t.http.get('/health/live').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const problem = await t.http.get('/v1/nothing').set('Origin', 'https://evil.example');
    expectProblem(problem, 404);
    expect(problem.headers['access-control-allow-origin']).toBeUndefined();
    const allowedProblem = await t.http.get('/v1/nothing').set('Origin', 'https://shop.example');
    expect(allowedProblem.headers['access-control-allow-origin']).toBe('https://shop.example');
  });
});

describe('TRUST_PROXY: the client IP behind a load balancer', () => {
  const limited = { THROTTLE_ENABLED: 'true', THROTTLE_LIMIT: '2', THROTTLE_TTL_MS: '60000' };
  // Any rate-limited route will do; anonymous, this one answers 401.
  const hit = (t: TestApp, forwardedFor: string) => t.http.patch('/v1/users/1').set('X-Forwarded-For', forwardedFor).send({});

  it('with TRUST_PROXY set to the proxy address, rate limits key on the client it saw, not on the proxy', async () => {
    // The tests' requests come from 127.0.0.1: here that is the load balancer.
    const t = await createTestApp({ ...limited, TRUST_PROXY: 'loopback' });
    try {
      await hit(t, '203.0.113.7').expect(401);
      await hit(t, '203.0.113.7').expect(401);
      expectProblem(await hit(t, '203.0.113.7'), 429, 'rate-limited');
      await hit(t, '203.0.113.8').expect(401); // another client behind the same proxy
      // A client that forges an earlier hop is still itself: the proxy appended its real address.
      expectProblem(await hit(t, '198.51.100.1, 203.0.113.7'), 429, 'rate-limited');
    } finally {
      await t.close();
    }
  });

  it('with TRUST_PROXY=false (the default), X-Forwarded-For is ignored: it cannot be spoofed to dodge limits', async () => {
    const t = await createTestApp(limited);
    try {
      await hit(t, '203.0.113.7').expect(401);
      await hit(t, '203.0.113.8').expect(401);
      expectProblem(await hit(t, '203.0.113.9'), 429, 'rate-limited');
    } finally {
      await t.close();
    }
  });

  it('refuses a hop count, which Fastify cannot verify (it would silently trust nothing)', () => {
    expect(() => AppConfig.fromEnv({ TRUST_PROXY: '1' })).toThrow(/TRUST_PROXY/);
    expect(AppConfig.fromEnv({ TRUST_PROXY: '10.0.0.0/8, loopback' }).http.trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
  });

  it('logs the client behind the proxy, not the proxy (real process, JSON log line)', async () => {
    const database = await createTestDatabase();
    const service = await startService({ DATABASE_URL: database.url, TRUST_PROXY: 'loopback' });
    try {
      await fetch(`${service.baseUrl}/v1/nothing`, { headers: { 'x-forwarded-for': '203.0.113.7', 'x-request-id': 'proxied-1' } });
      await fetch(`${service.baseUrl}/v1/nothing`, { headers: { 'x-request-id': 'direct-1' } });
      const logged = async (id: string) => {
        for (let i = 0; i < 50; i++) {
          const line = service.lines.map((l) => (l.startsWith('{') ? JSON.parse(l) : {})).find((l) => l.requestId === id && l.req);
          if (line) return [line.clientIp, line.req.remoteAddress];
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`no log line for ${id}`);
      };
      // clientIp: who sent the request; req.remoteAddress: the TCP peer (here, the proxy).
      expect(await logged('proxied-1')).toEqual(['203.0.113.7', '127.0.0.1']);
      expect(await logged('direct-1')).toEqual(['127.0.0.1', '127.0.0.1']);
    } finally {
      await service.stop();
      await database.drop();
    }
  });
});

describe('REQUEST_TIMEOUT_MS: slow clients', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REQUEST_TIMEOUT_MS: '1000' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('answers a request still unfinished after the limit with a 408 problem, on time, and closes the connection', async () => {
    const { port } = t.app.getHttpServer().address() as { port: number };
    const started = performance.now();
    const answer = await rawHttp(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n'); // headers never finished
    const waited = performance.now() - started;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(answer).toMatch(/connection: close/i);
    expect(problemBody(answer)).toEqual(
      expect.objectContaining({ status: 408, type: 'https://shop-api.dev/problems/request-timeout', requestId: expect.any(String) }),
    );
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(4500); // limit + one check interval (250 ms here), with room for a busy machine
  });

  it('bounds the body too: a client that sends its headers but never finishes its body gets the 408, and the connection closes', async () => {
    const { port } = t.app.getHttpServer().address() as { port: number };
    const started = performance.now();
    const head = 'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    const answer = await rawHttp(port, `${head}{"email":`);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(problemBody(answer)).toEqual(expect.objectContaining({ status: 408, type: 'https://shop-api.dev/problems/request-timeout' }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('leaves a request that arrives within the limit alone', async () => {
    await t.http.get('/health/live').expect(200);
  });
});
