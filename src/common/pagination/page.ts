import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** What a list endpoint needs from the request to build absolute next/previous links. */
export interface PageRequest {
  protocol: string;
  host: string;
  url: string;
}

/** skip/take for a page query. */
export function pageWindow(query: { page: number; pageSize: number }): { skip: number; take: number } {
  return { skip: (query.page - 1) * query.pageSize, take: query.pageSize };
}

/**
 * The DRF page shape. next/previous keep every other query parameter of the request.
 * A page past the end answers 404, as DRF's PageNumberPagination does.
 */
export function buildPage<T>(request: PageRequest, query: { page: number; pageSize: number }, count: number, results: T[]): Page<T> {
  const lastPage = Math.max(1, Math.ceil(count / query.pageSize));
  if (query.page > lastPage) {
    throw new ProblemException(Problems.notFound, { detail: `Invalid page: the last page is ${lastPage}` });
  }
  let url: URL | undefined; // parsed once, for both links
  const link = (page: number) => {
    url ??= new URL(request.url, `${request.protocol}://${request.host}`);
    url.searchParams.set('page', String(page));
    url.searchParams.set('pageSize', String(query.pageSize));
    return url.toString();
  };
  return {
    count,
    next: query.page < lastPage ? link(query.page + 1) : null,
    previous: query.page > 1 ? link(query.page - 1) : null,
    results,
  };
}
