/** The signed-in session as the console keeps it in localStorage (one login per browser profile). */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds at which the access token expires (from the login's expiresIn). */
  accessExpiresAt: number;
  /** The token's lifetime (expiresIn) in milliseconds: short lifetimes are refreshed earlier. */
  accessLifetimeMs: number;
  user: { id: number; email: string; name: string; role: string };
}

const KEY = 'shop-console.session';

export function readSession(): Session | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function writeSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}
