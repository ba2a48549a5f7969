import type { FastifyReply } from 'fastify';
import type { HealthStatusDto } from './health-status.dto.js';

const LIVENESS_PATH = '/health/live';
export const LIVE: HealthStatusDto = Object.freeze({ status: 'ok' });
const LIVE_BODY = JSON.stringify(LIVE);

/**
 * Whether a request is a plain liveness probe — GET or HEAD /health/live exactly (Fastify matched
 * the route), no query string, no Authorization header — which request-hooks.ts answers in its
 * onRequest hook, after the request id, security headers, CORS and metrics, and before Fastify's
 * later phases and Nest's guards, pipe and handler: a probe has no input to check and needs no
 * database, and that machinery was a fifth of its CPU (README, "Performance", S0). Anything else on
 * the path goes the whole way: a sent token must still be valid (the JWT guard answers 401 for an
 * invalid one on every route), a query string still meets the input guard, and
 * HealthController.live gives the same answer.
 */
export const isPlainLivenessProbe = (route: string | undefined, url: string, authorization: string | undefined): boolean =>
  route === LIVENESS_PATH && url === LIVENESS_PATH && authorization === undefined;

export function answerLivenessProbe(reply: FastifyReply): void {
  void reply.type('application/json; charset=utf-8').send(LIVE_BODY);
}
