import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';
import { buildPage, countedPage, MAX_PAGE_OFFSET, pageWindow } from './page.js';

const request = (url: string) => ({ protocol: 'http', host: 'shop.test', url });

describe('buildPage', () => {
  it('links the pages beside this one, keeping every other query parameter', () => {
    const page = buildPage(request('/v1/products?ordering=-price&search=kettle&page=2&pageSize=10'), countedPage({ page: 2, pageSize: 10 }, 35, ['a']));
    expect(page).toEqual({
      count: 35,
      next: 'http://shop.test/v1/products?ordering=-price&search=kettle&page=3&pageSize=10',
      previous: 'http://shop.test/v1/products?ordering=-price&search=kettle&page=1&pageSize=10',
      results: ['a'],
    });
  });

  it('names page and pageSize in the links even when the request left them to their defaults', () => {
    const page = buildPage(request('/v1/categories'), countedPage({ page: 1, pageSize: 20 }, 21, []));
    expect(page.next).toBe('http://shop.test/v1/categories?page=2&pageSize=20');
    expect(page.previous).toBeNull();
  });

  it('has no links on the only page, an empty list included', () => {
    expect(buildPage(request('/v1/users'), countedPage({ page: 1, pageSize: 20 }, 0, []))).toEqual({ count: 0, next: null, previous: null, results: [] });
    expect(buildPage(request('/v1/users'), countedPage({ page: 1, pageSize: 20 }, 20, [])).next).toBeNull();
  });

  it('answers a page past the end with a 404 naming the last page', () => {
    const pastTheEnd = () => buildPage(request('/v1/orders?page=4'), countedPage({ page: 4, pageSize: 10 }, 30, []));
    expect(pastTheEnd).toThrow(ProblemException);
    expect(pastTheEnd).toThrow('Invalid page: the last page is 3');
    try {
      pastTheEnd();
    } catch (error) {
      expect((error as ProblemException).problem).toBe(Problems.notFound);
    }
  });

  it('refuses an existing page that starts past MAX_PAGE_OFFSET with a 400 naming page, and still answers 404 past the end', () => {
    const deepest = MAX_PAGE_OFFSET / 20 + 1;
    expect(buildPage(request('/v1/products'), countedPage({ page: deepest, pageSize: 20 }, 1_000_000, ['a'])).results).toEqual(['a']);
    const tooDeep = () => buildPage(request('/v1/products'), countedPage({ page: deepest + 1, pageSize: 20 }, 1_000_000, []));
    expect(tooDeep).toThrow(ProblemException);
    try {
      tooDeep();
    } catch (error) {
      expect((error as ProblemException).problem).toBe(Problems.validation);
      expect((error as ProblemException).details.errors).toEqual([{ field: 'page', message: expect.stringContaining('cursor=') }]);
    }
    expect(() => buildPage(request('/v1/products'), countedPage({ page: deepest + 1, pageSize: 20 }, 30, []))).toThrow('Invalid page: the last page is 2');
  });
});

describe('pageWindow', () => {
  it('reads no rows for a page that starts past MAX_PAGE_OFFSET', () => {
    expect(pageWindow({ page: 3, pageSize: 20 })).toEqual({ skip: 40, take: 20 });
    expect(pageWindow({ page: MAX_PAGE_OFFSET / 100 + 1, pageSize: 100 })).toEqual({ skip: MAX_PAGE_OFFSET, take: 100 });
    expect(pageWindow({ page: MAX_PAGE_OFFSET / 100 + 2, pageSize: 100 })).toEqual({ skip: MAX_PAGE_OFFSET + 100, take: 0 });
  });
});
