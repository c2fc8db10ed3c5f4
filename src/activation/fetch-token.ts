// fetchTokenFrom(url): the fetchToken for an endpoint built with createTokenHandler
// (POST, JSON { token, expiresAt }), resolving with both. Each failure says what went wrong
// without quoting the response body, which could hold a token.
import type { FetchToken } from './options.js';
import { TokenUnavailableError } from '../errors.js';

export interface FetchTokenFromOptions {
  /** Default 'same-origin': the site's session cookie identifies the visitor. */
  readonly credentials?: RequestCredentials;
  readonly headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
}

/** Short words and punctuation, no run over 40 characters: a refusal code or reason, never a token. */
const SAFE = /^(?!.*[\w.-]{41})[\w .,:;'(){}?-]{1,160}$/;
const safe = (text: unknown): text is string => typeof text === 'string' && SAFE.test(text);

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
      throw new TokenUnavailableError(
        `token endpoint unreachable (${error instanceof Error ? error.name : 'network error'})`,
      );
    }
    if (!response.ok) {
      const { status } = response;
      // A JSON refusal names its code, and for a refused identity the reason in fixed words
      // (createTokenHandler's `identity-refused`): worth passing on. Nothing else is quoted.
      const { error, reason } =
        ((response.headers.get('content-type') ?? '').includes('json')
          ? await response.json().catch((failure: unknown) => {
              if (signal.aborted) throw failure;
            })
          : void response.body?.cancel()) ?? {};
      throw new TokenUnavailableError(
        error === 'identity-refused' && safe(reason)
          ? `the token endpoint refused the identity: ${reason} (HTTP ${status})`
          : `token endpoint answered HTTP ${status} for the ${purpose} token${
              status === 401
                ? ': the visitor is not signed in on the site'
                : status === 403
                  ? ': origin not allowed'
                  : safe(error)
                    ? ` (${error})`
                    : ''
            }`,
      );
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
