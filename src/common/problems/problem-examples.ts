import type { FieldError } from './problem.exception.js';
import { PROBLEM_BASE, Problems, type ProblemType } from './problem-types.js';

type Slug = (typeof Problems)[keyof typeof Problems]['slug'];

interface ExampleParts {
  detail: string;
  instance: string;
  errors?: FieldError[];
  extensions?: Record<string, unknown>;
}

/** A realistic body for each problem type, as the service answers it (for the OpenAPI examples). */
const EXAMPLES: Record<Slug, ExampleParts> = {
  'validation-error': {
    detail: '1 field is invalid',
    instance: '/v1/products',
    errors: [{ field: 'price', message: 'price must be a positive number with at most two decimal places' }],
  },
  'bad-request': { detail: 'The JSON body is nested deeper than 32 levels', instance: '/v1/orders' },
  'malformed-json': { detail: 'The body is not valid JSON', instance: '/v1/orders' },
  unauthorized: { detail: 'Send an access token as "Authorization: Bearer <token>"', instance: '/v1/orders' },
  'invalid-credentials': { detail: 'E-mail or password is incorrect', instance: '/v1/auth/login' },
  'invalid-token': { detail: 'The access token is invalid or has expired', instance: '/v1/orders' },
  forbidden: { detail: 'This action requires the staff role', instance: '/v1/products' },
  'not-found': { detail: 'Product 42 not found', instance: '/v1/products/42' },
  'method-not-allowed': { detail: 'PUT is not supported here; allowed: GET, HEAD, POST', instance: '/v1/orders' },
  conflict: { detail: 'Order 42 was changed by another request (it is now paid); the move to shipped was not applied', instance: '/v1/orders/42' },
  duplicate: { detail: 'A product with sku "GEAR-V60" already exists', instance: '/v1/products' },
  'in-use': { detail: 'Category 3 still has products (archived ones included); move them to another category first', instance: '/v1/categories/3' },
  'insufficient-stock': {
    detail: 'The order cannot be placed: product 7 (GEAR-V60): 3 requested, 1 in stock',
    instance: '/v1/orders',
    errors: [{ field: 'items.0.quantity', message: 'product 7 (GEAR-V60): 3 requested, 1 in stock' }],
  },
  'stock-limit': {
    detail:
      "Order 42 cannot be cancelled: putting its stock back would raise a product above the maximum stock of 1000000000; lower that product's stock first",
    instance: '/v1/orders/42',
    errors: [{ field: 'items.0.quantity', message: 'product 7 (GEAR-V60): 5 to put back, 999999998 in stock' }],
    extensions: { currentStatus: 'paid', requestedStatus: 'cancelled', maxStock: 1_000_000_000 },
  },
  'invalid-status-transition': {
    detail: 'Order 42 cannot move from shipped to cancelled',
    instance: '/v1/orders/42',
    extensions: { currentStatus: 'shipped', requestedStatus: 'cancelled' },
  },
  'idempotency-key-reused': {
    detail: 'Idempotency-Key "0b6f3a52-6c1e-4a4b-9d7e-2f8a1c9e5d10" was already used with a different request body',
    instance: '/v1/orders',
  },
  'request-timeout': { detail: 'The request took too long to arrive', instance: '/v1/products' },
  'precondition-failed': { detail: 'Product 42 has changed since the ETag in If-Match was issued; GET it again and retry', instance: '/v1/products/42' },
  'payload-too-large': { detail: 'The body is larger than 1 MiB', instance: '/v1/products' },
  'unsupported-media-type': { detail: 'Request bodies must be application/json', instance: '/v1/products' },
  'rate-limited': { detail: 'Rate limit exceeded; retry in 42 s', instance: '/v1/auth/login' },
  'headers-too-large': { detail: 'Request headers too large', instance: '/v1/products' },
  'internal-error': { detail: 'An unexpected error occurred', instance: '/v1/orders' },
  'service-unavailable': { detail: 'The database is not available; retry later', instance: '/v1/products' },
};

/** An OpenAPI example object (summary + value) of a problem of this type. */
function problemExample(problem: ProblemType): { summary: string; value: Record<string, unknown> } {
  const parts = EXAMPLES[problem.slug as Slug];
  return {
    summary: problem.title,
    value: {
      type: PROBLEM_BASE + problem.slug,
      title: problem.title,
      status: problem.status,
      detail: parts.detail,
      instance: parts.instance,
      requestId: '5f0c6a0e-8a5e-4c7a-9d7e-0d3c1b0b9e11',
      ...(parts.errors ? { errors: parts.errors } : {}),
      ...parts.extensions,
    },
  };
}

/** components.examples of the document: one example per problem type, referenced by every response that can carry it. */
export const PROBLEM_EXAMPLES = Object.fromEntries(Object.values(Problems).map((problem) => [problem.slug, problemExample(problem)]));

/** A reference to the example of this problem type in components.examples. */
export const problemExampleRef = (problem: ProblemType) => ({ $ref: `#/components/examples/${problem.slug}` });
