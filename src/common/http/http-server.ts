import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';

/** Answers a request before Fastify sees it (true), or leaves it to Fastify (false). */
export type RequestShortcut = (req: IncomingMessage, res: ServerResponse) => boolean;

const NO_SHORTCUT: RequestShortcut = () => false;

/** The options Fastify has filled in (its defaults applied) that shape its HTTP/1 server. */
interface ServerSettings {
  http?: ServerOptions | null;
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  maxRequestsPerSocket?: number | null;
}

/**
 * The HTTP/1 server, built as Fastify builds its own (the same options and timeouts, see
 * fastify/lib/server.js), with one addition: a shortcut that sees each request before Fastify
 * does, for the requests that need nothing of Fastify's per-request machinery (its request and
 * reply objects, routing, the hook chain): the liveness probe (health/liveness.ts). The shortcut is set once the application exists (request-hooks.ts);
 * until then every request goes to Fastify.
 */
export class ShortcutHttpServer {
  private shortcut = NO_SHORTCUT;

  /** Fastify's `serverFactory` option. */
  readonly factory: FastifyServerFactory = (handler, fastifyOptions): Server => {
    const options = fastifyOptions as unknown as ServerSettings;
    const server = createServer(options.http ?? {}, (req, res) => {
      if (!this.shortcut(req, res)) handler(req, res);
    });
    server.keepAliveTimeout = options.keepAliveTimeout;
    server.requestTimeout = options.requestTimeout;
    server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };

  use(shortcut: RequestShortcut): void {
    this.shortcut = shortcut;
  }
}
