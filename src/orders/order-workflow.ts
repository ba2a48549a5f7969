import { OrderStatus } from '../generated/prisma/enums.js';

export { OrderStatus };

/** The status workflow: pending → paid → shipped → delivered, and pending | paid → cancelled. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export type TransitionDecision = 'allowed' | 'forbidden' | 'invalid';

/**
 * Whether `actor` may move an order from `from` to `to`. Staff may make every move in the
 * table. An owner without the staff role may only cancel, and only a pending order: asking
 * for any other status is "forbidden" (403), cancelling a non-pending order "invalid" (409).
 * Visibility (a customer and somebody else's order) is decided before this is asked.
 */
export function decideTransition(actor: { isStaff: boolean }, from: OrderStatus, to: OrderStatus): TransitionDecision {
  if (!actor.isStaff) {
    if (to !== OrderStatus.cancelled) return 'forbidden';
    return from === OrderStatus.pending ? 'allowed' : 'invalid';
  }
  return ORDER_TRANSITIONS[from].includes(to) ? 'allowed' : 'invalid';
}

/** A move that puts the order's stock back. */
export const restoresStock = (to: OrderStatus): boolean => to === OrderStatus.cancelled;
