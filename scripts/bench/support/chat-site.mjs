// The loopback site the time-to-chat benchmark loads pages from: the page bundles, the fake
// iAdvize tag as "iadvize.js", the project's token endpoint (createTokenHandler) and the fake
// iAdvize server, each answering after an injected delay, as the real tag CDN, the site's backend
// and iAdvize's servers would over a network. It counts the requests of each run.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTokenHandler } from '../../../dist/server.js';
import { createFakeIAdvizeServer, DEFAULT_FAKE_SERVER_PATH } from '../../../dist/testing.js';
import { benchIssuer } from './setup.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const TOKEN_PATH = '/api/iadvize-token';
export const TAG_PATH = '/iadvize.js';
export const IADVIZE_PATH = DEFAULT_FAKE_SERVER_PATH;
export const SESSION_COOKIE = 'session';

const sleep = (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined);

/**
 * Starts the site. `pages` maps a path to `{ html, script? }` (script: the page's bundle, served
 * at `${path}.js`). Set `site.delays = { tagMs, tokenMs, iadvizeMs }` before each setting.
 */
export async function startChatSite(pages) {
  const { keys, issuer } = await benchIssuer();
  const fakeServer = await createFakeIAdvizeServer({
    customerPublicKey: keys.customer.publicKeyPem,
    iadvizePrivateKey: keys.iadvize.privateKeyPem,
  });
  const fakeTagJs = readFileSync(`${root}dist/demo/fake-iadvize.js`, 'utf8');
  const counts = { token: 0, tag: 0, iadvize: 0 };
  const site = { delays: { tagMs: 0, tokenMs: 0, iadvizeMs: 0 }, counts, origin: '', close: undefined };

  let tokenEndpoint;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    // A fresh context per run fetches everything again; nothing may come from a cache.
    res.setHeader('cache-control', 'no-store');
    if (path === TOKEN_PATH) {
      counts.token++;
      await sleep(site.delays.tokenMs);
      return relay(req, res, tokenEndpoint, site.origin);
    }
    if (path === TAG_PATH) {
      counts.tag++;
      await sleep(site.delays.tagMs);
      return end(res, 200, 'text/javascript', fakeTagJs);
    }
    if (path === IADVIZE_PATH) {
      counts.iadvize++;
      await sleep(site.delays.iadvizeMs);
      return relay(req, res, fakeServer.handler, site.origin);
    }
    const page = pages[path] ?? pages[path.replace(/\.js$/, '')];
    if (page && path.endsWith('.js') && page.script !== undefined) return end(res, 200, 'text/javascript', page.script);
    if (page) return end(res, 200, 'text/html; charset=utf-8', page.html);
    return end(res, 404, 'text/plain', 'not found');
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  site.origin = `http://127.0.0.1:${server.address().port}`;
  tokenEndpoint = createTokenHandler({
    issuer,
    identify: (request) =>
      new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(request.headers.get('cookie') ?? '')?.[1] ?? null,
    allowedOrigins: [site.origin],
  });
  site.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return site;
}

function end(res, status, type, body) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/** node:http → a web-standard handler (the token endpoint, the fake server) → node:http. */
async function relay(req, res, handler, origin) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const headers = Object.entries(req.headers).filter(([, value]) => typeof value === 'string');
  const response = await handler(
    new Request(`${origin}${req.url}`, {
      method: req.method,
      headers,
      ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
    }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
