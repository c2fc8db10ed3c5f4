// The documented node:http set-up (NODE_SERVER_TIMEOUTS, docs/examples/node-http.ts) against
// slow clients on loopback: connections trickling their headers or their body are closed once
// the timeouts pass, where a bare createServer() keeps holding them; the Hono and Express set-ups
// of docs/examples take the same options. The timeouts are scaled down here (same shape,
// milliseconds instead of seconds) so the suite stays short.
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { createServer, type Server, type ServerOptions } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenHandler } from '../../src/server/handler.js';
import { createNodeTokenHandler } from '../../src/server/node-handler.js';
import { NODE_SERVER_TIMEOUTS } from '../../src/server/node.js';
import { rawAsk, TOKEN_PATH } from './support/endpoints.js';
import { SITE, useSiteIssuer } from './support/site-issuer.js';

const site = useSiteIssuer();
const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** NODE_SERVER_TIMEOUTS divided by 25: 400 ms for headers, 600 ms for the request, checked every 40 ms. */
const SCALED: ServerOptions = Object.fromEntries(
  Object.entries(NODE_SERVER_TIMEOUTS).map(([name, ms]) => [name, ms / 25]),
);

async function serveWith(options: ServerOptions): Promise<number> {
  const handler = createNodeTokenHandler({ issuer: site.issuer, identify: () => 'user-42', allowedOrigins: [SITE] });
  const server = createServer(options, (req, res) => void handler(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A slow client: sends `head` at once, then one more byte of `trickle` every 50 ms. Resolves with whether the server closed it within `withinMs`. */
function slowClient(
  port: number,
  head: string,
  trickle: string,
  withinMs: number,
): Promise<{ closed: boolean; received: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = '';
    let sent = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed && sent < trickle.length) socket.write(trickle[sent++]!);
    }, 50);
    const done = (closed: boolean) => {
      clearInterval(drip);
      clearTimeout(limit);
      resolve({ closed, received });
    };
    const limit = setTimeout(() => done(false), withinMs);
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.once('close', () => done(true));
    socket.write(head);
  });
}

/** The docs' Hono and Express set-ups (docs/examples/hono.ts, express.ts) with `options`. */
async function serveFramework(kind: 'hono' | 'express', options: ServerOptions): Promise<number> {
  const shared = { issuer: site.issuer, identify: () => 'user-42', allowedOrigins: [SITE] };
  let server: Server;
  if (kind === 'hono') {
    const tokenEndpoint = createTokenHandler(shared);
    const app = new Hono().all(TOKEN_PATH, (c) => tokenEndpoint(c.req.raw));
    server = await new Promise<Server>((resolve) => {
      const served = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: options }, () =>
        resolve(served as Server),
      );
    });
  } else {
    const tokenEndpoint = createNodeTokenHandler<express.Request>(shared);
    const app = express();
    app.all(TOKEN_PATH, (req, res) => void tokenEndpoint(req, res));
    server = createServer(options, app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

const slowHeaders = (port: number, withinMs: number) =>
  slowClient(port, 'POST /api/iadvize-token HTTP/1.1\r\nhost: 127.0.0.1\r\n', 'x-slow: '.padEnd(400, 'y'), withinMs);
const slowBody = (port: number, withinMs: number) =>
  slowClient(
    port,
    `POST ${TOKEN_PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\norigin: ${SITE}\r\ncontent-length: 500\r\n\r\n`,
    'z'.repeat(500),
    withinMs,
  );

describe('the documented node:http set-up', () => {
  it('NODE_SERVER_TIMEOUTS: headers within requestTimeout, both checked more often than they run out', () => {
    const { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval } = NODE_SERVER_TIMEOUTS;
    expect(headersTimeout).toBeLessThanOrEqual(requestTimeout);
    expect(connectionsCheckingInterval).toBeLessThan(headersTimeout / 5);
    expect(keepAliveTimeout).toBeGreaterThan(0);
  });

  it('50 connections trickling their headers are closed once headersTimeout passes; a bare createServer() still holds them', async () => {
    const bound = 400 + 600;
    const guarded = await serveWith(SCALED);
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => slowHeaders(guarded, bound + 1_000)));
    expect(outcomes.filter(({ closed }) => closed)).toHaveLength(50);
    // Node answers 408 before closing a request whose headers never completed.
    expect(outcomes.every(({ received }) => received === '' || received.startsWith('HTTP/1.1 408'))).toBe(true);

    const bare = await serveWith({});
    const held = await Promise.all(Array.from({ length: 10 }, () => slowHeaders(bare, bound + 1_000)));
    expect(held.filter(({ closed }) => closed)).toHaveLength(0);
  });

  it.each(['hono', 'express'] as const)(
    'the %s set-up with the same options closes slow clients too, and still answers',
    async (kind) => {
      const port = await serveFramework(kind, SCALED);
      const outcomes = await Promise.all([
        ...Array.from({ length: 10 }, () => slowHeaders(port, 2_000)),
        slowBody(port, 2_000),
      ]);
      expect(outcomes.filter(({ closed }) => closed)).toHaveLength(11);
      expect(outcomes.some(({ received }) => received.includes('"token"'))).toBe(false);
      expect(await rawAsk(port, { headers: { origin: SITE } })).toMatchObject({ status: 200 });
    },
  );

  it('a body trickled slower than requestTimeout allows: closed, and the handler never issues for it', async () => {
    const guarded = await serveWith(SCALED);
    const outcome = await slowBody(guarded, 600 + 1_500);
    expect(outcome.closed).toBe(true);
    expect(outcome.received).not.toContain('"token"');
  });
});
