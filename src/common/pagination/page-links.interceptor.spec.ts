import type { ExecutionContext } from '@nestjs/common';
import { firstValueFrom, of, throwError } from 'rxjs';
import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';
import { PageLinksInterceptor } from './page-links.interceptor.js';

const context = (url: string, query: Record<string, string>) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ protocol: 'http', host: 'shop.test', url, query }) }) }) as unknown as ExecutionContext;

describe('PageLinksInterceptor', () => {
  it('answers a counted page as the DRF page', async () => {
    const answer = new PageLinksInterceptor(false).intercept(context('/v1/categories', {}), {
      handle: () => of({ page: 1, pageSize: 1, count: 2, results: ['a'] }),
    });
    await expect(firstValueFrom(answer)).resolves.toEqual({
      count: 2,
      next: 'http://shop.test/v1/categories?page=2&pageSize=1',
      previous: null,
      results: ['a'],
    });
  });

  it('answers a cursor slice as the cursor page', async () => {
    const answer = new PageLinksInterceptor(true).intercept(context('/v1/users?cursor=', { cursor: '' }), {
      handle: () => of({ results: ['a'], nextCursor: 'n', previousCursor: null }),
    });
    await expect(firstValueFrom(answer)).resolves.toEqual({ next: 'http://shop.test/v1/users?cursor=n', previous: null, results: ['a'] });
  });

  it('refuses cursor with page once the handler answered (its own errors first), on lists with cursor mode only', async () => {
    const both = context('/v1/orders?page=1&cursor=', { page: '1', cursor: '' });
    const slice = { handle: () => of({ results: [], nextCursor: null, previousCursor: null }) };
    await expect(firstValueFrom(new PageLinksInterceptor(true).intercept(both, slice))).rejects.toBeInstanceOf(ProblemException);
    const ownError = new ProblemException(Problems.validation);
    await expect(firstValueFrom(new PageLinksInterceptor(true).intercept(both, { handle: () => throwError(() => ownError) }))).rejects.toBe(ownError);
    const page = { handle: () => of({ page: 1, pageSize: 20, count: 0, results: [] }) };
    await expect(firstValueFrom(new PageLinksInterceptor(false).intercept(both, page))).resolves.toMatchObject({ count: 0 });
  });
});
