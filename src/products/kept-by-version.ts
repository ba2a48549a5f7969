// Migration 20261203130000_search_count_version names this file by its former name, search-counts.ts.
/**
 * How long an answer is kept at most, whatever the version says: versions are only unique while
 * the database keeps every commit, and a failover to a standby that missed some, or a restore, may
 * number different products with a version already seen.
 */
export const MAX_KEPT_AGE_MS = 60_000;

/** An answer read with the version of SearchCountVersion it was read at, in one statement. */
export interface Versioned<T> {
  value: T;
  version: bigint;
}

/**
 * Answers about the catalogue that depend on nothing but what SearchCountVersion follows (products'
 * text, visibility, category and price: migration 20261203130000_search_count_version), each kept
 * with the version it was read at in the same statement: exact for as long as that version is the
 * current one. The least recently used goes first when more are kept. Requests that miss the same
 * answer at once wait for one reading of it (`read`). One of each kind per instance
 * (products.module.ts).
 */
export class KeptByVersion<T> {
  private readonly kept = new Map<string, Versioned<T> & { keptAt: number }>();
  private readonly reading = new Map<string, { version: bigint; value: Promise<T> }>();

  constructor(
    private readonly capacity: number,
    private readonly maxAgeMs: number = MAX_KEPT_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The answer for `key` at `version` (the current version, as the request read it): kept, being
   * read for the same version, or read now by `read` and kept at the version it was read at.
   */
  read(key: string, version: bigint, read: () => Promise<Versioned<T>>): Promise<T> {
    const kept = this.get(key, version);
    if (kept !== undefined) return Promise.resolve(kept);
    const reading = this.reading.get(key);
    if (reading?.version === version) return reading.value;
    const value = read()
      .then((found) => {
        this.keep(key, found.version, found.value);
        return found.value;
      })
      .finally(() => {
        if (this.reading.get(key)?.value === value) this.reading.delete(key);
      });
    this.reading.set(key, { version, value });
    return value;
  }

  /** The answer kept for `key` at `version`, or undefined. */
  get(key: string, version: bigint): T | undefined {
    const entry = this.kept.get(key);
    if (entry?.version !== version || this.now() - entry.keptAt > this.maxAgeMs) return undefined;
    this.kept.delete(key); // the most recently used goes last
    this.kept.set(key, entry);
    return entry.value;
  }

  /**
   * Keeps `value`, read at `version`, unless one of a later version is kept and not yet too old (this
   * one was read on a replica that lags; after a failover that lost commits, versions go back).
   */
  keep(key: string, version: bigint, value: T): void {
    const entry = this.kept.get(key);
    if (entry && entry.version > version && this.now() - entry.keptAt <= this.maxAgeMs) return;
    this.kept.delete(key);
    this.kept.set(key, { version, value, keptAt: this.now() });
    if (this.kept.size > this.capacity) this.kept.delete(this.kept.keys().next().value!);
  }
}

/** How many search counts an instance keeps (a key is at most ~250 characters: ~0.5 MB in all). */
export const MAX_KEPT_SEARCH_COUNTS = 1_000;

/**
 * Counts of searches the kept gram counts cannot answer (a term of four characters or more, or
 * another filter). Concurrent misses share one reading: 32 storefronts searching `espresso`
 * together count its 94,000 matches once, not 32 times.
 */
export class SearchCounts extends KeptByVersion<number> {
  constructor(capacity = MAX_KEPT_SEARCH_COUNTS, maxAgeMs?: number, now?: () => number) {
    super(capacity, maxAgeMs, now);
  }
}

/** How many search pages an instance keeps (typically a key of ~300 characters and 21 ids: ~3 MB; ~8 MB with the longest keys and pages). */
export const MAX_KEPT_SEARCH_PAGES = 5_000;

/**
 * The ids of search pages read by a walk or the search indexes (products.repository.ts,
 * searchedRows), in page order: the rows themselves are read again by id each time, since their
 * stock is not what the version follows. A page ordered or filtered by stock is never kept.
 */
export class SearchPages extends KeptByVersion<readonly number[]> {
  constructor(capacity = MAX_KEPT_SEARCH_PAGES, maxAgeMs?: number, now?: () => number) {
    super(capacity, maxAgeMs, now);
  }
}
