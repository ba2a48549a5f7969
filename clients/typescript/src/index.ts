/**
 * Typed client of the Shop API v1, generated from openapi/v1.json: `paths` and one type per
 * schema (ProductDto, ProductPage, ProblemDocument, …) come from schema.d.ts (openapi-typescript);
 * requests go through openapi-fetch. Regenerate with `npm run client:generate`.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.js';

export type * from './schema.js';

export type ShopClient = Client<paths>;

/** A client for the service at `baseUrl` (e.g. "http://localhost:3000"), sending `accessToken()` when it returns one. */
export function createShopClient(baseUrl: string, accessToken: () => string | undefined = () => undefined, options: ClientOptions = {}): ShopClient {
  const client = createClient<paths>({ baseUrl, ...options });
  client.use({
    onRequest({ request }) {
      const token = accessToken();
      if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  });
  return client;
}
