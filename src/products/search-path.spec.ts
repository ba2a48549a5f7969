import { firstWalkRows, MAX_INDEXED_MATCHES, MAX_WALK, MIN_INEXACT_WALK, MIN_WALK, SCATTERED_WALK_COST, searchPath } from './search-path.js';

const MILLION = 940_000;

describe('searchPath', () => {
  it('reads nothing for a term that occurs nowhere, and leaves a term no count knows to the planner', () => {
    expect(searchPath({ matches: 0, exact: true, rows: MILLION }, 21)).toEqual({ read: 'none' });
    expect(searchPath({ matches: 0, exact: false, rows: MILLION }, 21)).toEqual({ read: 'none' });
    expect(searchPath({ matches: null, exact: false, rows: MILLION }, 21)).toEqual({ read: 'planner' });
  });

  it('walks for a common term, three times its expected length but at least MIN_WALK rows, then the planner when its matches are too many to sort', () => {
    // "e": ~900,000 matches, a page within ~22 rows
    expect(searchPath({ matches: 900_000, exact: true, rows: MILLION }, 21)).toEqual({ read: 'walk', rows: MIN_WALK, then: 'planner' });
    // a pair in 14,000 products: ~1,400 rows expected
    expect(searchPath({ matches: 14_000, exact: true, rows: MILLION }, 21)).toEqual({ read: 'walk', rows: 4_230, then: 'planner' });
  });

  it('reads a rare exact term through the index, and falls back to it after a walk only within MAX_INDEXED_MATCHES', () => {
    expect(searchPath({ matches: 700, exact: true, rows: MILLION }, 21)).toEqual({ read: 'bitmap' });
    expect(searchPath({ matches: MAX_INDEXED_MATCHES, exact: true, rows: MILLION }, 21)).toEqual({ read: 'walk', rows: 11_844, then: 'bitmap' });
  });

  it('walks at least MIN_INEXACT_WALK rows for a bound, and leaves a rare bound to the planner', () => {
    expect(searchPath({ matches: 90_000, exact: false, rows: MILLION }, 21)).toEqual({ read: 'walk', rows: MIN_INEXACT_WALK, then: 'planner' });
    expect(searchPath({ matches: 2_400, exact: false, rows: MILLION }, 21)).toEqual({ read: 'walk', rows: 24_675, then: 'planner' });
    expect(searchPath({ matches: 2_000, exact: false, rows: MILLION }, 21)).toEqual({ read: 'planner' });
  });

  it('walks for a deep numbered page only while the walk stays within MAX_WALK', () => {
    expect(searchPath({ matches: 900_000, exact: true, rows: MILLION }, 10_020)).toEqual({ read: 'walk', rows: MAX_WALK, then: 'planner' });
    expect(searchPath({ matches: 300_000, exact: true, rows: MILLION }, 10_020)).toEqual({ read: 'planner' });
  });

  it('takes the whole of a small table as its row count (matches never exceed it)', () => {
    expect(searchPath({ matches: 520, exact: true, rows: 400 }, 5)).toEqual({ read: 'walk', rows: MIN_WALK, then: 'bitmap' });
  });

  it('weighs a walk against the index by what each reads: twice the matches for the bitmap path, four times for the planner', () => {
    // ~7,900 rows expected for 2,500 matches: over twice them, so the bitmap path; as a bound (the planner after it), a walk
    expect(searchPath({ matches: 2_500, exact: true, rows: MILLION }, 21)).toEqual({ read: 'bitmap' });
    expect(searchPath({ matches: 2_500, exact: false, rows: MILLION }, 21)).toEqual({ read: 'walk', rows: 23_688, then: 'planner' });
  });

  it('walks in a scattered order (an index on another column than id) only a short way, its bounds shrunk by its cost', () => {
    // the same 5,000-match term walks in id order, but reads the index in price order: ~3,948 rows at 8× the cost
    expect(searchPath({ matches: MAX_INDEXED_MATCHES, exact: true, rows: MILLION }, 21, 'scattered')).toEqual({ read: 'bitmap' });
    // a common character: a page within ~22 rows, MIN_WALK / 8 at most
    expect(searchPath({ matches: 900_000, exact: true, rows: MILLION }, 21, 'scattered')).toEqual({
      read: 'walk',
      rows: MIN_WALK / SCATTERED_WALK_COST,
      then: 'planner',
    });
    // a pair in 14,000 products: ~1,400 rows expected, 11,200 in id order's cost, under 4 × 14,000
    expect(searchPath({ matches: 14_000, exact: true, rows: MILLION }, 21, 'scattered')).toEqual({ read: 'walk', rows: 3_750, then: 'planner' });
    expect(searchPath({ matches: 900_000, exact: true, rows: MILLION }, 10_020, 'scattered')).toEqual({ read: 'planner' });
  });

  it("shrinks a one-character page's first walk in a scattered order as it does any walk's bounds", () => {
    expect(firstWalkRows('physical')).toBe(MIN_WALK);
    expect(firstWalkRows('scattered')).toBe(250);
  });
});
