import { createTestApp, type TestApp } from './utils/test-app.js';

describe('X-Request-Id', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is generated as a UUID when the caller sends none', async () => {
    const res = await t.http.get('/health/live').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("echoes the caller's well-formed id, also in error bodies", async () => {
    const res = await t.http.get('/v1/nowhere').set('X-Request-Id', 'trace-abc.123');
    expect(res.headers['x-request-id']).toBe('trace-abc.123');
    expect(res.body.requestId).toBe('trace-abc.123');
  });

  it('replaces a malformed id with a new one', async () => {
    const res = await t.http.get('/health/live').set('X-Request-Id', 'bad id with spaces <script>');
    expect(res.headers['x-request-id']).not.toContain(' ');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives each request its own id', async () => {
    const a = await t.http.get('/health/live');
    const b = await t.http.get('/health/live');
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });
});
