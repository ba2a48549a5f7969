import type { AuthenticatedUser } from './authenticated-user.js';

interface Entry {
  readonly user: Readonly<AuthenticatedUser>;
  /** The token's `exp` claim, in seconds since the epoch. */
  readonly exp: number;
}

/**
 * Access tokens that passed the whole check (signature, issuer, audience, expiry, claims), each with
 * the caller it names, so that a client's next request with the same token skips the HMAC and JSON
 * work (~100 µs of an order's CPU under load; README, "Performance"). A hit needs the exact token
 * string — the signature included, so a changed token is a miss and is verified in full — and
 * still-valid expiry, checked as jsonwebtoken checks it (valid while the current whole second is
 * before `exp`); an expired entry is dropped and the token verified in full, which refuses it.
 * Nothing else can change a verified token's verdict: the check reads no database and the secret is
 * fixed for the process. Bounded: beyond `capacity` tokens the oldest is dropped (a miss costs only
 * the full check).
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly capacity: number,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** The caller a still-valid, already-verified token names, else undefined. */
  get(token: string): Readonly<AuthenticatedUser> | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (this.nowSeconds() < entry.exp) return entry.user;
    this.entries.delete(token);
    return undefined;
  }

  /** Records a token that has just passed the whole check. */
  remember(token: string, user: AuthenticatedUser, exp: number): void {
    if (this.entries.size >= this.capacity && !this.entries.has(token)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { user: Object.freeze({ ...user }), exp });
  }

  get size(): number {
    return this.entries.size;
  }
}
