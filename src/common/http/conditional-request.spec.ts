import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaleVersionError, Versioned } from '../concurrency/row-version.js';
import { Problems } from '../problems/problem-types.js';
import { conditionalAnswer, preconditionFailed } from './conditional-request.js';
import { representation } from './representation.js';

const category = new Versioned({ id: 12, name: 'Kettles' }, 12, 3);

describe('conditionalAnswer', () => {
  it('tags the representation with id and version', () => {
    expect(conditionalAnswer('GET', undefined, category)).toEqual({ etag: '"12-3"', notModified: false, body: category.value });
  });

  it('answers 304 without a body to a GET or HEAD whose If-None-Match still matches', () => {
    for (const method of ['GET', 'HEAD']) {
      expect(conditionalAnswer(method, '"12-3"', category)).toEqual({ etag: '"12-3"', notModified: true, body: undefined });
      expect(conditionalAnswer(method, '"1-1", W/"12-3"', category).notModified).toBe(true);
      expect(conditionalAnswer(method, '"12-2"', category).notModified).toBe(false);
    }
  });

  it('never answers 304 to a write (If-None-Match plays no part there)', () => {
    for (const method of ['POST', 'PUT', 'PATCH']) expect(conditionalAnswer(method, '*', category)).toMatchObject({ notModified: false, body: category.value });
  });
});

describe('representation (the preSerialization hook)', () => {
  function exchange(method: string, headers: Record<string, string> = {}, config: Record<string, unknown> = {}, statusCode = 200) {
    const reply = { statusCode, sent: {} as Record<string, string> };
    const fastifyReply = {
      get statusCode() {
        return reply.statusCode;
      },
      header: (name: string, value: string) => ((reply.sent[name] = value), fastifyReply),
      code: (code: number) => ((reply.statusCode = code), fastifyReply),
    };
    const request = { method, headers, routeOptions: { url: '/v1/categories', config } };
    return { request: request as unknown as FastifyRequest, fastifyReply: fastifyReply as unknown as FastifyReply, reply };
  }

  it('sends a Versioned body as its value with its ETag', () => {
    const { request, fastifyReply, reply } = exchange('PUT');
    expect(representation(request, fastifyReply, category)).toEqual(category.value);
    expect(reply).toEqual({ statusCode: 200, sent: { etag: '"12-3"' } });
  });

  it('turns a matching conditional GET into an empty 304 that still carries the ETag', () => {
    const { request, fastifyReply, reply } = exchange('GET', { 'if-none-match': '"12-3"' });
    expect(representation(request, fastifyReply, category)).toBeNull();
    expect(reply).toEqual({ statusCode: 304, sent: { etag: '"12-3"' } });
  });

  it('gives a 201 its Location only where the route declares one', () => {
    const created = exchange('POST', {}, { location: true }, 201);
    expect(representation(created.request, created.fastifyReply, category)).toEqual(category.value);
    expect(created.reply.sent).toEqual({ etag: '"12-3"', location: '/v1/categories/12' });
    const plain = exchange('POST', {}, {}, 201);
    representation(plain.request, plain.fastifyReply, { id: 4 });
    expect(plain.reply.sent).toEqual({});
  });

  it('leaves every other body alone', () => {
    const { request, fastifyReply, reply } = exchange('GET', { 'if-none-match': '*' });
    const body = { id: 1, version: 2, value: 'not a Versioned' };
    expect(representation(request, fastifyReply, body)).toBe(body);
    expect(reply).toEqual({ statusCode: 200, sent: {} });
  });
});

describe('preconditionFailed', () => {
  it('is the 412 of a stale If-Match, carrying the current ETag', () => {
    const problem = preconditionFailed(new StaleVersionError('Category', 12, 5));
    expect(problem.problem).toBe(Problems.preconditionFailed);
    expect(problem.details).toEqual({
      detail: 'Category 12 has changed since the ETag in If-Match was issued; GET it again and retry',
      headers: { ETag: '"12-5"' },
    });
  });
});
