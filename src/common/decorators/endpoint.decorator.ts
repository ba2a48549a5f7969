import { applyDecorators, HttpCode, type Type } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiIfMatch, ApiIfNoneMatch, ETAG_HEADER, locationHeader } from '../http/api-conditional.decorator.js';
import type { RepresentationConfig } from '../http/representation.js';
import { ApiPageResponse } from '../pagination/api-page-response.decorator.js';
import type { HeadersObject } from '../problems/api-problem.decorator.js';

type Decorator = MethodDecorator & ClassDecorator;

export interface EndpointOptions {
  summary: string;
  description: string;
  /**
   * Who may call (auth/decorators/auth.decorator.ts: Auth.public(), Auth.optional(), Auth.signedIn(),
   * Auth.atLeast(role)). Left out under a controller that declares it once for all its routes
   * (accounts/auth.controller.ts, health/: @Auth.public()), whose routes may then describe their own 401 in place of the
   * controller's (two 401s of one route would be merged into one description).
   */
  auth?: Decorator;
  /** 200 with this body (a POST too). */
  ok?: { type: Type<unknown>; description: string };
  /** 201 with this body; with `location` (an example path) also its Location. `headers` documents more. */
  created?: { type: Type<unknown>; description: string; location?: string; headers?: HeadersObject };
  /** 204 without a body, with this description. */
  noContent?: string;
  /** A list: its page schema, and with cursor mode the cursor page's. The handler answers with listAnswer(…). */
  list?: { page: Type<unknown>; cursorPage?: Type<unknown> };
  /**
   * The handler answers a Versioned value, sent with its ETag (common/http/representation.ts): 'read'
   * also answers 304 to a matching If-None-Match, 'create' is a creation, 'write' takes If-Match (its
   * version condition is @IfMatch()) and answers 412 when it is stale. Here: the OpenAPI side.
   */
  etag?: 'read' | 'create' | 'write';
  /** The operation's own problems (ApiProblem decorators); the controller's common ones are declared on the class. */
  problems?: Decorator[];
}

/** The 201's OpenAPI: its headers are ETag and Location (those it has) and the extra ones. */
function createdResponse(created: NonNullable<EndpointOptions['created']>, etagHeader: HeadersObject) {
  const { type, description, location, headers: extra } = created;
  const headers = { ...etagHeader, ...(location ? locationHeader(location) : {}), ...extra };
  if (Object.keys(headers).length === 0) return { type, description };
  // openapi:check compares the document byte for byte, and it has always had these keys in this order.
  return extra ? { type, description, headers } : { type, headers, description };
}

/**
 * A route's whole contract in one decorator (as Immich's @Endpoint): its OpenAPI operation and
 * answers, who may call it, conditional requests (ETag, 304, If-Match, 412: documented here, done by
 * the representation hook, common/http/representation.ts), Location of a creation (marked in the
 * route's Fastify config for that hook), the page schemas of a list (whose handler ends with
 * listAnswer, common/pagination/list-answer.ts), and its problems. Put it under the route's @Get()/@Post()/….
 */
export function Endpoint(options: EndpointOptions): MethodDecorator {
  const { summary, description, auth, ok, created, noContent, list, etag, problems = [] } = options;
  const etagHeader = etag ? ETAG_HEADER : {};
  const representation: RepresentationConfig = { location: created?.location !== undefined };
  return applyDecorators(
    ApiOperation({ summary, description }),
    // After ApiOperation, which would replace the `security: []` of Auth.public().
    ...(auth ? [auth] : []),
    ...(ok ? [HttpCode(200), ApiOkResponse({ type: ok.type, headers: etag ? etagHeader : undefined, description: ok.description })] : []),
    ...(created ? [ApiCreatedResponse(createdResponse(created, etagHeader))] : []),
    ...(noContent ? [HttpCode(204), ApiNoContentResponse({ description: noContent })] : []),
    ...(list ? [ApiPageResponse(list.page, list.cursorPage)] : []),
    ...(etag === 'read' ? [ApiIfNoneMatch()] : etag === 'write' ? [ApiIfMatch()] : []),
    ...problems,
    ...(representation.location ? [RouteConfig(representation)] : []),
  );
}
