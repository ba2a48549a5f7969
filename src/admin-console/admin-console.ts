import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { sendProblem } from '../common/problems/send-problem.js';

export const ADMIN_CONSOLE_PATH = '/admin';

/** Built by `npm run build` (vite, admin/) next to the compiled service; from the source tree (tests) it is in ./dist/admin. */
export function findConsoleBuild(): string | undefined {
  const candidates = [join(import.meta.dirname, '..', 'admin'), join(process.cwd(), 'dist', 'admin')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** A path under /admin that names a file (has an extension): a missing asset is a 404, not the app. */
const namesAFile = (url: string) => /\.[a-z0-9]+$/i.test(url.split('?')[0].split('/').pop() ?? '');

/**
 * The staff console (admin/, a react-admin single-page app) at /admin: hashed assets under
 * /admin/assets with a year's immutable caching, and index.html (never cached, so a deploy's
 * new asset names are picked up) for /admin and every client route under it. It is a client of
 * the public API like any other; the security headers (CSP without inline scripts) apply as to
 * every response.
 */
export async function registerAdminConsole(app: NestFastifyApplication, root = findConsoleBuild()): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  if (!root) {
    const notBuilt = new ProblemException(Problems.notFound, { detail: 'The staff console is not built: run "npm run build"' });
    fastify.get(ADMIN_CONSOLE_PATH, (request, reply) => sendProblem(notBuilt, request, reply));
    fastify.get(`${ADMIN_CONSOLE_PATH}/*`, (request, reply) => sendProblem(notBuilt, request, reply));
    return;
  }
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: `${ADMIN_CONSOLE_PATH}/assets/`,
    decorateReply: false, // @nestjs/swagger registers @fastify/static too
    index: false,
    preCompressed: true, // the .gz files the build writes beside each script and stylesheet
    maxAge: '365d',
    immutable: true,
  });
  const indexHtml = readFileSync(join(root, 'index.html'));
  const sendApp = (request: FastifyRequest, reply: FastifyReply) => {
    if (namesAFile(request.url)) return sendProblem(new ProblemException(Problems.notFound), request, reply);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  };
  fastify.get(ADMIN_CONSOLE_PATH, sendApp);
  fastify.get(`${ADMIN_CONSOLE_PATH}/*`, sendApp);
}
