import { ProblemException } from '../problems/problem.exception.js';
import { Problems } from '../problems/problem-types.js';
import type { Ordering, OrderingTerm } from '../../database/ordering.js';

/**
 * Parses DRF-style `ordering` ("-price,name") against a whitelist of API field → column.
 * Unknown fields are a 400; `id` is appended as a tiebreak, in the direction of the last term.
 */
export function parseOrdering<Column extends string>(
  raw: string | undefined,
  allowed: Readonly<Record<string, Column>>,
  fallback: string,
): Ordering<Column | 'id'> {
  const spec = raw?.trim() ? raw : fallback;
  const terms: Array<OrderingTerm<Column | 'id'>> = [];
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
    terms.push({ column, direction: descending ? 'desc' : 'asc' });
  }
  if (unknown.length > 0) {
    throw new ProblemException(Problems.validation, {
      detail: `Unknown ordering field: ${unknown.join(', ')}`,
      errors: [{ field: 'ordering', message: `ordering must use: ${Object.keys(allowed).join(', ')} (prefix "-" for descending)` }],
    });
  }
  if (!seen.has('id')) terms.push({ column: 'id', direction: terms.at(-1)?.direction ?? 'asc' });
  return terms;
}
