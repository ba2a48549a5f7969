import rateLimit, { normalizeIP, type RateLimitPluginOptions, type RateLimitOptions } from '@fastify/rate-limit';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { normaliseEmail } from '../common/email/normalise-email.js';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { AppConfig } from '../config/app-config.js';
import { AUTH_RATE_LIMIT } from './auth-rate-limit.decorator.js';

/** The client a limit counts: its IP, an IPv6 /64 as one (one client commonly holds a whole /64, and could rotate through it). */
const client = (request: FastifyRequest) => normalizeIP(request.ip);

const tooManyRequests = (_request: FastifyRequest, context: { ttl: number }) => {
  const retryAfter = Math.max(1, Math.ceil(context.ttl / 1000));
  return new ProblemException(Problems.tooManyRequests, {
    detail: `Rate limit exceeded; retry in ${retryAfter} s`,
    headers: { 'Retry-After': String(retryAfter) },
  });
};

/**
 * Rate limits with @fastify/rate-limit: a general per-IP limit on every route, and on routes
 * marked @AuthRateLimit() two instead: a tight one per IP and e-mail (checked after the body is
 * parsed), and one per IP across all e-mails and those routes (password spraying).
 * Counters live in Redis when REDIS_URL is set (shared by every instance), else in memory;
 * if Redis fails, requests go through (the limiter must not take the service down).
 * Must run before app.init(): the plugin attaches itself to routes as they are registered.
 */
export async function registerRateLimits(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  if (!config.throttle.enabled) return;
  const fastify = app.getHttpAdapter().getInstance();
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { connectTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true })
    : undefined;
  if (redis) {
    // No offline queue, so a Redis outage costs requests nothing; connect before serving.
    redis.on('error', () => undefined); // skipOnError lets requests through; ioredis reconnects by itself
    await redis.connect().catch((err: Error) => new Logger('RateLimit').warn(`Redis unavailable (${err.message}): limits not enforced until it is back`));
    fastify.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }

  const authLimit: RateLimitOptions = {
    max: config.throttle.authLimit,
    timeWindow: config.throttle.ttlMs,
    hook: 'preHandler', // the body (e-mail) is parsed by then
    keyGenerator: (request) => {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      return `${client(request)}|${typeof email === 'string' ? normaliseEmail(email) : ''}`;
    },
    errorResponseBuilder: tooManyRequests,
  };
  // Runs before the plugin's own onRoute hook, turning the decorator's marker into limits. The
  // plugin keeps each route's counters apart by itself (its store is per route). No groupId: the
  // plugin would append it to every key, the per-IP one's below too.
  fastify.addHook('onRoute', (route) => {
    if (isAuthRoute(route.config)) route.config = { ...route.config, rateLimit: authLimit };
  });

  const options: RateLimitPluginOptions = {
    global: true,
    max: config.throttle.limit,
    timeWindow: config.throttle.ttlMs,
    keyGenerator: client,
    redis,
    nameSpace: 'shop-api:rate-limit:',
    skipOnError: true,
    errorResponseBuilder: tooManyRequests,
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
  };
  await app.register(rateLimit, options);
  addAuthLimitPerIp(app, config);
}

const isAuthRoute = (routeConfig: unknown) => Boolean((routeConfig as Record<string, unknown> | undefined)?.[AUTH_RATE_LIMIT]);

/**
 * The plugin takes one limit per route, so the per-IP one on auth routes is a second check of
 * its own: a limiter from the plugin (same store, Redis or memory; one counter for all auth
 * routes), run in an onRequest hook, before the body is even parsed. It has no route of its
 * own, so in Redis its keys read `shop-api:rate-limit:undefinedundefined-auth-ip|<ip>`.
 */
function addAuthLimitPerIp(app: NestFastifyApplication, config: AppConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  const checkAttemptsPerIp = fastify.createRateLimit({
    max: config.throttle.authIpLimit,
    timeWindow: config.throttle.ttlMs,
    keyGenerator: (request) => `auth-ip|${client(request)}`,
  });
  const limitAttemptsPerIp = async (request: FastifyRequest) => {
    const limit = await checkAttemptsPerIp(request);
    if (!limit.isAllowed && limit.isExceeded) throw tooManyRequests(request, limit);
  };
  fastify.addHook('onRoute', (route) => {
    if (!isAuthRoute(route.config)) return;
    route.onRequest = [...toArray(route.onRequest), limitAttemptsPerIp];
  });
}

const toArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
