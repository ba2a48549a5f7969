import { HttpError } from 'react-admin';
import { isProblem, problemErrorBody, problemMessage, type Problem } from './problem';
import { clearSession, readSession, writeSession, type Session } from './session';
import { tokenNeedsRefresh } from './token-timing';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  json: T;
}

export interface ApiRequest {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** false for the auth endpoints themselves: no Bearer token, no refresh. */
  authenticated?: boolean;
}

/**
 * The API answered a non-2xx: react-admin shows `message` and puts `body.errors` on the form's
 * fields; `body.problem` is the problem document. (A plain HttpError: ra-core's HttpError resets
 * its prototype, so subclasses would not survive `instanceof`.)
 */
export function apiError(message: string, status: number, problem: Problem | undefined): HttpError {
  return new HttpError(message, status, problem ? problemErrorBody(problem) : undefined);
}

/** No session, or it could not be refreshed: react-admin's checkError sends the user to the login page. */
export const signedOut = () => new HttpError('Your session has ended. Please sign in again.', 401);

/** The detail, followed by what each named field says, so nothing the API reports is hidden. */
function errorMessage(problem: Problem | undefined, response: Response): string {
  const base = problemMessage(problem, response.status, response.statusText);
  const fields = problem?.errors?.filter((e) => e && e.field && e.message) ?? [];
  return fields.length ? `${base}: ${fields.map((e) => e.message).join('; ')}` : base;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

let refreshing: Promise<Session> | undefined;

/**
 * Trades the refresh token for a new pair. One refresh at a time: concurrent callers share the
 * promise (refresh tokens rotate, and presenting a rotated-out token again revokes the whole
 * login). Across tabs, a Web Lock serialises refreshes and the second tab picks up the first's
 * new pair from localStorage instead of refreshing with the spent token.
 */
export function refreshSession(stale: Session): Promise<Session> {
  refreshing ??= withRefreshLock(async () => {
    const current = readSession();
    if (!current) throw signedOut();
    if (current.refreshToken !== stale.refreshToken) return current; // another tab refreshed meanwhile
    const response = await fetch('/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    });
    if (!response.ok) {
      clearSession();
      throw signedOut();
    }
    const pair = (await response.json()) as { accessToken: string; refreshToken: string; expiresIn: number };
    const next: Session = {
      ...current,
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      accessExpiresAt: Date.now() + pair.expiresIn * 1000,
      accessLifetimeMs: pair.expiresIn * 1000,
    };
    writeSession(next);
    return next;
  }).finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function withRefreshLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request('shop-console.refresh', work) as Promise<T>) : work();
}

/** A session whose access token is good for a while longer, refreshed first if it is about to expire. */
async function freshSession(): Promise<Session> {
  const session = readSession();
  if (!session) throw signedOut();
  return tokenNeedsRefresh(session, Date.now()) ? refreshSession(session) : session;
}

function send(path: string, request: ApiRequest, session: Session | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (session) headers.authorization = `Bearer ${session.accessToken}`;
  return fetch(path, {
    method: request.method ?? 'GET',
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    cache: 'no-store',
  });
}

/**
 * Calls the API. Signed-in calls carry the access token, refreshed before it expires; a 401 on
 * a token that looked valid (revoked, clock skew) is refreshed once and retried. A non-2xx answer
 * becomes an HttpError carrying the problem document (see apiError).
 */
export async function callApi<T = unknown>(path: string, request: ApiRequest = {}): Promise<ApiResponse<T>> {
  const authenticated = request.authenticated ?? true;
  let session = authenticated ? await freshSession() : undefined;
  let response: Response;
  try {
    response = await send(path, request, session);
    if (response.status === 401 && session) {
      session = await refreshSession(session);
      response = await send(path, request, session);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw apiError(problemMessage(undefined, 0), 0, undefined);
  }
  const json = await readJson(response);
  if (!response.ok) {
    const problem = isProblem(json) ? json : undefined;
    throw apiError(errorMessage(problem, response), response.status, problem);
  }
  return { status: response.status, headers: response.headers, json: json as T };
}
