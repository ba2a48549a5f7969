import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';

/** The DRF page shape a page-number list answers. */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** A page of a page-number list as a service reads it: the window asked for, the list's size and the rows. */
export interface CountedPage<T> {
  page: number;
  pageSize: number;
  count: number;
  results: T[];
}

/** What the link builders need from the request to make absolute next/previous links. */
export interface PageRequest {
  protocol: string;
  host: string;
  url: string;
}

/** skip/take for a page query. */
export function pageWindow(query: { page: number; pageSize: number }): { skip: number; take: number } {
  return { skip: (query.page - 1) * query.pageSize, take: query.pageSize };
}

/** The page a service read for `query`. */
export function countedPage<T>(query: { page: number; pageSize: number }, count: number, results: T[]): CountedPage<T> {
  return { page: query.page, pageSize: query.pageSize, count, results };
}

/**
 * The DRF page shape. next/previous keep every other query parameter of the request.
 * A page past the end answers 404, as DRF's PageNumberPagination does.
 */
export function buildPage<T>(request: PageRequest, { page, pageSize, count, results }: CountedPage<T>): Page<T> {
  const lastPage = Math.max(1, Math.ceil(count / pageSize));
  if (page > lastPage) {
    throw new ProblemException(Problems.notFound, { detail: `Invalid page: the last page is ${lastPage}` });
  }
  let url: URL | undefined; // parsed once, for both links
  const link = (to: number) => {
    url ??= new URL(request.url, `${request.protocol}://${request.host}`);
    url.searchParams.set('page', String(to));
    url.searchParams.set('pageSize', String(pageSize));
    return url.toString();
  };
  return {
    count,
    next: page < lastPage ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results,
  };
}
