import { validationProblem } from '../problems/common-problems.js';
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

/**
 * The deepest row a page-number page may start at. OFFSET reads every row it skips: at a million
 * products page 10,001 took ~2.8 s, so a deeper page is a 400 that points to the cursor form, whose
 * pages cost the same at any depth (README, "Catalogue"). 10,000 is Elasticsearch's
 * max_result_window: page 501 at the default page size, page 101 at 100.
 */
export const MAX_PAGE_OFFSET = 10_000;

/**
 * skip/take for a page query. A page starting past MAX_PAGE_OFFSET reads no rows (take 0: LIMIT 0
 * scans nothing) and buildPage refuses it once the count says whether it exists at all.
 */
export function pageWindow(query: { page: number; pageSize: number }): { skip: number; take: number } {
  const skip = (query.page - 1) * query.pageSize;
  return { skip, take: skip > MAX_PAGE_OFFSET ? 0 : query.pageSize };
}

/** The page a service read for `query`. */
export function countedPage<T>(query: { page: number; pageSize: number }, count: number, results: T[]): CountedPage<T> {
  return { page: query.page, pageSize: query.pageSize, count, results };
}

/**
 * The DRF page shape. next/previous keep every other query parameter of the request.
 * A page past the end answers 404, as DRF's PageNumberPagination does; an existing page that
 * starts past MAX_PAGE_OFFSET, a 400 naming `page`.
 */
export function buildPage<T>(request: PageRequest, { page, pageSize, count, results }: CountedPage<T>): Page<T> {
  const lastPage = Math.max(1, Math.ceil(count / pageSize));
  if (page > lastPage) {
    throw new ProblemException(Problems.notFound, { detail: `Invalid page: the last page is ${lastPage}` });
  }
  if ((page - 1) * pageSize > MAX_PAGE_OFFSET) {
    throw validationProblem([
      {
        field: 'page',
        message: `page ${page} starts past row ${MAX_PAGE_OFFSET.toLocaleString('en')}, the deepest a numbered page reaches; narrow the filters, or page with cursor= (its pages cost the same at any depth)`,
      },
    ]);
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
