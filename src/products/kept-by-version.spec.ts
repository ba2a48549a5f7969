import { SearchCounts, type Versioned } from './kept-by-version.js';

describe('SearchCounts', () => {
  it('answers a count only at the version it was read with', () => {
    const counts = new SearchCounts();
    counts.keep('espresso', 7n, 93_673);
    expect(counts.get('espresso', 7n)).toBe(93_673);
    expect(counts.get('espresso', 8n)).toBeUndefined();
    expect(counts.get('kettle', 7n)).toBeUndefined();
  });

  it('replaces a count with a later one, never with an earlier one', () => {
    const counts = new SearchCounts();
    counts.keep('espresso', 7n, 10);
    counts.keep('espresso', 9n, 11);
    counts.keep('espresso', 8n, 12); // read on a replica behind the primary
    expect(counts.get('espresso', 9n)).toBe(11);
    expect(counts.get('espresso', 8n)).toBeUndefined();
  });

  it('keeps a count for MAX_KEPT_AGE_MS at most, whatever the version says', () => {
    let now = 0;
    const counts = new SearchCounts(10, 60_000, () => now);
    counts.keep('espresso', 7n, 10);
    now = 60_000;
    expect(counts.get('espresso', 7n)).toBe(10);
    now = 60_001;
    expect(counts.get('espresso', 7n)).toBeUndefined();
  });

  it('keeps an earlier version over a later one that is too old (versions went back: a failover that lost commits)', () => {
    let now = 0;
    const counts = new SearchCounts(10, 60_000, () => now);
    counts.keep('espresso', 9n, 11);
    now = 60_001;
    counts.keep('espresso', 8n, 12);
    expect(counts.get('espresso', 8n)).toBe(12);
  });

  it('drops the least recently used count past its capacity', () => {
    const counts = new SearchCounts(2);
    counts.keep('a', 1n, 1);
    counts.keep('b', 1n, 2);
    expect(counts.get('a', 1n)).toBe(1); // now b is the least recently used
    counts.keep('c', 1n, 3);
    expect([counts.get('a', 1n), counts.get('b', 1n), counts.get('c', 1n)]).toEqual([1, undefined, 3]);
  });
});

describe('KeptByVersion.read', () => {
  it('reads a missing count once for all who ask at the same version, and keeps it', async () => {
    const counts = new SearchCounts();
    let reads = 0;
    let finish!: (found: Versioned<number>) => void;
    const read = () => {
      reads++;
      return new Promise<Versioned<number>>((resolve) => (finish = resolve));
    };
    const waiting = [counts.read('espresso', 3n, read), counts.read('espresso', 3n, read), counts.read('espresso', 3n, read)];
    finish({ value: 42, version: 3n });
    expect(await Promise.all(waiting)).toEqual([42, 42, 42]);
    expect(reads).toBe(1);
    expect(await counts.read('espresso', 3n, read)).toBe(42);
    expect(reads).toBe(1);
  });

  it('reads again for a newer version, and keeps the version the count was read at', async () => {
    const counts = new SearchCounts();
    await counts.read('espresso', 3n, () => Promise.resolve({ value: 42, version: 3n }));
    expect(await counts.read('espresso', 4n, () => Promise.resolve({ value: 43, version: 5n }))).toBe(43);
    expect(counts.get('espresso', 4n)).toBeUndefined();
    expect(counts.get('espresso', 5n)).toBe(43);
  });

  it('a failed reading reaches everyone waiting for it and keeps nothing', async () => {
    const counts = new SearchCounts();
    const failure = new Error('statement timeout');
    const read = () => Promise.reject(failure);
    await expect(Promise.all([counts.read('espresso', 3n, read), counts.read('espresso', 3n, read)])).rejects.toBe(failure);
    expect(await counts.read('espresso', 3n, () => Promise.resolve({ value: 1, version: 3n }))).toBe(1);
  });
});
