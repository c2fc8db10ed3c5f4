// createNodeTokenHandler under Express 5 on loopback, mounted the two ways sites do: before any
// body parser (what the docs recommend: every answer is the endpoint's JSON), and after a global
// express.json() (a parsed req.body is taken as read; but malformed or oversized bodies get
// Express's own HTML error pages before the handler runs, as the docs say).
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeTokenHandler } from '../../src/server/node-handler.js';
import { rawAsk, TOKEN_PATH, type RawAnswer } from './support/endpoints.js';
import { SITE, useSiteIssuer } from './support/site-issuer.js';

const site = useSiteIssuer();
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

type Mount = 'before-body-parser' | 'after-global-json';

async function serveExpress(mount: Mount): Promise<number> {
  const tokenEndpoint = createNodeTokenHandler<express.Request>({
    issuer: site.issuer,
    identify: () => 'user-42',
    allowedOrigins: [SITE],
  });
  const app = express();
  if (mount === 'before-body-parser') {
    app.all(TOKEN_PATH, (req, res) => void tokenEndpoint(req, res));
    app.use(express.json());
  } else {
    app.use(express.json());
    app.all(TOKEN_PATH, (req, res) => void tokenEndpoint(req, res));
  }
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

const json = { origin: SITE, 'content-type': 'application/json' };
const status = (answer: RawAnswer) => ('status' in answer ? answer.status : answer.error);
const contentType = (answer: RawAnswer) => ('status' in answer ? String(answer.headers['content-type']) : '');

describe('createNodeTokenHandler under Express', () => {
  it('mounted before any body parser: the endpoint answers every body itself, in JSON', async () => {
    const port = await serveExpress('before-body-parser');
    const malformed = await rawAsk(port, { headers: json, body: '{"userId":"victim"' });
    expect(status(malformed)).toBe(200);
    const large = await rawAsk(port, { headers: json, body: `{"a":"${'x'.repeat(2_000)}"}` });
    expect(status(large)).toBe(413);
    expect(contentType(large)).toContain('application/json');
    const preflight = await rawAsk(port, {
      method: 'OPTIONS',
      headers: { origin: SITE, 'access-control-request-method': 'POST' },
    });
    expect(status(preflight)).toBe(204);
  });

  it('after a global express.json(): a parsed req.body is taken as read and answered at once, its declared size still checked', async () => {
    const port = await serveExpress('after-global-json');
    const parsed = await rawAsk(port, { headers: json, body: '{"hello":"world"}', giveUpAfterMs: 3_000 });
    expect(status(parsed)).toBe(200);
    const body = `{"a":"${'x'.repeat(2_000)}"}`;
    const overLimit = await rawAsk(port, { headers: { ...json, 'content-length': String(body.length) }, body });
    expect(status(overLimit)).toBe(413);
    expect(contentType(overLimit)).toContain('application/json');
    // Sent chunked, the parser has read it whole before the handler runs: its limit applies
    // (express.json's, 100 kB by default), and refusing it then would save nothing.
    expect(status(await rawAsk(port, { headers: json, body: [body.slice(0, 1_000), body.slice(1_000)] }))).toBe(200);
    // Not JSON: express.json() leaves it alone, the handler reads it.
    expect(status(await rawAsk(port, { headers: { origin: SITE, 'content-type': 'text/plain' }, body: 'hello' }))).toBe(
      200,
    );
  });

  it('after a global express.json(): a malformed or huge JSON body gets Express’s HTML error before the handler runs (why the docs say mount it first)', async () => {
    const port = await serveExpress('after-global-json');
    const malformed = await rawAsk(port, { headers: json, body: '{"userId":"victim"' });
    expect(status(malformed)).toBe(400);
    expect(contentType(malformed)).toContain('text/html');
    const huge = await rawAsk(port, { headers: json, body: `{"a":"${'x'.repeat(200_000)}"}` });
    expect(status(huge)).toBe(413);
    expect(contentType(huge)).toContain('text/html');
  });
});
