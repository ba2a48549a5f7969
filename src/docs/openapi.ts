import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { sendProblem } from '../common/problems/send-problem.js';
import { buildOpenApiDocument } from './openapi-document.js';

/** Locates ReDoc's standalone bundle: copied into dist/public by the build, or from node_modules in development. */
function readRedocBundle(): string {
  const candidates = [join(import.meta.dirname, '..', 'public', 'redoc.standalone.js')];
  try {
    candidates.push(createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js'));
  } catch {
    // not installed (production image): the copy in dist/public is used
  }
  for (const file of candidates) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      // try the next one
    }
  }
  throw new Error('ReDoc bundle not found: run "npm run build"');
}

const REDOC_HTML = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Shop API – ReDoc</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="redoc"></div><script src="/redoc/redoc.standalone.js"></script><script src="/redoc/init.js"></script></body>
</html>`;
const REDOC_INIT = `Redoc.init('/openapi.json', { hideDownloadButton: false }, document.getElementById('redoc'));`;

/** The files of swagger-ui-dist that Swagger UI's page loads; the package's other files (package.json, sources, maps) are not served. */
/** The page and its generated init script (rendered by @nestjs/swagger, not files of the package). */
const SWAGGER_UI_PAGE = new Set(['/docs/', '/docs/index.html', '/docs/swagger-ui-init.js']);
const SWAGGER_UI_ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-16x16.png', 'favicon-32x32.png']);

/**
 * Limits what @nestjs/swagger serves from swagger-ui-dist under `/docs/` to SWAGGER_UI_ASSETS and
 * the page itself: true for a path under `/docs/` that must be a 404 problem instead. Checked by
 * the service's onRequest hook (request-hooks.ts) for paths under /docs/ only.
 */
export function isHiddenDocsPath(path: string): boolean {
  return path.startsWith('/docs/') && !SWAGGER_UI_PAGE.has(path) && !SWAGGER_UI_ASSETS.has(path.slice('/docs/'.length));
}

/** Answers a path that isHiddenDocsPath refuses. */
export function refuseDocsPath(path: string, request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(new ProblemException(Problems.notFound, { detail: `${path} not found` }), request, reply);
}

/**
 * Runs in the browser (Swagger UI serialises it into its init script): after a successful login
 * or refresh made from the page, authorizes the page with the new access token.
 */
function captureAccessToken(response: { ok: boolean; url: string; obj?: { accessToken?: unknown } }) {
  const ui = (globalThis as unknown as { ui?: { preauthorizeApiKey(name: string, value: string): void } }).ui;
  if (response.ok && /\/v1\/auth\/(login|refresh)$/.test(new URL(response.url).pathname) && typeof response.obj?.accessToken === 'string') {
    ui?.preauthorizeApiKey('bearer', response.obj.accessToken);
  }
  return response;
}

/**
 * Serves the docs from the service itself, no CDN: Swagger UI at /docs (assets from
 * swagger-ui-dist via @nestjs/swagger), ReDoc at /redoc, the document at /openapi.json.
 */
export function setupDocs(app: INestApplication): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: 'Shop API – Swagger UI',
    swaggerOptions: { persistAuthorization: true, responseInterceptor: captureAccessToken },
  });
  let bundle: string | undefined;
  fastify.get('/redoc', (_req, reply) => {
    reply.type('text/html; charset=utf-8').send(REDOC_HTML);
  });
  fastify.get('/redoc/redoc.standalone.js', (_req, reply) => {
    bundle ??= readRedocBundle();
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(bundle);
  });
  fastify.get('/redoc/init.js', (_req, reply) => {
    reply.type('application/javascript; charset=utf-8').send(REDOC_INIT);
  });
}
