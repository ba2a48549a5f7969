import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, type Observable, of, throwError } from 'rxjs';
import { StaleVersionError } from '../concurrency/row-version.js';
import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';
import { conditionalAnswer, ConditionalRequestInterceptor, preconditionFailed } from './conditional-request.interceptor.js';

const category = { value: { id: 12, name: 'Kettles' }, version: 3 };

function httpContext(method: string, headers: Record<string, string> = {}) {
  const reply = { statusCode: 200, sent: {} as Record<string, string> };
  const fastifyReply = {
    header: (name: string, value: string) => ((reply.sent[name] = value), fastifyReply),
    status: (code: number) => ((reply.statusCode = code), fastifyReply),
  };
  const context = { switchToHttp: () => ({ getRequest: () => ({ method, headers }), getResponse: () => fastifyReply }) } as unknown as ExecutionContext;
  return { context, reply };
}

const handler = (result: Observable<unknown>): CallHandler => ({ handle: () => result });

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

describe('ConditionalRequestInterceptor', () => {
  const interceptor = new ConditionalRequestInterceptor();

  it('sends the body with its ETag', async () => {
    const { context, reply } = httpContext('PUT');
    await expect(firstValueFrom(interceptor.intercept(context, handler(of(category))))).resolves.toEqual(category.value);
    expect(reply).toEqual({ statusCode: 200, sent: { etag: '"12-3"' } });
  });

  it('turns a matching conditional GET into an empty 304 that still carries the ETag', async () => {
    const { context, reply } = httpContext('GET', { 'if-none-match': '"12-3"' });
    await expect(firstValueFrom(interceptor.intercept(context, handler(of(category))))).resolves.toBeUndefined();
    expect(reply).toEqual({ statusCode: 304, sent: { etag: '"12-3"' } });
  });

  it('leaves a stale If-Match to the exception filter, whose 412 carries the current ETag', async () => {
    const { context } = httpContext('PATCH');
    const staleVersion = new StaleVersionError('Category', 12, 5);
    await expect(firstValueFrom(interceptor.intercept(context, handler(throwError(() => staleVersion))))).rejects.toBe(staleVersion);
    const problem = preconditionFailed(staleVersion);
    expect(problem.problem).toBe(Problems.preconditionFailed);
    expect(problem.details).toEqual({
      detail: 'Category 12 has changed since the ETag in If-Match was issued; GET it again and retry',
      headers: { ETag: '"12-5"' },
    });
  });

  it('lets every other error through unchanged', async () => {
    const { context } = httpContext('GET');
    const notFound = new ProblemException(Problems.notFound);
    await expect(firstValueFrom(interceptor.intercept(context, handler(throwError(() => notFound))))).rejects.toBe(notFound);
  });
});
