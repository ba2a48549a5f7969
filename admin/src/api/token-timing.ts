import type { Session } from './session';

/** Refresh when less than this is left (or a quarter of the lifetime, for short test lifetimes). */
const REFRESH_MARGIN_MS = 60_000;

/** Whether the access token should be refreshed before the next request (expired or about to). */
export function tokenNeedsRefresh(session: Pick<Session, 'accessExpiresAt' | 'accessLifetimeMs'>, now: number): boolean {
  const margin = Math.min(REFRESH_MARGIN_MS, session.accessLifetimeMs / 4);
  return session.accessExpiresAt - now <= margin;
}
