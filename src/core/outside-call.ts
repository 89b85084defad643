/**
 * The one way Base calls another service (Auth, Xero, the AI provider). A redirect is never
 * followed: the 3xx comes back as the answer, which every caller treats as a failure of the call,
 * so a form body (an authorization code, a refresh token) or a credential header is never re-sent
 * to an address nobody configured. The signal is required: no outside call waits without a deadline.
 * (The JWKS is fetched by jose, which does the same: `redirect: 'manual'`, anything but 200 fails.)
 */
export function fetchOutside(url: string, init: Omit<RequestInit, 'redirect' | 'signal'> & { signal: AbortSignal }): Promise<Response> {
  return fetch(url, { ...init, redirect: 'manual' });
}

/** A 3xx: the service pointed elsewhere, and was not followed. */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}
