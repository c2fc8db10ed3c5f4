// fetchTokenFrom against a real HTTP server on loopback: each way an endpoint can fail.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTokenFrom, TokenUnavailableError } from '../../src/index.js';
import { fakeJwe } from '../support/scripted-tag.js';

const TOKEN = fakeJwe('secret-token');
const EXPIRES_AT = Date.parse('2026-01-15T12:01:00Z');
type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes: Record<string, Route> = {
  '/ok': (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ token: TOKEN, expiresAt: EXPIRES_AT, method: req.method, cookie: req.headers.cookie }));
  },
  '/no-expiry': (_, res) =>
    void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN })),
  '/500': (_, res) => void res.writeHead(500).end(`internal error near ${TOKEN}`),
  '/401': (_, res) => void res.writeHead(401).end(),
  '/422': (_, res) =>
    void res
      .writeHead(422, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: 'identity-refused', reason: 'userId longer than 255 characters' })),
  '/422-token': (_, res) =>
    void res
      .writeHead(422, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: 'identity-refused', reason: TOKEN })),
  '/503': (_, res) =>
    void res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'timeout' })),
  '/500-json-token': (_, res) =>
    void res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: TOKEN })),
  '/html': (_, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>Sign in</p>'),
  '/empty': (_, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(),
  '/no-token': (_, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"error":"none"}'),
  '/hang': () => undefined,
  '/cut': (_, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
    res.write(`{"token":"${TOKEN.slice(0, 10)}`);
    setTimeout(() => res.destroy(), 10);
  },
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => routes[req.url ?? '']?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (signal = new AbortController().signal) => ({ signal, purpose: 'activation' as const, identity: 'u' });

describe('fetchTokenFrom', () => {
  it('POSTs and returns the token with its expiry', async () => {
    await expect(fetchTokenFrom(`${base}/ok`)(request())).resolves.toEqual({ token: TOKEN, expiresAt: EXPIRES_AT });
  });

  it('returns the token alone from an endpoint that gives no expiry', async () => {
    await expect(fetchTokenFrom(`${base}/no-expiry`)(request())).resolves.toBe(TOKEN);
  });

  it.each([
    ['/500', /HTTP 500/],
    ['/401', /HTTP 401 .*not signed in/],
    ['/422', /^the token endpoint refused the identity: userId longer than 255 characters \(HTTP 422\)$/],
    // A reason or code that is not short plain words is not passed on.
    ['/422-token', /^token endpoint answered HTTP 422 for the activation token \(identity-refused\)$/],
    ['/503', /^token endpoint answered HTTP 503 for the activation token \(timeout\)$/],
    ['/500-json-token', /^token endpoint answered HTTP 500 for the activation token$/],
    ['/html', /did not answer JSON/],
    ['/empty', /did not answer JSON/],
    ['/no-token', /JSON without a token/],
    ['/cut', /did not answer JSON/],
  ])('%s is a TokenUnavailableError that quotes no body', async (path, message) => {
    const error = await fetchTokenFrom(`${base}${path}`)(request()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenUnavailableError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('secret-token');
  });

  it('connection refused is token endpoint unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchTokenFrom(`http://127.0.0.1:${port}/`)(request())).rejects.toThrow(/unreachable/);
  });

  it('an abort (sign-out, timeout) rejects as an abort, not as a token failure', async () => {
    const controller = new AbortController();
    const pending = fetchTokenFrom(`${base}/hang`)(request(controller.signal));
    controller.abort();
    const error = await pending.catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(TokenUnavailableError);
    expect((error as Error).name).toBe('AbortError');
  });
});
