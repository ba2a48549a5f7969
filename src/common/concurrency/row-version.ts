/**
 * Optimistic concurrency: every catalogue row has a version, raised by each write. Services answer
 * a representation with the version it was read or written at; the HTTP layer makes an ETag of it
 * (common/http/conditional-request.interceptor.ts).
 */
export interface Versioned<T extends { id: number }> {
  value: T;
  version: number;
}

/**
 * The versions a conditional write accepts (from If-Match, see common/http/entity-tag.ts):
 * undefined or 'any' write whatever the version; a list, possibly empty, only those versions.
 * It goes into the UPDATE's WHERE clause (versionWhere): atomic, no read-then-write.
 */
export type Precondition = 'any' | number[] | undefined;

/** The WHERE condition a Precondition adds to a conditional UPDATE (nothing when unconditional). */
export function versionWhere(condition: Precondition): { version?: { in: number[] } } {
  return Array.isArray(condition) ? { version: { in: condition } } : {};
}

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
