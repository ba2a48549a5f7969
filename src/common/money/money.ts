import { Decimal } from '@prisma/client/runtime/client';

export { Decimal };

/** Already in the API format: what PostgreSQL sends for a NUMERIC(12,2) or NUMERIC(14,2). */
const TWO_PLACES = /^-?(0|[1-9]\d*)\.\d\d$/;

/** API money format: a decimal string with exactly two places ("19.99"). */
export function formatMoney(value: Decimal | string | number): string {
  // Rows read with raw SQL carry money as text; parsing it into a Decimal just to print it again
  // cost more than anything else in mapping a page of products.
  if (typeof value === 'string' && TWO_PLACES.test(value)) return value;
  return new Decimal(value).toFixed(2);
}

const MONEY_PATTERN = /^\d{1,8}(\.\d{1,2})?$/;

/**
 * Parses API money input: a string or number with at most two decimal places, kept exact
 * (numbers are read through their shortest decimal representation, never through float maths).
 * Returns undefined when the value is not such an amount.
 */
export function parseMoney(value: unknown): Decimal | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : typeof value === 'string' ? value.trim() : '';
  if (!MONEY_PATTERN.test(text)) return undefined;
  return new Decimal(text);
}
