/** PostgreSQL INTEGER's largest value: the range of every id column. */
export const PG_INT_MAX = 2_147_483_647;

const CANONICAL_DIGITS = /^(?:0|[1-9][0-9]{0,15})$/;

/**
 * The one reader of integers that arrive as text (path ids, page numbers, id filters): canonical
 * decimal digits only — no sign, leading zero, blank, exponent, fraction or 0x/0b prefix, which
 * Number() would all accept — within [min, max]. Anything else is undefined.
 */
export function parseCanonicalInt(text: unknown, min: number, max: number): number | undefined {
  if (typeof text !== 'string' || !CANONICAL_DIGITS.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}
