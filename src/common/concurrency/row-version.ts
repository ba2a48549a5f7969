import { notFound } from '../problems/common-problems.js';

/**
 * Optimistic concurrency: every catalogue row has a version, raised by each write. Services answer
 * a representation with the version it was read or written at; the HTTP layer makes an ETag of it
 * (common/http/representation.ts).
 */
export class Versioned<T> {
  constructor(
    readonly value: T,
    /** The row's id and version make the ETag. */
    readonly id: number,
    readonly version: number,
  ) {}
}

/**
 * The versions a conditional write accepts (from If-Match, see common/http/entity-tag.ts):
 * undefined or 'any' write whatever the version; a list, possibly empty, only those versions.
 * It goes into the UPDATE's WHERE clause (database/version-where.ts): atomic, no read-then-write.
 */
export type Precondition = 'any' | number[] | undefined;

/** A conditional write found the row at another version than it accepts: nothing was written. */
export class StaleVersionError extends Error {
  constructor(
    /** What the row is, for the answer's detail: "Category", "Product". */
    readonly resource: string,
    readonly id: number,
    readonly currentVersion: number,
  ) {
    super(`${resource} ${id} is at version ${currentVersion}, not one the write accepts`);
  }
}

/**
 * A conditional write's answer: the row it wrote; else (no row matched) a 404 when the row is gone,
 * or StaleVersionError (the 412) when it is at a version the write did not accept.
 */
export async function writtenOrStale<Row>(
  written: Row | undefined,
  resource: string,
  id: number,
  current: () => Promise<{ version: number } | null>,
): Promise<Row> {
  if (written !== undefined) return written;
  const now = await current();
  if (!now) throw notFound(resource, id);
  throw new StaleVersionError(resource, id, now.version);
}
