// fetchTokenFrom(url): the fetchToken for an endpoint built with createTokenHandler
// (POST, JSON { token, expiresAt }), resolving with both. Each failure says what went wrong
// without quoting the response body, which could hold a token.
import type { FetchToken } from './options.js';
import { TokenUnavailableError } from './token-unavailable.js';

export interface FetchTokenFromOptions {
  /** Default 'same-origin': the site's session cookie identifies the visitor. */
  readonly credentials?: RequestCredentials;
  readonly headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
}

export function fetchTokenFrom(url: string | URL, options: FetchTokenFromOptions = {}): FetchToken {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  return async ({ signal, purpose }) => {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        credentials: options.credentials ?? 'same-origin',
        headers: { accept: 'application/json', ...options.headers },
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new TokenUnavailableError(`token endpoint unreachable (${error instanceof Error ? error.name : 'network error'})`);
    }
    if (!response.ok) {
      void response.body?.cancel();
      const hint = response.status === 401 ? ': the visitor is not signed in on the site' : response.status === 403 ? ': origin not allowed' : '';
      throw new TokenUnavailableError(`token endpoint answered HTTP ${response.status} for the ${purpose} token${hint}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (signal.aborted) throw error;
      throw new TokenUnavailableError('token endpoint did not answer JSON (expected { token, expiresAt })');
    }
    const { token, expiresAt } = (body ?? {}) as { token?: unknown; expiresAt?: unknown };
    if (typeof token !== 'string' || token === '') {
      throw new TokenUnavailableError('token endpoint answered JSON without a token (expected { token, expiresAt })');
    }
    // The expiry lets the controller stop handing out a short-lived token in time.
    return typeof expiresAt === 'number' ? { token, expiresAt } : token;
  };
}
