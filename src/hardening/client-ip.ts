import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '../config/app-config.js';

/**
 * Behind a trusted proxy (TRUST_PROXY), the client is the address Fastify derives from
 * X-Forwarded-For (`request.ip`, which the rate limiter keys on). It is kept on the raw request
 * for the request log line's `clientIp`, which sees only the raw request. Without TRUST_PROXY
 * the hook is not installed: the log takes the socket's address.
 */
export function installClientIp(app: NestFastifyApplication, config: AppConfig): void {
  if (config.http.trustProxy === false) return;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, _reply, done) => {
      (request.raw as { clientIp?: string }).clientIp = request.ip;
      done();
    });
}
