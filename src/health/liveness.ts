import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestShortcut } from '../common/http/http-server.js';
import { generateRequestId, REQUEST_ID_HEADER } from '../common/http/request-id.js';
import type { LifecycleState } from '../lifecycle/lifecycle-state.js';
import type { HttpMetrics } from '../metrics/http-metrics.js';
import type { HealthStatusDto } from './health-status.dto.js';

const LIVENESS_PATH = '/health/live';
export const LIVE: HealthStatusDto = Object.freeze({ status: 'ok' });
const LIVE_BODY = JSON.stringify(LIVE);

/**
 * Whether a request is a plain liveness probe: GET or HEAD /health/live exactly, no query string,
 * no Authorization or Origin header, no body. That is what orchestrators and load balancers send.
 */
const isPlainLivenessProbe = (req: IncomingMessage): boolean => {
  if (req.url !== LIVENESS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const headers = req.headers;
  return (
    headers.authorization === undefined && headers.origin === undefined && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined
  );
};

/**
 * Answers plain liveness probes before Fastify (common/http/http-server.ts): a probe has no input
 * to check and needs no database, and Fastify's and Nest's machinery, little CPU per probe, held
 * up its answer: throughput at 32 connections went from ~0.63 to ~0.78 of a raw node:http server
 * (README, "Performance", S0). The answer is the one the whole path gives: the request id, the security
 * headers, `Connection: close` while draining, counted in the HTTP metrics; like every probe, it is
 * not logged (logging/request-logging.ts). Anything else on the path goes the whole way: a sent
 * token must still be valid (the JWT guard answers 401 for an invalid one on every route), a query
 * string meets the input guard, an Origin gets its CORS headers, and HealthController.live gives
 * the same body.
 */
export function livenessShortcut(securityHeaders: Record<string, string>, lifecycle: LifecycleState, metrics: HttpMetrics): RequestShortcut {
  const fixedHeaders = Object.entries({
    ...securityHeaders,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(LIVE_BODY)),
  }).flat();
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!isPlainLivenessProbe(req)) return false;
    const started = performance.now();
    const headers = [...fixedHeaders, REQUEST_ID_HEADER, generateRequestId(req)];
    if (lifecycle.isDraining) headers.push('connection', 'close');
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : LIVE_BODY);
    metrics.answered(req.method!, LIVENESS_PATH, 200, performance.now() - started);
    return true;
  };
}
