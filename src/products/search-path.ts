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
 * A walk is chosen while its expected length is under this many rows per match of the term: a row
 * walked in the table's own order (`physical`: by id or createdAt, the order rows are inserted in)
 * costs ~0.4 µs at a million products, a match read by the `bitmap` path (its id and ordering key,
 * then the page by id) 0.5–1 µs, by the planner's statement (whole rows sorted) about twice that
 * (warm: a page not in PostgreSQL's buffers costs ~7 µs more read from the OS's cache, ~30 µs on
 * a connection's first touch of that buffer in 4 KB pages — page faults — on the 2-core VM measured).
 */
export const WALKED_ROWS_PER_MATCH = { bitmap: 2, planner: 4 } as const;
/**
 * A walk in another order (price, name, sku, stock) reads each row through that order's index, a
 * random heap page each (~3.4 µs a row, measured ordered by stock): it counts as this many rows
 * walked in the table's order, for the choice and for the walk's bounds alike.
 */
export const SCATTERED_WALK_COST = 8;
/** The order a walk reads the table in: `physical` follows the heap (id, createdAt), `scattered` an index on another column. */
export type WalkOrder = 'physical' | 'scattered';
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
/** Reading every match through the index, then sorting, is bounded by this many matches (~2.5–5 ms); past it the planner reads the page. */
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
/** How many rows that first walk reads at most: MIN_WALK, shrunk by its cost in a scattered order as any walk's bounds are. */
export const firstWalkRows = (order: WalkOrder): number => (order === 'physical' ? MIN_WALK : MIN_WALK / SCATTERED_WALK_COST);

/**
 * The path for a page that needs the first `need` matches (after its cursor, or skip + take from
 * the start). Matches are assumed spread evenly along the page order; when they are not, the
 * walk ends without a full page and `then` reads it.
 */
export function searchPath(estimate: SearchEstimate, need: number, order: WalkOrder = 'physical'): SearchPath {
  const { matches, exact, rows } = estimate;
  if (matches === null) return { read: 'planner' };
  if (matches === 0) return { read: 'none' };
  const then = exact && matches <= MAX_INDEXED_MATCHES ? 'bitmap' : 'planner';
  const cost = order === 'physical' ? 1 : SCATTERED_WALK_COST;
  const expectedWalk = (need * Math.max(rows, matches)) / matches;
  if (expectedWalk * cost > WALKED_ROWS_PER_MATCH[then] * matches || expectedWalk * cost > MAX_WALK) return { read: then };
  const walk = Math.max(MIN_WALK / cost, Math.ceil(WALK_ALLOWANCE * expectedWalk), exact ? 0 : MIN_INEXACT_WALK / cost);
  return { read: 'walk', rows: Math.ceil(Math.min(MAX_WALK / cost, walk)), then };
}
