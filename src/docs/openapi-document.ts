import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_EXAMPLES } from '../common/problems/problem-examples.js';

/** The version of the API description: bump the minor for additions, the patch for corrections (README, "API description and clients"). */
export const API_DOCUMENT_VERSION = '1.2.0';

const DESCRIPTION = `Product catalogue and orders.

**Signing in.** \`POST /v1/auth/login\` answers an \`accessToken\`; send it as \`Authorization: Bearer <token>\`.
In Swagger UI (/docs) a successful login or refresh made from the page fills in the token by itself
(or paste it under **Authorize**), and the token survives reloads of the page. Public routes accept
no token at all; one that is sent must be valid, else 401.

**Errors** are RFC 9457 problem documents (\`application/problem+json\`, schema ProblemDocument) whose
\`type\` says what happened. Besides each operation's own errors, any path answers **405** with an
\`Allow\` header for a method it does not have, and any request can meet 408, 413 (bodies over 1 MiB),
415 (bodies that are not JSON), 429 (rate limits, with \`Retry-After\`) and 503 (database unavailable,
with \`Retry-After\`). Control characters in any string, and JSON nested deeper than 32 levels, are 400s.

**Lists** answer a page: \`{count, next, previous, results}\` (ProductPage, OrderPage, …); \`page\` from 1,
\`pageSize\` up to 100, \`ordering\` from each list's fields. Ids and page numbers are decimal digits only.
Money is a decimal string with two places. Every response carries \`X-Request-Id\`.

**Versioning.** \`/v1\` only grows: new paths, optional fields and enum values. Anything breaking goes
to \`/v2\`. A deprecated operation keeps working and answers \`Deprecation\`, \`Sunset\` and
\`Link: <successor>; rel="successor-version"\` headers.

**Changelog** (additions to /v1, newest first):
- 1.2.0 (2026-12-01): \`GET /v1/products\` takes \`active=true|false\`.
- 1.1.0 (2026-12-01): the description now matches the server (problem+json errors with examples per type,
  integer ids, date-time timestamps, named page schemas, public routes without a required token); 405 with
  \`Allow\`; 503 on login and register while password hashing is saturated; 409 \`stock-limit\` on a cancel
  that would push stock past its maximum.
- 1.0.0: the first /v1.`;

const TAGS: Array<[name: string, description: string]> = [
  ['auth', 'Accounts and tokens: register, sign in, refresh, sign out'],
  ['users', 'The signed-in user; user administration (admin)'],
  ['categories', 'Product categories: public reads, staff writes'],
  ['products', 'The catalogue: public reads, staff writes; ETags and If-Match'],
  ['orders', 'Placing orders (with Idempotency-Key) and moving them through their workflow'],
  ['operations', 'Liveness and readiness probes'],
];

/** The OpenAPI document of the application's routes, as served at /openapi.json and committed as openapi/v1.json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.0.3')
    .setTitle('Shop API')
    .setDescription(DESCRIPTION)
    .setVersion(API_DOCUMENT_VERSION)
    .addServer('/', 'The service this document is served by')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The accessToken from POST /v1/auth/login' });
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const config = builder.build();
  config.info.license = { name: 'UNLICENSED (proprietary; see package.json)' };
  config.info.contact = { name: 'Shop API team' };
  config.components = { ...config.components, examples: PROBLEM_EXAMPLES };
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
}
