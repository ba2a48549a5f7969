import type { FieldError } from '../common/problems/problem.exception.js';

/** Deepest JSON nesting a body may have: the API's deepest DTO is 3 levels; 32 leaves ample room. */
export const MAX_JSON_DEPTH = 32;

/** C0 control characters other than tab, line feed and carriage return (U+0000 is the one PostgreSQL cannot store). */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
/** Enough to point at the problem without echoing a hostile body back in full. */
const MAX_REPORTED = 10;

export type InputInspection = { kind: 'ok' } | { kind: 'too-deep' } | { kind: 'control-characters'; errors: FieldError[] };

const controlMessage = (field: string) =>
  `${field} must not contain control characters (U+0000–U+001F other than tab, line feed and carriage return) or lone surrogates`;

/** A control character, or a lone UTF-16 surrogate (JSON's `"\ud800"`: no character at all, and unencodable as UTF-8). */
const isForbidden = (text: string) => FORBIDDEN_CONTROL.test(text) || !text.isWellFormed();

/**
 * Walks parsed JSON (or a parsed query string) once, before any transformation or validation:
 * nesting deeper than `maxDepth` stops the walk at that depth (so no input can make the process
 * depend on its stack), and every string value or key with a forbidden control character (or a
 * lone surrogate) is
 * named by its path (`items.0.note`).
 */
export function inspectInput(value: unknown, maxDepth = MAX_JSON_DEPTH): InputInspection {
  const errors: FieldError[] = [];
  const visit = (node: unknown, path: string, depth: number): boolean => {
    if (typeof node === 'string') {
      if (isForbidden(node) && errors.length < MAX_REPORTED) errors.push({ field: path || '(body)', message: controlMessage(path || 'the body') });
      return true;
    }
    if (node === null || typeof node !== 'object') return true;
    if (depth >= maxDepth) return false;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) if (!visit(node[i], path ? `${path}.${i}` : String(i), depth + 1)) return false;
      return true;
    }
    for (const key of Object.keys(node)) {
      const field = path ? `${path}.${key}` : key;
      if (isForbidden(key) && errors.length < MAX_REPORTED)
        errors.push({ field: JSON.stringify(field), message: 'field names must not contain control characters' });
      if (!visit((node as Record<string, unknown>)[key], field, depth + 1)) return false;
    }
    return true;
  };
  if (!visit(value, '', 0)) return { kind: 'too-deep' };
  return errors.length > 0 ? { kind: 'control-characters', errors } : { kind: 'ok' };
}
