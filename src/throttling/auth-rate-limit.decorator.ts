import { RouteConfig } from '@nestjs/platform-fastify';

export const AUTH_RATE_LIMIT = 'authRateLimit';

/**
 * Puts a route under the tight "auth" limit (per client IP and e-mail) instead of the
 * general per-IP one. The limits themselves come from the config (see rate-limit.ts).
 */
export const AuthRateLimit = () => RouteConfig({ [AUTH_RATE_LIMIT]: true });
