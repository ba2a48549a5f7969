import { MAX_INDEXED_MATCHES, MAX_WALK, MIN_INEXACT_WALK, MIN_WALK, searchPath } from './search-path.js';

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
});
