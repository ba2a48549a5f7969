import type { CursorCodec, CursorScope, Position } from './cursor.js';
import { buildCursorPage, cursorSlice } from './cursor.js';

/** Encodes a position readably, so the slices below say which row each cursor points at. */
const codec = { encode: (_scope: CursorScope, position: Position) => `${position.backwards ? 'before' : 'after'}-${position.key.join('.')}` } as CursorCodec;
const scope: CursorScope = { list: 'things', orderBy: [{ column: 'id', direction: 'asc' }], filter: {} };
const keyOf = (row: { id: number }) => [row.id];
const rows = (...ids: number[]) => ids.map((id) => ({ id }));

describe('cursorSlice', () => {
  it('first page: a next cursor when a row beyond the page was read, no previous one', () => {
    expect(cursorSlice(codec, scope, undefined, 2, rows(1, 2, 3), keyOf)).toEqual({ results: rows(1, 2), nextCursor: 'after-2', previousCursor: null });
    expect(cursorSlice(codec, scope, undefined, 2, rows(1, 2), keyOf)).toEqual({ results: rows(1, 2), nextCursor: null, previousCursor: null });
  });

  it('walking forward from a cursor: a previous cursor before the first row', () => {
    const after = { key: [2], backwards: false };
    expect(cursorSlice(codec, scope, after, 2, rows(3, 4), keyOf)).toEqual({ results: rows(3, 4), nextCursor: null, previousCursor: 'before-3' });
  });

  it('walking back: rows come in reverse reading order and are put back; next always exists', () => {
    const before = { key: [5], backwards: true };
    expect(cursorSlice(codec, scope, before, 2, rows(4, 3, 2), keyOf)).toEqual({ results: rows(3, 4), nextCursor: 'after-4', previousCursor: 'before-3' });
    expect(cursorSlice(codec, scope, before, 2, rows(2, 1), keyOf)).toEqual({ results: rows(1, 2), nextCursor: 'after-2', previousCursor: null });
  });

  it('an empty page (its rows removed since) still points back where it was', () => {
    expect(cursorSlice(codec, scope, { key: [9], backwards: false }, 2, [], keyOf)).toEqual({ results: [], nextCursor: null, previousCursor: 'before-9' });
    expect(cursorSlice(codec, scope, { key: [9], backwards: true }, 2, [], keyOf)).toEqual({ results: [], nextCursor: 'after-9', previousCursor: null });
  });
});

describe('buildCursorPage', () => {
  const request = { protocol: 'https', host: 'shop.test', url: '/v1/products?cursor=old&pageSize=5&search=tea%20pot' };

  it('puts each cursor into the request URL in place of the old one, keeping the other parameters', () => {
    expect(buildCursorPage(request, { results: ['x'], nextCursor: 'after-7', previousCursor: 'before-3' })).toEqual({
      next: 'https://shop.test/v1/products?cursor=after-7&pageSize=5&search=tea+pot',
      previous: 'https://shop.test/v1/products?cursor=before-3&pageSize=5&search=tea+pot',
      results: ['x'],
    });
  });

  it('links nothing where the slice has no cursor', () => {
    expect(buildCursorPage(request, { results: [], nextCursor: null, previousCursor: null })).toEqual({ next: null, previous: null, results: [] });
  });
});
