/**
 * How a search's page is read, chosen from what SearchGramCount says about its term before any
 * row is read (README, "A search reads its page by the path its kept counts choose"). The planner cannot make this choice well: it
 * knows a term's frequency only from a sample, and testing a term against that sample cost more
 * than reading a rare term's whole page (~3 ms of planning per search at a million products).
 */

/** What the kept gram counts tell about a term, for the caller's view (SearchEstimate in products.repository.ts). */
export interface SearchEstimate {
  /**
   * At most this many products of the view match: the count of the term itself (one to three
   * characters) or of its rarest three-character piece; 0 when one of them occurs nowhere. null
   * when no piece of the term is counted (no printable ASCII triple).
   */
  matches: number | null;
  /** `matches` is the exact number of matches (a term of one to three printable ASCII characters, no space). */
  exact: boolean;
  /** How many products the view holds. */
  rows: number;
}

/**
 * - `none`: nothing matches; no row is read.
 * - `walk`: read the rows in page order, at most `rows` of them, testing each, until the page is
 *   full; if it is not, `then` says how to read it.
 * - `bitmap`: read every match through the search indexes, then sort (exact counts only: their cost is known).
 * - `planner`: one statement, planned by PostgreSQL with the term's value.
 */
export type SearchPath = { read: 'none' } | { read: 'walk'; rows: number; then: 'bitmap' | 'planner' } | { read: 'bitmap' } | { read: 'planner' };

/**
 * A match read through an index costs about as much as four rows walked in page order (a random
 * heap page and a sort entry against the next row of a page already read; measured at a million
 * products, ~1 µs a walked row, tested, against 2–7 µs a match, warm or read from the OS's cache),
 * so a walk is chosen when its expected length is under four times the number of matches.
 */
export const WALKED_ROWS_PER_MATCH = 4;
/** A walk reads up to three times its expected length, so that an unlucky stretch of the order rarely ends it… */
export const WALK_ALLOWANCE = 3;
/** …and at least this many rows (~2 ms): matches spread unevenly (a code's digits in one range of skus) are common. */
export const MIN_WALK = 2_000;
/** No walk reads more rows than this. */
export const MAX_WALK = 30_000;
/**
 * A walk for a term whose count is only an upper bound (a longer term: its rarest piece) may
 * need far more rows than the bound suggests: it reads at least this many before giving up.
 */
export const MIN_INEXACT_WALK = 12_000;
/** Reading every match through the index, then sorting, is bounded by this many matches (~10–20 ms); past it the planner reads the page. */
export const MAX_INDEXED_MATCHES = 5_000;

/**
 * A term of one character is nearly always common (at a million products, 32 of the 36 letters and
 * digits are in more than a tenth of them), so a page of up to 101 matches (the largest page and
 * the row after it) is walked, MIN_WALK rows at most, before the estimate is read — beside it for
 * a numbered page, which needs its count: for a cursor page the estimate's statement cost about as
 * much as the walk (1,200 against 1,650 pages/s with it first). A walk that ends short goes on by
 * the estimate's path, which does not walk again.
 */
export const walksFirst = (term: string, need: number): boolean => [...term].length === 1 && need <= 101;

/**
 * The path for a page that needs the first `need` matches (after its cursor, or skip + take from
 * the start). Matches are assumed spread evenly along the page order; when they are not, the
 * walk ends without a full page and `then` reads it.
 */
export function searchPath(estimate: SearchEstimate, need: number): SearchPath {
  const { matches, exact, rows } = estimate;
  if (matches === null) return { read: 'planner' };
  if (matches === 0) return { read: 'none' };
  const then = exact && matches <= MAX_INDEXED_MATCHES ? 'bitmap' : 'planner';
  const expectedWalk = (need * Math.max(rows, matches)) / matches;
  if (expectedWalk > WALKED_ROWS_PER_MATCH * matches || expectedWalk > MAX_WALK) return { read: then };
  const walk = Math.max(MIN_WALK, Math.ceil(WALK_ALLOWANCE * expectedWalk), exact ? 0 : MIN_INEXACT_WALK);
  return { read: 'walk', rows: Math.min(MAX_WALK, walk), then };
}
