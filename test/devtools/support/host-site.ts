// The loopback server behind the devtools host page: the page (with CSS of its own that would
// spoil any panel it reached, and a strict Content-Security-Policy), its esbuild bundles (code-split, so the devtools chunk is a file
// of its own), the fake iAdvize script, the real token endpoint and the fake iAdvize server.
// Keys stay in this process.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createNodeTokenHandler } from '../../../src/server/node.js';
import { DEFAULT_FAKE_SERVER_PATH, FAKE_CONFIG_GLOBAL, type FakeIAdvizeServer } from '../../../src/testing/index.js';
import { shopWithFakeIAdvize } from '../../support/shop-keys.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** A visitor the site knows nothing of: the token endpoint answers 401 for them. */
export const UNKNOWN_VISITOR = 'nobody';

/** Styles a careless panel would pick up (or spoil): every rule hits something on the page. */
export const HOST_CSS = `
* { font-family: 'Courier New', monospace; letter-spacing: 0.5px; }
body { margin: 40px; background: rgb(250, 240, 230); color: rgb(60, 20, 20); font-size: 17px; }
h1 { font-size: 31px; color: rgb(200, 0, 120); text-transform: uppercase; }
button { background: rgb(255, 105, 180); border: 3px solid rgb(0, 0, 0); padding: 9px; }
svg, rect, text, path { display: inline; fill: rgb(0, 255, 0); stroke: rgb(255, 0, 0); }
ol, li, dl, dd, section, div { margin: 7px; padding: 3px; border: 1px dotted rgb(0, 0, 255); }
.panel, .toggle, .status, .body { display: none; }
`;

/**
 * The page's own inline style and script carry this nonce; nothing else inline may run or
 * apply: a site with a strict CSP, where the panel must still be styled (constructed sheets).
 */
const NONCE = 'host-page';
export const HOST_CSP = `default-src 'self'; script-src 'self' 'nonce-${NONCE}'; style-src 'self' 'nonce-${NONCE}'; connect-src 'self'; img-src 'self' data:`;

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Host shop</title>
<style nonce="${NONCE}">${HOST_CSS}</style>
<script nonce="${NONCE}">window.${FAKE_CONFIG_GLOBAL} = { server: '${DEFAULT_FAKE_SERVER_PATH}' };</script></head>
<body>
  <h1>Host shop</h1>
  <section class="panel"><div class="body"><p>Products <button class="toggle">Add to cart</button></p>
  <ol><li>Socks</li><li>Shoes</li></ol><dl><dt>Total</dt><dd class="status">12 €</dd></dl>
  <svg width="40" height="20"><rect width="40" height="20"></rect><text x="2" y="14">svg</text></svg></div></section>
  <p id="status"></p>
  <div id="toy"></div>
  <script type="module" src="/app.js"></script>
</body>
</html>`;

export interface HostSite {
  readonly origin: string;
  readonly fakeServer: FakeIAdvizeServer;
  /** Paths requested, in order (the devtools chunk shows up here only when it is loaded). */
  readonly requests: string[];
  /** The bundle files of the host app by path: `/app.js` and its chunks. */
  readonly files: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

export async function startHostSite(): Promise<HostSite> {
  const { issuer, fakeServer } = await shopWithFakeIAdvize('https://host.example');
  const files = new Map<string, string>();
  const options = {
    absWorkingDir: root,
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  } as const;
  const [app, tag] = await Promise.all([
    build({
      ...options,
      entryPoints: { app: 'test/devtools/support/host-app.ts' },
      outdir: '/out',
      format: 'esm',
      splitting: true,
      chunkNames: '[name]-[hash]',
    }),
    build({ ...options, entryPoints: ['src/fake/tag-script.ts'], format: 'iife' }),
  ]);
  for (const file of app.outputFiles) files.set(file.path.replace(/^\/out/, ''), file.text);
  files.set('/iadvize.js', tag.outputFiles[0]!.text);

  const requests: string[] = [];
  let origin = '';
  let tokenHandler: ReturnType<typeof createNodeTokenHandler> | undefined;
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    requests.push(path);
    if (path === '/api/token') return tokenHandler!(req, res);
    if (path === DEFAULT_FAKE_SERVER_PATH) {
      const answer = await fakeServer.handler(
        new Request(`${origin}${path}`, {
          method: req.method,
          headers: { 'content-type': 'application/json' },
          body: await bodyOf(req),
        }),
      );
      res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(await answer.text());
      return;
    }
    const file = path === '/' ? PAGE : files.get(path);
    if (file === undefined) return void res.writeHead(404).end('not found');
    res
      .writeHead(
        200,
        path === '/'
          ? { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': HOST_CSP }
          : { 'content-type': 'text/javascript' },
      )
      .end(file);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tokenHandler = createNodeTokenHandler({
    issuer,
    allowedOrigins: [origin],
    identify: (req) => {
      const user = /(?:^|;\s*)host_user=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      return user === undefined || decodeURIComponent(user) === UNKNOWN_VISITOR ? null : decodeURIComponent(user);
    },
  });
  return { origin, fakeServer, requests, files, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
