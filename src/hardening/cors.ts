import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '../config/app-config.js';

/**
 * CORS only for the origins in CORS_ORIGINS (off when the list is empty, the default; "*"
 * allows any origin). Tokens travel in the Authorization header, never in cookies, so
 * credentials are not allowed.
 */
export function enableCors(app: NestFastifyApplication, config: AppConfig): void {
  const origins = config.http.corsOrigins;
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
    credentials: false,
    maxAge: 600,
  });
}
