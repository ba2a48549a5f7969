import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findConsoleBuild } from '../src/admin-console/admin-console.js';
import { expectProblem } from './utils/problem.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

/** The staff console's static files (built into dist/admin by `npm run build`, which `npm test` runs first). */
describe('Staff console at /admin (serving)', () => {
  let t: TestApp;
  const build = findConsoleBuild();

  beforeAll(async () => {
    if (!build) throw new Error('dist/admin/index.html is missing: run "npm run build" (npm test does it first)');
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('serves the app with a CSP that allows no inline script, and the page has none', async () => {
    const res = await t.http.get('/admin').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy'] ?? '';
    const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc).toBe("'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("connect-src 'self'");
    expect(res.text).toContain('<div id="root"></div>');
    // Every script is an external same-origin file: none inline, none from another host.
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/admin\/assets\/[^"]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(res.text).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('answers any page path under /admin with the app (its routes are in the URL hash; a hand-typed path still lands on it)', async () => {
    for (const path of ['/admin/', '/admin/products', '/admin/orders/12/show', '/admin/products?filter=%7B%7D']) {
      const res = await t.http.get(path).expect(200);
      expect(res.text).toContain('<div id="root"></div>');
    }
  });

  it('serves the hashed assets with a year of immutable caching, and a missing asset is a 404 problem', async () => {
    const assets = readdirSync(join(build!, 'assets'));
    const script = assets.find((name) => name.endsWith('.js'))!;
    const font = assets.find((name) => name.endsWith('.woff2'))!;
    const js = await t.http.get(`/admin/assets/${script}`).expect(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await t.http.get(`/admin/assets/${font}`).expect(200)).headers['content-type']).toBe('font/woff2');
    // Sent gzipped (precompressed by the build) to browsers that take it: the first screen's script is ~1.1 MB raw.
    const gzipped = await t.http.get(`/admin/assets/${script}`).set('accept-encoding', 'gzip').expect(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(Number(gzipped.headers['content-length'])).toBeLessThan(1_000_000);
    expect(gzipped.text).toBe(js.text); // supertest gunzips: the same script
    expectProblem(await t.http.get('/admin/assets/index-nothing.js'), 404);
    expectProblem(await t.http.get('/admin/favicon.ico'), 404);
  });

  it('bundles its fonts instead of loading them from a font CDN', async () => {
    const css = readdirSync(join(build!, 'assets')).find((name) => name.endsWith('.css'))!;
    const text = (await t.http.get(`/admin/assets/${css}`).expect(200)).text;
    expect(text).toMatch(/url\(\/admin\/assets\/roboto-latin-400-normal-[^)]+\.woff2\)/);
    expect(text).not.toMatch(/url\((https?:)?\/\//);
  });
});
