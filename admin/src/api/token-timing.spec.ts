import { sumMoney } from './order-workflow';
import { tokenNeedsRefresh } from './token-timing';

describe('tokenNeedsRefresh', () => {
  const now = 1_000_000;
  it('refreshes a minute before a 15-minute token expires, not earlier', () => {
    const lifetime = 900_000;
    expect(tokenNeedsRefresh({ accessExpiresAt: now + 61_000, accessLifetimeMs: lifetime }, now)).toBe(false);
    expect(tokenNeedsRefresh({ accessExpiresAt: now + 60_000, accessLifetimeMs: lifetime }, now)).toBe(true);
    expect(tokenNeedsRefresh({ accessExpiresAt: now - 1, accessLifetimeMs: lifetime }, now)).toBe(true);
  });

  it('refreshes short-lived tokens in their last quarter', () => {
    expect(tokenNeedsRefresh({ accessExpiresAt: now + 8_000, accessLifetimeMs: 30_000 }, now)).toBe(false);
    expect(tokenNeedsRefresh({ accessExpiresAt: now + 7_500, accessLifetimeMs: 30_000 }, now)).toBe(true);
  });
});

describe('sumMoney', () => {
  it('adds two-place decimal strings exactly', () => {
    expect(sumMoney(['0.10', '0.20'])).toBe('0.30');
    expect(sumMoney(['178.00', '12.5', '999999999.99'])).toBe('1000000190.49');
    expect(sumMoney([])).toBe('0.00');
  });
});
