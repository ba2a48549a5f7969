/**
 * What the service keeps on Node's raw request, for readers that see only the raw request and
 * response (the request log line, the HTTP metrics): set by the request id generator
 * (request-id.ts, Fastify's genReqId) and by the onRequest hook (request-hooks.ts).
 */
declare module 'http' {
  interface IncomingMessage {
    /** The request id, also answered in X-Request-Id. */
    id?: string;
    /** The matched route's template (`/v1/products/:id`), or UNMATCHED_ROUTE. */
    routeTemplate?: string;
    /** The client's address derived from X-Forwarded-For, behind a trusted proxy only. */
    clientIp?: string;
  }
}

export {};
