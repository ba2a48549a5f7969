import { entityTag, ifMatchVersions, ifNoneMatchHits } from './entity-tag.js';

describe('entity tags', () => {
  it('are strong, quoted and carry id and version', () => {
    expect(entityTag(12, 3)).toBe('"12-3"');
  });

  it('If-None-Match compares weakly and understands lists and *', () => {
    const etag = entityTag(12, 3);
    for (const header of ['"12-3"', 'W/"12-3"', '"1-1", "12-3"', '"1-1","12-3"', ' * ', ['"1-1"', '"12-3"']]) {
      expect(ifNoneMatchHits(header, etag)).toBe(true);
    }
    for (const header of [undefined, '', '"12-2"', '12-3', '"12-3 "', '"2-3"']) {
      expect(ifNoneMatchHits(header, etag)).toBe(false);
    }
  });

  it('If-Match compares strongly and becomes the versions of this row it accepts', () => {
    expect(ifMatchVersions(undefined, 12)).toBeUndefined();
    expect(ifMatchVersions('*', 12)).toBe('any');
    expect(ifMatchVersions('"12-3"', 12)).toEqual([3]);
    expect(ifMatchVersions('"12-3", "12-4", "12-3"', 12)).toEqual([3, 4]);
    for (const header of ['W/"12-3"', '"13-3"', '"12-0"', '"12-x"', 'garbage', '"12-99999999999"', '"12-3-1"']) {
      expect(ifMatchVersions(header, 12)).toEqual([]);
    }
  });
});
