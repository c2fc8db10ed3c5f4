// The work of the inline <head> entry: start the tag script (the vendor's documented queue and
// <script async>) and the token request before the page's main bundle has even been fetched,
// so a sign-in at page load waits for neither. Kept tiny: a page inlines it in every response.
import type { QueuedFunction, TagInterface, TagWindow } from '../tag/vendor-api.js';

// Copies of two vendor facts from src/tag/contract.ts (INTERFACE_QUEUE, tagScriptUrl): importing
// that module would put its reason tables (about 1.1 kB, which esbuild cannot prove unused) into
// every page's inline bytes. test/preload/preload.test.ts fails when the two drift apart.
const INTERFACE_QUEUE = 'iAdvizeInterface';
/** The vendor's script URL for a platform such as `ha` or `sd`. */
export const preloadScriptUrl = (platform = 'ha') => `//${platform}.iadvize.com/iadvize.js`;

/** The global the in-flight token answer waits in until `preloadedToken` takes it. */
export const PRELOADED_TOKEN_GLOBAL = 'iAdvizePreloadedToken';

/**
 * What the global holds: the token endpoint's JSON answer (`{ token, expiresAt }`), or
 * undefined when the request failed in any way (the wrapped fetcher then asks again and
 * reports why), and the identity the page was rendered for, if the page said.
 */
export interface PreloadedToken {
  readonly identity?: string;
  readonly answer: Promise<unknown>;
}

export interface PreloadOptions {
  readonly sid: string;
  /** The site's token endpoint (createTokenHandler), asked with POST as fetchTokenFrom does. */
  readonly tokenUrl: string;
  /** The tag script's URL, e.g. `//ha.iadvize.com/iadvize.js`. */
  readonly scriptUrl: string;
  /** The signed-in visitor's id, as later given to signIn: a different sign-in never gets this token. */
  readonly identity?: string;
}

type PreloadWindow = Omit<TagWindow, 'document'> &
  Pick<typeof globalThis, 'fetch'> & { document: Document; [PRELOADED_TOKEN_GLOBAL]?: PreloadedToken };

/** Only for pages served to a signed-in visitor: the token request is the visitor's sign-in. */
export function preload(options: PreloadOptions, win: PreloadWindow = window as unknown as PreloadWindow): void {
  const queue: TagInterface = (win[INTERFACE_QUEUE] ||= [] as QueuedFunction[]);
  queue.config = { ...queue.config, sid: options.sid };
  const script = win.document.createElement('script');
  script.async = true;
  script.src = options.scriptUrl;
  win.document.head.appendChild(script);
  // Never rejects: a failure is left for the wrapped fetcher to meet again and name.
  const answer = win
    .fetch(options.tokenUrl, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then((response) => (response.ok ? response.json() : undefined))
    .catch(() => undefined);
  win[PRELOADED_TOKEN_GLOBAL] = { identity: options.identity, answer };
}
