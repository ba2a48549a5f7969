import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../problems/problem.exception.js';
import { listAnswer } from './list-answer.js';

const request = (url: string, query: Record<string, string>) => ({ protocol: 'http', host: 'shop.test', url, query }) as unknown as FastifyRequest;

describe('listAnswer', () => {
  it('answers a counted page as the DRF page', () => {
    expect(listAnswer(request('/v1/categories', {}), { page: 1, pageSize: 1, count: 2, results: ['a'] })).toEqual({
      count: 2,
      next: 'http://shop.test/v1/categories?page=2&pageSize=1',
      previous: null,
      results: ['a'],
    });
  });

  it('answers a cursor slice as the cursor page', () => {
    expect(listAnswer(request('/v1/users?cursor=', { cursor: '' }), { results: ['a'], nextCursor: 'n', previousCursor: null })).toEqual({
      next: 'http://shop.test/v1/users?cursor=n',
      previous: null,
      results: ['a'],
    });
  });

  it('refuses cursor combined with page', () => {
    const both = request('/v1/orders?page=1&cursor=', { page: '1', cursor: '' });
    expect(() => listAnswer(both, { results: [], nextCursor: null, previousCursor: null })).toThrow(ProblemException);
  });
});
