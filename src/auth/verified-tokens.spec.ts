import type { AuthenticatedUser } from './authenticated-user.js';
import { Role } from './role.js';
import { VerifiedTokens } from './verified-tokens.js';

const alice = { id: 1, email: 'alice@example.com', role: Role.customer };
const bob = { id: 2, email: 'bob@example.com', role: Role.staff };

describe('VerifiedTokens', () => {
  let now: number;
  const tokens = (capacity = 10) => new VerifiedTokens(capacity, () => now);
  beforeEach(() => (now = 1_000));

  it('knows only tokens it was given, by their exact text', () => {
    const verified = tokens();
    verified.remember('a.b.c', alice, 2_000);
    expect(verified.get('a.b.c')).toEqual(alice);
    expect(verified.get('a.b.d')).toBeUndefined();
    expect(verified.get('a.b.c ')).toBeUndefined();
  });

  it('takes a token while the current second is before its exp, as jsonwebtoken does, and forgets it after', () => {
    const verified = tokens();
    verified.remember('a.b.c', alice, 1_001);
    expect(verified.get('a.b.c')).toEqual(alice);
    now = 1_001;
    expect(verified.get('a.b.c')).toBeUndefined();
    expect(verified.size).toBe(0);
    now = 1_000; // a clock stepping back does not bring a forgotten token back
    expect(verified.get('a.b.c')).toBeUndefined();
  });

  it('drops the oldest token beyond its capacity', () => {
    const verified = tokens(2);
    verified.remember('one', alice, 2_000);
    verified.remember('two', bob, 2_000);
    verified.remember('two', bob, 2_000); // remembering a known token again evicts nothing
    expect(verified.size).toBe(2);
    verified.remember('three', alice, 2_000);
    expect(verified.size).toBe(2);
    expect(verified.get('one')).toBeUndefined();
    expect(verified.get('two')).toEqual(bob);
    expect(verified.get('three')).toEqual(alice);
  });

  it('hands out a frozen copy, so no request can change what the next one gets', () => {
    const verified = tokens();
    const user: AuthenticatedUser = { ...alice };
    verified.remember('a.b.c', user, 2_000);
    user.role = Role.admin;
    const remembered = verified.get('a.b.c')!;
    expect(remembered.role).toBe(Role.customer);
    expect(Object.isFrozen(remembered)).toBe(true);
  });
});
