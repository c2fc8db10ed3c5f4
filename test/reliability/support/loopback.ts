// The site's backend on loopback: a real node:http server on 127.0.0.1 (port 0) serving
// createTokenHandler, who is signed in read from a session cookie (or an x-session header),
// plus routes that misbehave the ways a token endpoint does. And a "browser" fetch that sends
// the page's Origin and the cookie jar, as a browser would.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createTokenHandler } from '../../../src/server/handler.js';
import type { TokenIssuer } from '../../../src/token/issue.js';
import { secrets } from './suite.js';

export const TOKEN_PATH = '/api/iadvize-token';
export const SESSION_COOKIE = 'shop_session';

/** How a fault route answers (`/fault/<kind>`). */
export type EndpointFault = 'status-500' | 'slow' | 'hang' | 'html' | 'empty' | 'no-token' | 'abort';

export interface LoopbackSite {
  /** The page's origin, the only one allowed to ask for tokens. */
  readonly origin: string;
  readonly tokenUrl: string;
  url(path: string): string;
  /** Signs userId in on the site; returns the session cookie's value (registered as a secret). */
  openSession(userId: string): string;
  /** The site's session ends (expired, revoked): the cookie no longer names anyone. */
  endSession(cookie: string): void;
  /** How long the `slow` route waits before answering like the real endpoint. */
  slowMs: number;
  /** Requests received, by path. */
  readonly requests: string[];
  /** Requests whose client went away before the answer (aborted by the page). */
  readonly abandoned: string[];
  close(): Promise<void>;
}

export async function startLoopbackSite(issuer: TokenIssuer): Promise<LoopbackSite> {
  const sessions = new Map<string, string>();
  const requests: string[] = [];
  const abandoned: string[] = [];
  // Made once the port, hence the page's origin, is known.
  let handler: ReturnType<typeof createTokenHandler>;

  const answerWithHandler = async (req: IncomingMessage, res: ServerResponse) => {
    const response = await handler(toRequest(req));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };

  const faults: Record<EndpointFault, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>> = {
    'status-500': (_req, res) =>
      void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}'),
    slow: (req, res) => {
      const timer = setTimeout(() => void answerWithHandler(req, res), site.slowMs);
      res.on('close', () => clearTimeout(timer));
    },
    hang: () => undefined,
    html: (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>Sign in</title><p>Please sign in.</p>'),
    empty: (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(),
    'no-token': (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ expiresAt: Date.now() + 60_000 })),
    abort: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '600' });
      res.write('{"token":"eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIiwiY3R5IjoiSldUIn0.');
      setImmediate(() => res.socket?.destroy());
    },
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    res.on('close', () => {
      if (!res.writableFinished) abandoned.push(path);
    });
    const fault = path.startsWith('/fault/') ? faults[path.slice('/fault/'.length) as EndpointFault] : undefined;
    const route = fault ?? (path === TOKEN_PATH ? answerWithHandler : undefined);
    if (!route) return void res.writeHead(404).end();
    Promise.resolve(route(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handler = createTokenHandler({
    issuer,
    identify: (request) => sessions.get(sessionOf(request)) ?? null,
    allowedOrigins: [origin],
  });

  const site: LoopbackSite = {
    origin,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    url: (path) => `${origin}${path}`,
    openSession(userId) {
      const cookie = randomBytes(24).toString('base64url');
      secrets.addCookie(cookie);
      sessions.set(cookie, userId);
      return cookie;
    },
    endSession: (cookie) => void sessions.delete(cookie),
    slowMs: 1_000,
    requests,
    abandoned,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return site;
}

/** A port nothing listens on: a server is bound, then closed. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}${TOKEN_PATH}`;
}

function sessionOf(request: Request): string {
  const header = request.headers.get('x-session');
  if (header !== null) return header;
  const cookies = (request.headers.get('cookie') ?? '').split(/;\s*/);
  const pair = cookies.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
  return pair === undefined ? '' : pair.slice(SESSION_COOKIE.length + 1);
}

/** Node's request as a web-standard Request, the body streamed (so size limits see the stream). */
function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    // Hop-by-hop headers belong to this connection, not to the Request.
    if (value === undefined || name === 'connection' || name === 'transfer-encoding' || name === 'keep-alive') continue;
    for (const item of [value].flat()) headers.append(name, item);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(`http://127.0.0.1${req.url ?? '/'}`, {
    method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

/** The page's browser: same-origin POSTs carry the page's Origin and the site's cookie. */
export interface Browser {
  /** The session cookie's value; undefined when the visitor has none. */
  cookie: string | undefined;
  readonly fetch: typeof globalThis.fetch;
}

export function browserOn(site: Pick<LoopbackSite, 'origin'>): Browser {
  const browser: Browser = {
    cookie: undefined,
    fetch: (input, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('origin', site.origin);
      if (browser.cookie !== undefined) headers.set('cookie', `${SESSION_COOKIE}=${browser.cookie}`);
      return globalThis.fetch(input, { ...init, headers });
    },
  };
  return browser;
}
