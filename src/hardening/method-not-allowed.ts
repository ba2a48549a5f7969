import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { sendProblem } from '../common/problems/send-problem.js';

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/v1/products/:id` → /^\/v1\/products\/[^/]+\/?$/ (trailing slashes are ignored, as by the router). */
function compile(url: string): RegExp {
  const source = url
    .replace(/\/+$/, '')
    .split('/')
    .map((segment) => (segment === '*' ? '.*' : segment.startsWith(':') ? '[^/]+' : escapeRegExp(segment)))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** Answers a request (and returns true) when it must be refused before validation. */
export type RequestRefusal = (request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * A path that exists with other methods answers 405 with an `Allow` header (RFC 9110 §15.5.6)
 * instead of the router's 404. Routes are recorded as they are registered (so this is created
 * before any route); the returned check is run by request-hooks.ts before validation, and only
 * for requests the router did not match, after the onRequest work (request id, security
 * headers, metrics) was done for them as for any request.
 */
export function methodNotAllowed(app: NestFastifyApplication): RequestRefusal {
  const fastify = app.getHttpAdapter().getInstance();
  const known = new Map<string, KnownPath>();
  fastify.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return; // a catch-all (CORS preflights) names no path
    const entry = known.get(route.url) ?? { pattern: compile(route.url), methods: new Set<string>() };
    for (const method of [route.method].flat()) entry.methods.add(method);
    if (entry.methods.has('GET')) entry.methods.add('HEAD');
    known.set(route.url, entry);
  });
  return (request, reply) => {
    if (request.routeOptions.url !== undefined) return false;
    const path = request.url.split('?', 1)[0];
    const allowed = new Set<string>();
    for (const { pattern, methods } of known.values()) if (pattern.test(path)) for (const method of methods) allowed.add(method);
    if (allowed.size === 0 || allowed.has(request.method)) return false;
    const allow = [...allowed].sort().join(', ');
    const problem = new ProblemException(Problems.methodNotAllowed, {
      detail: `${request.method} is not supported here; allowed: ${allow}`,
      headers: { Allow: allow },
    });
    sendProblem(problem, request, reply);
    return true;
  };
}
