// The demo server's routes as one web-standard handler: the page, its bundles, the shop's
// session, the real token endpoint, the fake iAdvize (script and server) and the fault switches.
import type { FakeIAdvizeServer } from '../fake/server.js';
import { DEFAULT_FAKE_SERVER_PATH } from '../fake/script-config.js';
import type { DemoAssets } from './assets.js';
import type { FaultSwitches } from './fault-switches.js';
import { FaultsInputError, parseFaultsPatch } from './faults.js';
import { renderPage } from './html.js';
import { choicesFromQuery, DEMO_PATHS, type PageConfig } from './page-config.js';
import type { SessionStore } from './session.js';
import { findUser, type DemoUser } from './users.js';

export interface DemoTimeouts {
  /** The page's token fetch timeout; the "slow" token endpoint answers after it. */
  readonly tokenFetchMs: number;
  /** The page's tag load timeout; the "late" tag script arrives after it. */
  readonly tagLoadMs: number;
}

export interface DemoHandlerOptions {
  readonly sid: string;
  readonly assets: DemoAssets;
  /** createTokenHandler's handler, identifying the visitor from `sessions`. */
  readonly tokenHandler: (request: Request) => Promise<Response>;
  readonly fakeServer: Pick<FakeIAdvizeServer, 'handler'>;
  readonly sessions: SessionStore<DemoUser>;
  readonly faults: FaultSwitches;
  /** The server's own origins: the only ones allowed to change the session or the faults. */
  readonly allowedOrigins: readonly string[];
  readonly timeouts: DemoTimeouts;
  /** Waits `ms`; ends early when the server closes. */
  readonly delay: (ms: number) => Promise<void>;
}

/** How far past a timeout the "slow" and "late" faults answer. */
const FAULT_OVERRUN_MS = 2_000;

/** The page loads nothing but its own origin's scripts; inline styles only. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function createDemoHandler(options: DemoHandlerOptions): (request: Request) => Promise<Response> {
  const { assets, faults, sessions, timeouts, delay } = options;
  const ownOrigins = new Set(options.allowedOrigins);
  const sameOrigin = (request: Request) => ownOrigins.has(request.headers.get('origin') ?? '');

  const routes: Record<string, (request: Request) => Promise<Response> | Response> = {
    [`GET ${DEMO_PATHS.page}`]: (request) => page(request),
    [`GET ${DEMO_PATHS.pageScript}`]: () => script(assets.pageScript),
    [`GET ${DEMO_PATHS.tagScript}`]: tagScript,
    [`POST ${DEFAULT_FAKE_SERVER_PATH}`]: (request) => options.fakeServer.handler(request),
    [`POST ${DEMO_PATHS.token}`]: token,
    [`POST ${DEMO_PATHS.session}`]: signIn,
    [`POST ${DEMO_PATHS.signOut}`]: signOut,
    [`GET ${DEMO_PATHS.faults}`]: () => json(200, faults.current),
    [`POST ${DEMO_PATHS.faults}`]: setFaults,
    ...Object.fromEntries(
      Object.entries(assets.libraryModules).map(([path, text]) => [
        `GET ${DEMO_PATHS.library}${path}`,
        () => script(text),
      ]),
    ),
  };

  function page(request: Request): Response {
    const user = sessions.read(request);
    const config: PageConfig = {
      sid: options.sid,
      ...choicesFromQuery(new URL(request.url).searchParams),
      timeouts,
      user: user === undefined ? null : { key: user.key, id: user.id },
      faults: faults.current,
    };
    return new Response(renderPage(config, user), {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': CONTENT_SECURITY_POLICY,
      },
    });
  }

  async function tagScript(): Promise<Response> {
    if (faults.current.tagScript === 'blocked') return new Response('blocked by the demo', { status: 403 });
    if (faults.current.tagScript === 'late') await delay(timeouts.tagLoadMs + FAULT_OVERRUN_MS);
    return script(assets.tagScript);
  }

  async function token(request: Request): Promise<Response> {
    if (faults.current.tokenEndpoint === 'fail') return json(503, { error: 'unavailable' });
    if (faults.current.tokenEndpoint === 'slow') await delay(timeouts.tokenFetchMs + FAULT_OVERRUN_MS);
    return options.tokenHandler(request);
  }

  async function signIn(request: Request): Promise<Response> {
    if (!sameOrigin(request)) return json(403, { error: 'forbidden-origin' });
    const user = findUser(((await readJson(request)) as { user?: unknown } | undefined)?.user);
    if (user === undefined) return json(400, { error: 'unknown-user' });
    // A new session id on every sign-in: an id seen before sign-in never becomes a signed-in one.
    sessions.close(request);
    return json(200, { user: { key: user.key, id: user.id } }, { 'set-cookie': sessions.open(user) });
  }

  function signOut(request: Request): Response {
    if (!sameOrigin(request)) return json(403, { error: 'forbidden-origin' });
    return json(200, { user: null }, { 'set-cookie': sessions.close(request) });
  }

  async function setFaults(request: Request): Promise<Response> {
    if (!sameOrigin(request)) return json(403, { error: 'forbidden-origin' });
    try {
      return json(200, await faults.apply(parseFaultsPatch(await readJson(request))));
    } catch (error) {
      if (error instanceof FaultsInputError) return json(400, { error: 'bad-faults', message: error.message });
      throw error;
    }
  }

  return async (request) => {
    const { pathname } = new URL(request.url);
    const route = routes[`${request.method} ${pathname}`];
    if (route !== undefined) return route(request);
    const allowed = ['GET', 'POST'].filter((method) => routes[`${method} ${pathname}`] !== undefined);
    if (allowed.length > 0)
      return new Response('method not allowed', { status: 405, headers: { allow: allowed.join(', ') } });
    return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

function script(text: string): Response {
  // no-store: a fault switched on or off applies at the next page load.
  return new Response(text, {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' },
  });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}
