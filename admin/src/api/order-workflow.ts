/** The API's order workflow (src/orders/order-workflow.ts): the moves staff may make from each status. */
export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export const allowedMoves = (status: string): readonly OrderStatus[] => ORDER_TRANSITIONS[status as OrderStatus] ?? [];

export const STATUS_CHOICES = ORDER_STATUSES.map((id) => ({ id, name: id[0].toUpperCase() + id.slice(1) }));

/** Sum of two-place decimal strings, computed in cents (no floating-point drift). */
export function sumMoney(amounts: readonly string[]): string {
  let cents = 0;
  for (const amount of amounts) {
    const [units, fraction = ''] = amount.split('.');
    cents += Number(units) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  }
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
