import { versionWhere } from './version-where.js';

describe('versionWhere', () => {
  it('conditions the UPDATE only when the write accepts particular versions', () => {
    expect(versionWhere(undefined)).toEqual({});
    expect(versionWhere('any')).toEqual({});
    expect(versionWhere([])).toEqual({ version: { in: [] } });
    expect(versionWhere([3])).toEqual({ version: { in: [3] } });
  });
});
