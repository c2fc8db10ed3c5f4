// What the demo server tells the page: embedded in the HTML as JSON, read by the page bundle.
// Browser-safe; holds no secret (the session id stays in its HttpOnly cookie).
import type { OnTokenFailure, WhenSignedOut } from '../../machines/activation.js';
import type { DemoFaults } from './faults.js';

/** The demo's routes, one place for the server and the page. */
export const DEMO_PATHS = {
  page: '/',
  pageScript: '/assets/page.js',
  /** The package's own built modules (dist/), as a site's bundler would serve them: the devtools entry and its chunks. */
  library: '/assets/lib/',
  devtools: '/assets/lib/devtools.js',
  tagScript: '/fake-iadvize/iadvize.js',
  token: '/api/token',
  session: '/api/session',
  signOut: '/api/sign-out',
  faults: '/api/faults',
} as const;

/** The id of the `<script type="application/json">` element holding the PageConfig. */
export const PAGE_CONFIG_ID = 'demo-config';

export type InspectMode = 'offline' | 'stately';

export interface PageConfig {
  readonly sid: string;
  readonly policy: OnTokenFailure;
  /** What the tag does while nobody is signed in (`?signedOut=anonymous`). */
  readonly whenSignedOut: WhenSignedOut;
  readonly inspect: InspectMode;
  readonly timeouts: { readonly tokenFetchMs: number; readonly tagLoadMs: number };
  /** The visitor signed in on the shop when the page was served (a returning visitor). */
  readonly user: { readonly key: string; readonly id: string } | null;
  readonly faults: DemoFaults;
}

/** The page's choices from its query: `?policy=anonymous`, `?signedOut=anonymous`, `?inspect=stately`. */
export function choicesFromQuery(query: URLSearchParams): {
  policy: OnTokenFailure;
  whenSignedOut: WhenSignedOut;
  inspect: InspectMode;
} {
  return {
    policy: query.get('policy') === 'anonymous' ? 'anonymous' : 'stay-inactive',
    whenSignedOut: query.get('signedOut') === 'anonymous' ? 'anonymous' : 'inactive',
    inspect: query.get('inspect') === 'stately' ? 'stately' : 'offline',
  };
}
