/** Base of every problem `type` URI (RFC 9457). The README lists each type. */
export const PROBLEM_BASE = 'https://shop-api.dev/problems/';

export interface ProblemType {
  slug: string;
  title: string;
  status: number;
}

/** The catalogue of problem types the API answers with. One entry per kind of failure. */
export const Problems = {
  validation: { slug: 'validation-error', title: 'Validation failed', status: 400 },
  badRequest: { slug: 'bad-request', title: 'Bad request', status: 400 },
  malformedJson: { slug: 'malformed-json', title: 'Malformed JSON body', status: 400 },
  unauthorized: { slug: 'unauthorized', title: 'Authentication required', status: 401 },
  invalidCredentials: { slug: 'invalid-credentials', title: 'Invalid credentials', status: 401 },
  invalidToken: { slug: 'invalid-token', title: 'Invalid or expired token', status: 401 },
  forbidden: { slug: 'forbidden', title: 'Forbidden', status: 403 },
  notFound: { slug: 'not-found', title: 'Not found', status: 404 },
  methodNotAllowed: { slug: 'method-not-allowed', title: 'Method not allowed', status: 405 },
  conflict: { slug: 'conflict', title: 'Conflict', status: 409 },
  duplicate: { slug: 'duplicate', title: 'Duplicate value', status: 409 },
  inUse: { slug: 'in-use', title: 'Resource in use', status: 409 },
  insufficientStock: { slug: 'insufficient-stock', title: 'Insufficient stock', status: 409 },
  stockLimit: { slug: 'stock-limit', title: 'Stock limit exceeded', status: 409 },
  invalidTransition: { slug: 'invalid-status-transition', title: 'Invalid status transition', status: 409 },
  idempotencyMismatch: { slug: 'idempotency-key-reused', title: 'Idempotency key reused with a different request', status: 409 },
  requestTimeout: { slug: 'request-timeout', title: 'Request timeout', status: 408 },
  preconditionFailed: { slug: 'precondition-failed', title: 'Precondition failed', status: 412 },
  payloadTooLarge: { slug: 'payload-too-large', title: 'Payload too large', status: 413 },
  unsupportedMediaType: { slug: 'unsupported-media-type', title: 'Unsupported media type', status: 415 },
  tooManyRequests: { slug: 'rate-limited', title: 'Too many requests', status: 429 },
  headersTooLarge: { slug: 'headers-too-large', title: 'Request headers too large', status: 431 },
  internal: { slug: 'internal-error', title: 'Internal server error', status: 500 },
  serviceUnavailable: { slug: 'service-unavailable', title: 'Service unavailable', status: 503 },
} as const satisfies Record<string, ProblemType>;

/** Default problem type for a bare HTTP status (used for framework exceptions). */
export function problemTypeForStatus(status: number): ProblemType {
  const match = Object.values(Problems).find((p) => p.status === status);
  if (match) {
    // Prefer the generic member of a status family.
    const generic: Record<number, ProblemType> = {
      400: Problems.badRequest,
      401: Problems.unauthorized,
      409: Problems.conflict,
    };
    return generic[status] ?? match;
  }
  return { slug: status >= 500 ? 'internal-error' : 'http-error', title: status >= 500 ? 'Server error' : 'Request failed', status };
}
