// Both token handlers served on loopback (127.0.0.1, port 0) the way the docs recommend:
// createNodeTokenHandler on node:http, createTokenHandler under Hono on @hono/node-server. Each
// records how every handler call ended, and a raw client sends requests the way a browser,
// a slow client or an attacker would, and reads whatever comes back.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
} from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createTokenHandler, type TokenHandlerOptions } from '../../../src/server/handler.js';
import { createNodeTokenHandler } from '../../../src/server/node-handler.js';

export const TOKEN_PATH = '/api/iadvize-token';
export type EndpointKind = 'node' | 'hono';
export const ENDPOINT_KINDS: readonly EndpointKind[] = ['node', 'hono'];

/**
 * The options both handlers share; `identify` gets the request's cookie and the deadline signal
 * (read without destructuring, so these suites also run against a handler that passes none).
 */
export type EndpointOptions = Omit<TokenHandlerOptions, 'identify'> & {
  identify: (cookie: string | null, signal: AbortSignal) => ReturnType<TokenHandlerOptions['identify']>;
};

export interface Endpoint {
  readonly kind: EndpointKind;
  readonly port: number;
  /** How each handler call ended: 'resolved' or 'rejected: ...'. */
  readonly outcomes: string[];
  /** Handler calls not settled yet. */
  pending(): number;
  /** The bytes the server read on each closed connection. */
  readonly bytesReadPerConnection: number[];
  close(): Promise<void>;
}

export async function startEndpoint(kind: EndpointKind, { identify, ...options }: EndpointOptions): Promise<Endpoint> {
  const outcomes: string[] = [];
  let started = 0;
  const track = <T>(call: Promise<T>): Promise<T> => {
    started += 1;
    call.then(
      () => outcomes.push('resolved'),
      (error: unknown) => outcomes.push(`rejected: ${String(error)}`),
    );
    return call;
  };
  let server: Server;
  if (kind === 'node') {
    const handler = createNodeTokenHandler({
      ...options,
      identify: (req: IncomingMessage, context) => identify(req.headers.cookie ?? null, context?.signal),
    });
    server = createServer((req, res) => {
      if (req.url !== TOKEN_PATH) return void res.writeHead(404).end();
      void track(handler(req, res)).catch(() => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  } else {
    const handler = createTokenHandler({
      ...options,
      identify: (request, context) => identify(request.headers.get('cookie'), context?.signal),
    });
    const app = new Hono().all(TOKEN_PATH, (c) => track(handler(c.req.raw)));
    server = await new Promise<Server>((resolve) => {
      const served = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(served as Server));
    });
  }
  const bytesReadPerConnection: number[] = [];
  server.on('connection', (socket) => socket.once('close', () => bytesReadPerConnection.push(socket.bytesRead)));
  return {
    kind,
    port: (server.address() as AddressInfo).port,
    outcomes,
    pending: () => started - outcomes.length,
    bytesReadPerConnection,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface RawAsk {
  method?: string;
  headers?: OutgoingHttpHeaders;
  /** Written then ended; several strings are sent as chunks. */
  body?: string | readonly string[];
  /** Destroys the request this long after sending it, if no answer came (a client going away). */
  abortAfterMs?: number;
  /** Keeps writing 64 KiB chunks (of a declared large body) until an answer or an error comes. */
  writeUntilAnswered?: boolean;
  /** Gives up waiting after this long (default 5 s): the test stays bounded whatever the server does. */
  giveUpAfterMs?: number;
}

/** What the client got: an answer, or the error that ended the exchange. */
export type RawAnswer =
  | {
      readonly status: number;
      readonly headers: Record<string, string | string[] | undefined>;
      readonly body: string;
      readonly ms: number;
    }
  | { readonly error: string; readonly ms: number };

/** One request on its own connection. Never rejects. */
export function rawAsk(
  port: number,
  { method = 'POST', headers = {}, body, abortAfterMs, writeUntilAnswered = false, giveUpAfterMs = 5_000 }: RawAsk = {},
): Promise<RawAnswer> {
  const start = performance.now();
  const ms = () => Math.round(performance.now() - start);
  return new Promise((resolve) => {
    let answered = false;
    // Node's client frames a body for GET, DELETE or OPTIONS only when told to: without a
    // framing header those bytes would reach the server as a malformed next request.
    const framed =
      body === undefined || 'content-length' in headers || 'transfer-encoding' in headers
        ? headers
        : { ...headers, 'transfer-encoding': 'chunked' };
    const request = httpRequest(
      { host: '127.0.0.1', port, path: TOKEN_PATH, method, agent: false, headers: framed },
      (response) => {
        answered = true;
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          finish({ status: response.statusCode ?? 0, headers: response.headers, body: text, ms: ms() }),
        );
        response.on('error', (error) => finish({ error: `response: ${error.message}`, ms: ms() }));
      },
    );
    const timers = [
      setTimeout(() => (request.destroy(), finish({ error: 'gave up waiting', ms: ms() })), giveUpAfterMs),
    ];
    if (abortAfterMs !== undefined) timers.push(setTimeout(() => request.destroy(), abortAfterMs));
    const finish = (answer: RawAnswer) => {
      timers.forEach(clearTimeout);
      resolve(answer);
    };
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered) finish({ error: error.code ?? error.message, ms: ms() });
    });
    for (const chunk of typeof body === 'string' ? [body] : (body ?? [])) request.write(chunk);
    if (writeUntilAnswered) {
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (!answered && !request.destroyed && request.write(chunk));
        if (!answered && !request.destroyed) request.once('drain', pump);
      };
      pump();
    } else if (abortAfterMs === undefined) request.end();
    else request.flushHeaders();
  });
}

/** How a client that keeps sending a large declared body, whatever it is told, ended. */
export interface FloodOutcome {
  /** Everything it read, answer included. */
  readonly received: string;
  /** How the connection ended: 'closed' (cleanly), or the socket error's code (EPIPE, ECONNRESET...). */
  readonly ending: string;
}

/**
 * A raw client declaring `declaredLength` bytes and writing 1 MiB chunks as fast as the
 * connection takes them, until the connection ends (at most `giveUpAfterMs`).
 */
export function flood(
  port: number,
  headers: Record<string, string>,
  declaredLength: number,
  giveUpAfterMs = 4_000,
): Promise<FloodOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => (socket.destroy(), finish('gave up waiting')), giveUpAfterMs);
    const finish = (ending: string) => {
      clearTimeout(timer);
      resolve({ received, ending });
    };
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.once('close', () => finish('closed'));
    const head = Object.entries({ host: '127.0.0.1', ...headers, 'content-length': String(declaredLength) }).map(
      ([name, value]) => `${name}: ${value}\r\n`,
    );
    socket.write(`POST ${TOKEN_PATH} HTTP/1.1\r\n${head.join('')}\r\n`);
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const pump = () => {
      while (!socket.destroyed && socket.write(chunk));
      if (!socket.destroyed) socket.once('drain', pump);
    };
    pump();
  });
}

/** The answer's JSON body, or undefined when there was no answer or it was not JSON. */
export function jsonOf(answer: RawAnswer): unknown {
  if ('error' in answer) return undefined;
  try {
    return JSON.parse(answer.body) as unknown;
  } catch {
    return undefined;
  }
}

/** Collects unhandled rejections while `run` runs, and a few turns after. */
export async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const collect = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', collect);
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('unhandledRejection', collect);
  }
  return unhandled;
}
