import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';

export type SortDirection = 'asc' | 'desc';
export type OrderBy = Array<Record<string, SortDirection>>;

/**
 * Parses DRF-style `ordering` ("-price,name") against a whitelist of API field → column.
 * Unknown fields are a 400; `id` is appended as a tiebreak so pages are stable.
 */
export function parseOrdering(raw: string | undefined, allowed: Record<string, string>, fallback: string): OrderBy {
  const spec = raw?.trim() ? raw : fallback;
  const orderBy: OrderBy = [];
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const descending = part.startsWith('-');
    const field = descending ? part.slice(1) : part;
    const column = Object.hasOwn(allowed, field) ? allowed[field] : undefined;
    if (!column) {
      unknown.push(field);
      continue;
    }
    if (seen.has(column)) continue;
    seen.add(column);
    orderBy.push({ [column]: descending ? 'desc' : 'asc' });
  }
  if (unknown.length > 0) {
    throw new ProblemException(Problems.validation, {
      detail: `Unknown ordering field: ${unknown.join(', ')}`,
      errors: [{ field: 'ordering', message: `ordering must use: ${Object.keys(allowed).join(', ')} (prefix "-" for descending)` }],
    });
  }
  if (!seen.has('id')) {
    const last = orderBy.at(-1);
    orderBy.push({ id: last ? Object.values(last)[0] : 'asc' });
  }
  return orderBy;
}
