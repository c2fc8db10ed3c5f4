// preloadedToken(fetcher): the page's fetchToken when its <head> inlined the preload entry. The
// first 'activation' fetch gets the token the preload already asked for (so the sign-in at page
// load does not wait for a second round trip); everything else goes to the wrapped fetcher.
import type { FetchToken, FetchTokenRequest } from '../activation/options.js';
import { PRELOADED_TOKEN_GLOBAL, type PreloadedToken } from './preload.js';

/**
 * Least life a preloaded token must have left to be handed out: enough for the tag's activate
 * round trip and some clock skew between the server and the browser. The endpoint's tokens
 * live a minute by default; one preloaded at page load is usually a second old.
 */
export const MIN_PRELOADED_LIFE_MS = 10_000;

export interface PreloadedTokenOptions {
  /** Where the preload left its global. Default `globalThis`. */
  readonly window?: object;
  /** The clock `expiresAt` is read against. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Takes the preload's answer off the page at once (no other script finds it later) and keeps it
 * for the first 'activation' fetch only. It is handed out when it is a token with `expiresAt`
 * at least MIN_PRELOADED_LIFE_MS ahead, and the sign-in's identity is the one the page was
 * rendered for (when both are known); otherwise the wrapped fetcher is asked, as without a preload.
 */
export function preloadedToken(fetchToken: FetchToken, options: PreloadedTokenOptions = {}): FetchToken {
  const page = (options.window ?? globalThis) as { [PRELOADED_TOKEN_GLOBAL]?: PreloadedToken };
  const now = options.now ?? Date.now;
  let preloaded = page[PRELOADED_TOKEN_GLOBAL];
  delete page[PRELOADED_TOKEN_GLOBAL];

  return async (request) => {
    const taken = request.purpose === 'activation' ? preloaded : undefined;
    if (taken === undefined) return fetchToken(request);
    preloaded = undefined;
    const answer = await untilAborted(taken.answer, request.signal);
    return usable(answer, taken, request, now()) ?? fetchToken(request);
  };
}

function usable(
  answer: unknown,
  taken: PreloadedToken,
  request: FetchTokenRequest,
  now: number,
): { token: string; expiresAt: number } | undefined {
  const { token, expiresAt } = (answer ?? {}) as { token?: unknown; expiresAt?: unknown };
  if (typeof token !== 'string' || typeof expiresAt !== 'number') return undefined;
  if (expiresAt - now < MIN_PRELOADED_LIFE_MS) return undefined;
  const otherVisitor =
    taken.identity !== undefined && request.identity !== undefined && taken.identity !== request.identity;
  return otherVisitor ? undefined : { token, expiresAt };
}

/** The machine aborts a fetch it no longer wants (sign-out, timeout): stop waiting then. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
