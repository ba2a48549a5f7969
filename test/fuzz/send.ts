import type { Server } from 'node:http';
import { connect } from 'node:net';
import request from 'supertest';
import type { HttpRequest, HttpResponse } from './world.js';

/** What Node's HTTP client lets through in a header value; anything else goes over a raw socket. */
const SENDABLE_HEADER = /^[\t\x20-\x7e\x80-\xff]*$/;
const TIMEOUT_MS = 30_000;

/** Sends through supertest, or byte for byte over a socket when Node's client would refuse the request. */
export function send(server: Server, req: HttpRequest): Promise<HttpResponse> {
  return Object.values(req.headers).every((v) => SENDABLE_HEADER.test(v)) ? sendWithSupertest(server, req) : sendRaw(server, req);
}

async function sendWithSupertest(server: Server, req: HttpRequest): Promise<HttpResponse> {
  let test = request(server)[req.method.toLowerCase() as 'get'](req.url).timeout(TIMEOUT_MS);
  for (const [name, value] of Object.entries(req.headers)) test = test.set(name, value);
  // The bytes as they are (no serializer, even for a JSON Content-Type), and no Content-Type unless one was set.
  if (req.body) test = test.serialize((bytes) => bytes).send(req.body);
  const res = await test.buffer(true).parse((stream, done) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done(null, Buffer.concat(chunks)));
  });
  return { status: res.status, headers: res.headers as Record<string, string>, text: Buffer.isBuffer(res.body) ? res.body.toString('utf8') : '' };
}

function sendRaw(server: Server, req: HttpRequest): Promise<HttpResponse> {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server is not listening on a TCP port');
  const headers = {
    host: `127.0.0.1:${address.port}`,
    connection: 'close',
    ...req.headers,
    ...(req.body ? { 'content-length': String(req.body.length) } : {}),
  };
  const head = `${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(headers)
    .map(([n, v]) => `${n}: ${v}\r\n`)
    .join('')}\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect(address.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error(`no answer in ${TIMEOUT_MS} ms`)));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
    // write, not end: a half-closed socket makes Node's server abort the request. "Connection: close" ends it.
    socket.write(Buffer.concat([Buffer.from(head, 'utf8'), req.body ?? Buffer.alloc(0)]));
  });
}

function parseResponse(raw: Buffer): HttpResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no HTTP response: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status: Number(statusLine.split(' ')[1]), headers, text: body.toString('utf8') };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
