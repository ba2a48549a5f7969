import { randomUUID } from 'node:crypto';
import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../common/http/request-id.js';
import { PROBLEM_CONTENT_TYPE } from '../common/problems/problem-document.js';
import { PROBLEM_BASE, Problems, type ProblemType } from '../common/problems/problem-types.js';
import { sendProblem } from '../common/problems/send-problem.js';

/**
 * Errors Fastify answers by itself, before any hook or Nest's error handler can run, would
 * otherwise get Fastify's own JSON (`{"statusCode":400,"code":"FST_ERR_BAD_URL",…}`), which
 * names the framework. These two handlers give them problem documents too.
 */

/** Router errors (a malformed URL such as `/%c0`): rendered by the global problem filter. */
export function frameworkErrors(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  reply.header(REQUEST_ID_HEADER, request.id);
  sendProblem(error, request, reply);
}

/** Requests Node's HTTP parser rejects (bad method or framing, oversized headers, too slow). */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [type, detail]: [ProblemType, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [Problems.requestTimeout, REQUEST_TIMEOUT_DETAIL]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [Problems.headersTooLarge, 'The request headers are too large']
        : [Problems.badRequest, 'The request is not valid HTTP'];
  answerAndClose(socket, type, detail, randomUUID());
}

const REQUEST_TIMEOUT_DETAIL = 'The request was not received in time';

/**
 * The body of a request must arrive within REQUEST_TIMEOUT_MS of its headers (Node's own
 * requestTimeout stops watching a request once its headers are in): a client that never
 * finishes its body gets the 408 problem and the connection is closed, instead of holding it.
 * The watch ends when the body has arrived or when the request is answered (or its connection
 * lost): a request answered before its body was read — a 413 for a declared length over the
 * limit — must not keep a timer, and the request it holds, for REQUEST_TIMEOUT_MS.
 * Called for every request by request-hooks.ts; a request without a body costs two header reads.
 */
export function watchBodyDeadline(request: FastifyRequest, response: ServerResponse, timeoutMs: number): void {
  const raw = request.raw;
  if (raw.complete || (raw.headers['content-length'] === undefined && raw.headers['transfer-encoding'] === undefined)) return;
  const timer = setTimeout(() => {
    if (raw.complete || raw.socket.destroyed) return;
    answerAndClose(raw.socket, Problems.requestTimeout, REQUEST_TIMEOUT_DETAIL, request.id);
  }, timeoutMs);
  const stop = () => clearTimeout(timer);
  raw.once('end', stop);
  response.once('close', stop);
}

/** How long a refused connection keeps reading (and dropping) what the client still sends. */
const LINGER_MS = 2000;

/**
 * Writes a problem straight to the socket, for when no Fastify reply can be used any more, and
 * closes the connection gracefully: closing at once while the client is still sending (a large
 * body) would reset the connection before the client has read the answer, so the rest of its
 * request is read and dropped for up to LINGER_MS first (a "lingering close", as nginx does).
 */
function answerAndClose(socket: Socket, type: ProblemType, detail: string, requestId: string): void {
  const body = JSON.stringify({ type: PROBLEM_BASE + type.slug, title: type.title, status: type.status, detail, instance: '/', requestId });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${type.status} ${STATUS_CODES[type.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n${REQUEST_ID_HEADER}: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.end();
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
