import { expectProblem } from './utils/problem.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

describe('API docs, served by the service itself', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves the OpenAPI 3 document generated from the code', async () => {
    const res = await t.http.get('/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/v1/auth/login']).toBeDefined();
    expect(res.body.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  });

  it('serves Swagger UI with local assets (no CDN)', async () => {
    const html = await t.http.get('/docs').expect(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.text).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const scripts = [...html.text.matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const asset = await t.http.get(new URL(src, 'http://localhost/docs').pathname); // as a browser resolves it
      expect(asset.status).toBe(200);
    }
  });

  it('keeps the token across reloads and captures it from a login made in Swagger UI', async () => {
    const init = await t.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toMatch(/"persistAuthorization": true/);
    expect(init.text).toMatch(/"responseInterceptor": function/);
    expect(init.text).toContain("preauthorizeApiKey('bearer'");
  });

  it('serves ReDoc with its bundle from the service', async () => {
    const html = await t.http.get('/redoc').expect(200);
    expect(html.text).toContain('/redoc/redoc.standalone.js');
    expect(html.text).not.toMatch(/https?:\/\//);
    const bundle = await t.http.get('/redoc/redoc.standalone.js').expect(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.text.length).toBeGreaterThan(100_000);
    await t.http.get('/redoc/init.js').expect(200);
  });
});

describe('What the docs do not serve', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("serves swagger-ui-dist's UI assets only, not its package.json or sources", async () => {
    for (const file of ['package.json', 'README.md', 'index.js', 'absolute-path.js', 'swagger-ui.js.map', 'LICENSE']) {
      expectProblem(await t.http.get(`/docs/${file}`), 404, 'not-found');
    }
    for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']) {
      expect((await t.http.get(`/docs/${file}`)).status).toBe(200);
    }
  });
});

describe('DOCS_ENABLED=false', () => {
  it('switches /docs, /redoc and /openapi.json off', async () => {
    const t = await createTestApp({ DOCS_ENABLED: 'false' });
    try {
      for (const path of ['/docs', '/docs/swagger-ui.css', '/redoc', '/openapi.json']) expectProblem(await t.http.get(path), 404, 'not-found');
      expect((await t.http.get('/health/live')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
