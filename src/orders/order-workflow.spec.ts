import { decideTransition, ORDER_TRANSITIONS, OrderStatus, restoresStock } from './order-workflow.js';

const ALL = Object.values(OrderStatus);
const staff = { isStaff: true };
const customer = { isStaff: false };

describe('order workflow', () => {
  it('lets staff make exactly the moves of the workflow', () => {
    const allowed = ALL.flatMap((from) => ALL.filter((to) => decideTransition(staff, from, to) === 'allowed').map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(['pending→paid', 'pending→cancelled', 'paid→shipped', 'paid→cancelled', 'shipped→delivered'].sort());
  });

  it('answers every other staff move (including staying put) as invalid', () => {
    for (const from of ALL) {
      for (const to of ALL) {
        if (ORDER_TRANSITIONS[from].includes(to)) continue;
        expect(decideTransition(staff, from, to)).toBe('invalid');
      }
    }
  });

  it('lets an owner cancel only a pending order', () => {
    expect(decideTransition(customer, 'pending', 'cancelled')).toBe('allowed');
    for (const from of ALL.filter((s) => s !== 'pending')) {
      expect(decideTransition(customer, from, 'cancelled')).toBe('invalid');
    }
  });

  it('forbids an owner every status other than cancelled', () => {
    for (const from of ALL) {
      for (const to of ALL.filter((s) => s !== 'cancelled')) {
        expect(decideTransition(customer, from, to)).toBe('forbidden');
      }
    }
  });

  it('ends in delivered and cancelled', () => {
    expect(ORDER_TRANSITIONS.delivered).toEqual([]);
    expect(ORDER_TRANSITIONS.cancelled).toEqual([]);
  });

  it('restores stock only when cancelling', () => {
    expect(ALL.filter(restoresStock)).toEqual(['cancelled']);
  });
});
