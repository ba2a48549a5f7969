import type { AuthProvider } from 'react-admin';
import { callApi } from './api-client';
import { CONSOLE_ROLES, CUSTOMER_REFUSED, isAdmin } from './roles';
import { clearSession, readSession, writeSession, type Session } from './session';

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Thrown by login: the login page shows `message` as it is. */
export class SignInRefused extends Error {}

async function revoke(refreshToken: string): Promise<void> {
  try {
    await callApi('/v1/auth/logout', { method: 'POST', body: { refreshToken }, authenticated: false });
  } catch {
    // already revoked or the service is away: the local session goes anyway
  }
}

/**
 * Sign-in with the API's accounts: POST /v1/auth/login, then GET /v1/users/me for the role.
 * A customer is refused with a sentence saying why (and the login just made is revoked).
 */
export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    let pair: TokenPair;
    try {
      ({ json: pair } = await callApi<TokenPair>('/v1/auth/login', { method: 'POST', body: { email: username, password }, authenticated: false }));
    } catch (error) {
      throw new SignInRefused(error instanceof Error ? error.message : String(error)); // the API's detail, e.g. for a wrong password
    }
    const lifetime = pair.expiresIn * 1000;
    const session: Session = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      accessExpiresAt: Date.now() + lifetime,
      accessLifetimeMs: lifetime,
      user: { id: 0, email: username, name: username, role: 'customer' },
    };
    writeSession(session);
    try {
      const { json: me } = await callApi<Session['user']>('/v1/users/me');
      if (!CONSOLE_ROLES.includes(me.role)) throw new SignInRefused(CUSTOMER_REFUSED);
      writeSession({ ...(readSession() ?? session), user: { id: me.id, email: me.email, name: me.name, role: me.role } });
    } catch (error) {
      const current = readSession();
      clearSession();
      if (current) await revoke(current.refreshToken);
      throw error instanceof SignInRefused ? error : new SignInRefused(error instanceof Error ? error.message : String(error));
    }
  },

  async logout() {
    const session = readSession();
    clearSession();
    if (session) await revoke(session.refreshToken);
  },

  async checkAuth() {
    const session = readSession();
    if (!session || !CONSOLE_ROLES.includes(session.user.role)) throw new Error('Please sign in.');
  },

  async checkError(error: { status?: number }) {
    // 401 survives only when the refresh failed too (callApi refreshes and retries once).
    if (error?.status === 401) {
      clearSession();
      throw new Error('Your session has ended. Please sign in again.');
    }
  },

  async getIdentity() {
    const session = readSession();
    if (!session) throw new Error('Please sign in.');
    return { id: session.user.id, fullName: `${session.user.name} (${session.user.role})` };
  },

  async getPermissions() {
    return readSession()?.user.role;
  },

  async canAccess({ resource }: { resource?: string }) {
    if (resource === 'users') return isAdmin(readSession()?.user.role);
    return CONSOLE_ROLES.includes(readSession()?.user.role ?? '');
  },
};
