/** How many search counts an instance keeps (a key is at most ~250 characters: ~0.5 MB in all). */
export const MAX_KEPT_SEARCH_COUNTS = 1_000;
/**
 * How long a count is kept at most, whatever the version says: versions are only unique while the
 * database keeps every commit, and a failover to a standby that missed some, or a restore, may
 * number different products with a version already seen.
 */
export const MAX_SEARCH_COUNT_AGE_MS = 60_000;

/** A count read with the version of SearchCountVersion it was read at, in one statement. */
export interface VersionedCount {
  count: number;
  version: bigint;
}

/**
 * Counts of searches the kept gram counts cannot answer (a term of four characters or more, or
 * another filter), each with the version of SearchCountVersion it was read with in the same
 * statement (migration 20261203130000_search_count_version): exact for as long as that version is
 * the current one. The least recently used count goes first when more are kept. Requests that
 * miss the same count at once wait for one reading of it: 32 storefronts searching `espresso`
 * together count its 94,000 matches once, not 32 times. One per instance (products.module.ts).
 */
export class SearchCounts {
  private readonly kept = new Map<string, VersionedCount & { keptAt: number }>();
  private readonly reading = new Map<string, { version: bigint; count: Promise<number> }>();

  constructor(
    private readonly capacity: number = MAX_KEPT_SEARCH_COUNTS,
    private readonly maxAgeMs: number = MAX_SEARCH_COUNT_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The count for `key` at `version` (the current version, as the request read it): kept, being
   * read for the same version, or read now by `read` and kept at the version it was read at.
   */
  count(key: string, version: bigint, read: () => Promise<VersionedCount>): Promise<number> {
    const kept = this.get(key, version);
    if (kept !== undefined) return Promise.resolve(kept);
    const reading = this.reading.get(key);
    if (reading?.version === version) return reading.count;
    const count = read()
      .then((found) => {
        this.keep(key, found.version, found.count);
        return found.count;
      })
      .finally(() => {
        if (this.reading.get(key)?.count === count) this.reading.delete(key);
      });
    this.reading.set(key, { version, count });
    return count;
  }

  /** The count kept for `key` at `version`, or undefined. */
  get(key: string, version: bigint): number | undefined {
    const entry = this.kept.get(key);
    if (entry?.version !== version || this.now() - entry.keptAt > this.maxAgeMs) return undefined;
    this.kept.delete(key); // the most recently used goes last
    this.kept.set(key, entry);
    return entry.count;
  }

  /** Keeps `count`, read at `version`, unless a count of a later version is kept (read on a replica that lags). */
  keep(key: string, version: bigint, count: number): void {
    const entry = this.kept.get(key);
    if (entry && entry.version > version) return;
    this.kept.delete(key);
    this.kept.set(key, { version, count, keptAt: this.now() });
    if (this.kept.size > this.capacity) this.kept.delete(this.kept.keys().next().value!);
  }
}
