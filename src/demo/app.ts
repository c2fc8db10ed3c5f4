// startDemoServer(): the whole demo in one Node http server on loopback — the page and its
// bundles, a cookie session, the real token endpoint, and the fake iAdvize (script + server,
// whose private key stays in this process). Tests start it on port 0.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenHandler } from '../server/handler.js';
import { createTokenIssuer } from '../token/issue.js';
import type { DevKeys } from '../token/dev-keys.js';
import { createFakeIAdvizeServer, type FakeIAdvizeServer } from '../fake/server.js';
import { readDemoAssets, type DemoAssets } from './assets.js';
import { createDemoHandler, type DemoTimeouts } from './demo-handler.js';
import { DEFAULT_DEV_KEYS_DIR, loadOrCreateDevKeys } from './dev-keys.js';
import { createFaultSwitches } from './fault-switches.js';
import { nodeListener } from './node-http.js';
import { createSessionStore } from './session.js';
import type { DemoUser } from './users.js';

export const DEFAULT_DEMO_PORT = 4173;
export const DEFAULT_DEMO_HOST = '127.0.0.1';
/** Short, so the "slow token endpoint" fault shows within seconds (the library's default is 10 s). */
export const DEMO_TOKEN_FETCH_TIMEOUT_MS = 3_000;
/** Short, so the "late tag script" fault shows within seconds (the adapter's default is 15 s). */
export const DEMO_TAG_LOAD_TIMEOUT_MS = 4_000;
export const DEMO_SID = 'demo-shop';

export interface DemoServerOptions {
  /** Default 4173; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1: the demo is for this machine only. */
  readonly host?: string;
  /** Where the development keys are made and reused. Default `.dev-keys` (relative to the working directory). */
  readonly keysDir?: string;
  readonly tokenFetchTimeoutMs?: number;
  readonly tagLoadTimeoutMs?: number;
  /** Where page.js and fake-iadvize.js are. Default this package's dist/demo/. */
  readonly assetsDir?: string;
  /** Server-side problems (a token that could not be issued...), one redacted line each. Default console.error. */
  readonly log?: (line: string) => void;
}

export interface DemoServer {
  /** e.g. `http://localhost:4173`. */
  readonly url: string;
  readonly port: number;
  /** Whether this start made the development keys (otherwise it reused them). */
  readonly keysCreated: boolean;
  /** Stops listening, drops open connections and pending fault delays. */
  close(): Promise<void>;
}

/** The demo could not start: the port is taken or not ours to use. `message` is one line. */
export class DemoServerError extends Error {
  override readonly name = 'DemoServerError';
  constructor(
    readonly code: 'port-in-use' | 'port-denied',
    message: string,
  ) {
    super(message);
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const port = options.port ?? DEFAULT_DEMO_PORT;
  const host = options.host ?? DEFAULT_DEMO_HOST;
  const log = options.log ?? ((line: string) => console.error(line));
  const timeouts: DemoTimeouts = {
    tokenFetchMs: options.tokenFetchTimeoutMs ?? DEMO_TOKEN_FETCH_TIMEOUT_MS,
    tagLoadMs: options.tagLoadTimeoutMs ?? DEMO_TAG_LOAD_TIMEOUT_MS,
  };
  const assets = readDemoAssets(options.assetsDir);
  // The port first: a taken one fails at once, before any key is made.
  // The routes need the bound port (origins, issuer); a request arriving before they are ready is told so.
  let listener = nodeListener(
    async () => new Response('starting', { status: 503 }),
    () => undefined,
  );
  const server = createServer((request, response) => listener(request, response));
  const bound = await listen(server, port, host);
  const url = LOOPBACK_HOSTS.has(host)
    ? `http://localhost:${bound}`
    : `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  const allowedOrigins = LOOPBACK_HOSTS.has(host)
    ? [`http://localhost:${bound}`, `http://127.0.0.1:${bound}`, `http://[::1]:${bound}`]
    : [url];

  const closing = new AbortController();
  let fakeServer: FakeIAdvizeServer | undefined;
  const close = async () => {
    closing.abort();
    fakeServer?.dispose();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  try {
    const { keys, created } = await loadOrCreateDevKeys(options.keysDir ?? DEFAULT_DEV_KEYS_DIR);
    fakeServer = await createFakeIAdvizeServer({
      customerPublicKey: keys.customer.publicKeyPem,
      iadvizePrivateKey: keys.iadvize.privateKeyPem,
    });
    const handler = await demoRoutes({
      keys,
      url,
      allowedOrigins,
      fakeServer,
      assets,
      timeouts,
      log,
      delay: (ms) => delay(ms, closing.signal),
    });
    listener = nodeListener(handler, (error) =>
      log(`demo server: ${error instanceof Error ? error.message : String(error)}`),
    );
    return { url, port: bound, keysCreated: created, close };
  } catch (error) {
    await close();
    throw error;
  }
}

interface RoutesInput {
  readonly keys: DevKeys;
  readonly url: string;
  readonly allowedOrigins: readonly string[];
  readonly fakeServer: FakeIAdvizeServer;
  readonly assets: DemoAssets;
  readonly timeouts: DemoTimeouts;
  readonly log: (line: string) => void;
  readonly delay: (ms: number) => Promise<void>;
}

/** The token endpoint over the shop's session, and every route around it. */
async function demoRoutes(input: RoutesInput): Promise<(request: Request) => Promise<Response>> {
  const { keys, allowedOrigins, fakeServer, log } = input;
  const issuer = await createTokenIssuer({
    privateKey: keys.customer.privateKeyPem,
    iadvizePublicKey: keys.iadvize.publicKeyPem,
    issuer: input.url,
  });
  const sessions = createSessionStore<DemoUser>();
  const tokenHandler = createTokenHandler({
    issuer,
    identify: (request) => {
      const user = sessions.read(request);
      return user === undefined
        ? null
        : { userId: user.id, ...(user.visitorData === undefined ? {} : { visitorData: user.visitorData }) };
    },
    allowedOrigins,
    // The handler answers a bare 500; the reason (already redacted) is for whoever runs the demo.
    onError: (info) =>
      log(
        `token endpoint: ${info.phase} failed: ${info.name}${info.code === undefined ? '' : ` (${info.code})`}: ${info.message}`,
      ),
  });
  return createDemoHandler({
    sid: DEMO_SID,
    assets: input.assets,
    tokenHandler,
    fakeServer,
    sessions,
    faults: createFaultSwitches(fakeServer.faults),
    allowedOrigins,
    timeouts: input.timeouts,
    delay: input.delay,
  });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `port ${port} on ${host}`;
      const hint = 'choose another port with PORT=<port> npm start, or --port <port>';
      if (error.code === 'EADDRINUSE')
        reject(new DemoServerError('port-in-use', `${where} is already in use: stop whatever runs there, or ${hint}`));
      else if (error.code === 'EACCES')
        reject(new DemoServerError('port-denied', `${where} is not allowed for this user: ${hint}`));
      else reject(error);
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
