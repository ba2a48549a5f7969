import type { StaleVersionError, Versioned } from '../concurrency/row-version.js';
import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';
import { entityTag, ifNoneMatchHits } from './entity-tag.js';

/** How a route answers a versioned representation: its ETag, and either the body or a 304 without one. */
export interface ConditionalAnswer<T> {
  etag: string;
  notModified: boolean;
  body: T | undefined;
}

/**
 * A read (GET, or the HEAD Fastify derives from it) answers 304 when If-None-Match lists the
 * current ETag; a write always answers the representation it wrote (If-None-Match plays no part).
 */
export function conditionalAnswer<T>(method: string, ifNoneMatch: string | string[] | undefined, versioned: Versioned<T>): ConditionalAnswer<T> {
  const etag = entityTag(versioned.id, versioned.version);
  const notModified = (method === 'GET' || method === 'HEAD') && ifNoneMatchHits(ifNoneMatch, etag);
  return { etag, notModified, body: notModified ? undefined : versioned.value };
}

/** The 412 of a write whose If-Match named a version that is no longer current, with the current ETag. */
export function preconditionFailed(stale: StaleVersionError): ProblemException {
  return new ProblemException(Problems.preconditionFailed, {
    detail: `${stale.resource} ${stale.id} has changed since the ETag in If-Match was issued; GET it again and retry`,
    headers: { ETag: entityTag(stale.id, stale.currentVersion) },
  });
}
