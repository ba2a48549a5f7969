import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants.js';
import { DECORATORS } from '@nestjs/swagger';
import type { onSendHookHandler } from 'fastify';

export interface Deprecation {
  /** When the operation was deprecated. */
  since: Date;
  /** When it may stop working (not before the next major version, README "API description and clients"). */
  sunset: Date;
  /** Path of the operation that replaces it, e.g. "/v2/products". */
  successor: string;
}

const DEPRECATION = 'deprecation';

/** The headers of a deprecated operation: Deprecation (RFC 9745), Sunset (RFC 8594), Link to the successor. */
export function deprecationHeaders(deprecation: Deprecation): Record<string, string> {
  return {
    Deprecation: `@${Math.floor(deprecation.since.getTime() / 1000)}`,
    Sunset: deprecation.sunset.toUTCString(),
    Link: `<${deprecation.successor}>; rel="successor-version"`,
  };
}

/**
 * Marks an operation deprecated: it keeps working, every answer carries deprecationHeaders, and
 * the OpenAPI document says `deprecated: true` and names the successor and sunset. Put it above
 * @Endpoint() (or @ApiOperation()) and any @RouteConfig() of the same method (those replace what it merges into).
 */
export const Deprecated =
  (deprecation: Deprecation): MethodDecorator =>
  (_target, _key, descriptor) => {
    const route = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, descriptor.value as object) ?? {};
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...route, [DEPRECATION]: deprecation }, descriptor.value as object);
    const operation = Reflect.getMetadata(DECORATORS.API_OPERATION, descriptor.value as object) ?? {};
    const note = `Deprecated: use ${deprecation.successor}; works until ${deprecation.sunset.toUTCString()} (answers Deprecation, Sunset and Link headers).`;
    Reflect.defineMetadata(
      DECORATORS.API_OPERATION,
      { ...operation, deprecated: true, description: operation.description ? `${operation.description} ${note}` : note },
      descriptor.value as object,
    );
    return descriptor;
  };

/**
 * Adds the headers of @Deprecated() operations to every answer of theirs, errors included: an
 * onSend hook on those routes only (other routes pay nothing). Before app.init(), which
 * registers the routes.
 */
export function installDeprecationHeaders(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      const deprecation = (route.config as unknown as Record<string, Deprecation | undefined> | undefined)?.[DEPRECATION];
      if (!deprecation) return;
      const headers = deprecationHeaders(deprecation);
      const addHeaders: onSendHookHandler = (_request, reply, payload, done) => {
        reply.headers(headers);
        done(null, payload);
      };
      route.onSend = [...[route.onSend ?? []].flat(), addHeaders];
    });
}
