const MONEY = /^\d{1,8}(\.\d{1,2})?$/;

/** "12" and "12.5" → "12.00" and "12.50" (the API's two-place strings); anything else is left for the API to judge. */
export function twoPlaces(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!MONEY.test(trimmed)) return value;
  const [units, cents = ''] = trimmed.split('.');
  return `${units}.${cents.padEnd(2, '0')}`;
}
