import type { Precondition } from '../concurrency/row-version.js';
import { PG_INT_MAX } from '../numbers/canonical-int.js';

/** The strong ETag of row `id` at `version`, e.g. "12-3" (quotes included). */
export function entityTag(id: number, version: number): string {
  return `"${id}-${version}"`;
}

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE (RFC 9110 §8.8.3)
const ENTITY_TAG = /(W\/)?"([^"\s]*)"/g;

function listedTags(header: string | string[] | undefined): { weak: boolean; opaque: string }[] | '*' | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (value.trim() === '*') return '*';
  return [...value.matchAll(ENTITY_TAG)].map((m) => ({ weak: m[1] !== undefined, opaque: m[2] }));
}

/**
 * If-None-Match with the weak comparison of RFC 9110 §13.1.2: true when the current
 * representation is listed (or the header is "*"), i.e. a GET should answer 304.
 */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  const tags = listedTags(header);
  if (tags === undefined) return false;
  if (tags === '*') return true;
  const current = etag.replace(/^W\//, '').slice(1, -1);
  return tags.some((tag) => tag.opaque === current);
}

/**
 * If-Match with the strong comparison of RFC 9110 §13.1.1, as the versions of row `id` that
 * satisfy it, so the check can go into the UPDATE's WHERE clause (atomic, no read-then-write):
 * undefined without the header, 'any' for "*", else the listed versions, possibly none
 * (weak, malformed or other rows' tags never match).
 */
export function ifMatchVersions(header: string | string[] | undefined, id: number): Precondition {
  const tags = listedTags(header);
  if (tags === undefined) return undefined;
  if (tags === '*') return 'any';
  const versions = new Set<number>();
  for (const tag of tags) {
    const match = /^(\d{1,10})-(\d{1,10})$/.exec(tag.opaque);
    if (tag.weak || !match || Number(match[1]) !== id) continue;
    const version = Number(match[2]);
    if (version >= 1 && version <= PG_INT_MAX) versions.add(version);
  }
  return [...versions];
}
