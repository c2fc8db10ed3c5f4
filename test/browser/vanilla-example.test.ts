// docs/examples/vanilla.ts, exactly as the integration guide quotes it, in Chromium: bundled
// with a small harness page, its token fetched from createTokenHandler on a loopback server,
// and the vendor's script URL answered with the fake iAdvize tag, which authenticates against
// the fake iAdvize server in Node. Every private key stays in this process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findPrivateKeyText } from '../../scripts/bundle-budget.mjs';
import { createTokenHandler } from '../../src/server/index.js';
import { DEFAULT_FAKE_SERVER_PATH, FAKE_CONFIG_GLOBAL, type FakeIAdvizeServer } from '../../src/testing/index.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { shopWithFakeIAdvize } from '../support/shop-keys.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const USER_ID = 'user-42';

/** What the test page adds around the example: the site's own session calls. */
const HARNESS = `
import { onSignedIn, onSignedOut } from './docs/examples/vanilla.ts';
window.site = {
  async signIn(userId) {
    await fetch('/session', { method: 'POST', body: userId });
    onSignedIn(userId);
  },
  async signOut() {
    await onSignedOut();
    await fetch('/session', { method: 'DELETE' });
  },
  // The example told of a sign-in the site's backend does not know about.
  signInWithoutSession: (userId) => onSignedIn(userId),
};
`;

const PAGE = `<!doctype html>
<html>
  <head><script>window.${FAKE_CONFIG_GLOBAL} = { server: '${DEFAULT_FAKE_SERVER_PATH}' };</script></head>
  <body><p id="chat-status"></p><script type="module" src="/app.js"></script></body>
</html>`;

async function bundle(options: { entry?: string; source?: string; format: 'esm' | 'iife' }): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    ...(options.source === undefined
      ? { entryPoints: [options.entry!] }
      : { stdin: { contents: options.source, resolveDir: root, loader: 'js' } }),
    bundle: true,
    format: options.format,
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/** node:http → web Request → handler → node:http, as a site without a framework mounts one. */
async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`${origin}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

describe.skipIf(!browserAvailable)('the vanilla example in Chromium', () => {
  let appJs: string;
  let fakeTagJs: string;
  let fakeServer: FakeIAdvizeServer;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let warnings: string[];

  beforeAll(async () => {
    const shop = await shopWithFakeIAdvize();
    const { issuer } = shop;
    fakeServer = shop.fakeServer;
    [appJs, fakeTagJs] = await Promise.all([
      bundle({ source: HARNESS, format: 'esm' }),
      // A classic script, as the vendor's is: it reads its config and takes over the queue.
      bundle({ entry: 'src/fake/tag-script.ts', format: 'iife' }),
    ]);

    let tokenHandler: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
    server = createServer(async (req, res) => {
      const request = await toRequest(req, origin);
      const path = new URL(request.url).pathname;
      if (path === '/')
        return send(res, new Response(PAGE, { headers: { 'content-type': 'text/html; charset=utf-8' } }));
      if (path === '/app.js') return send(res, new Response(appJs, { headers: { 'content-type': 'text/javascript' } }));
      if (path === '/session') {
        // The site's own session: a cookie naming the visitor, set at sign-in.
        const cookie =
          request.method === 'POST'
            ? `session=${await request.text()}; Path=/; HttpOnly; SameSite=Strict`
            : 'session=; Path=/; Max-Age=0';
        return send(res, new Response(null, { status: 204, headers: { 'set-cookie': cookie } }));
      }
      if (path === '/api/iadvize-token') return send(res, await tokenHandler(request));
      if (path === DEFAULT_FAKE_SERVER_PATH) return send(res, await fakeServer.handler(request));
      return send(res, new Response('not found', { status: 404 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    tokenHandler = createTokenHandler({
      issuer,
      identify: (request) => /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null,
      allowedOrigins: [origin],
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  beforeEach(async () => {
    fakeServer.calls.clear();
    pageErrors = [];
    warnings = [];
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    // The vendor's script URL (//ha.iadvize.com/iadvize.js) is answered with the fake tag.
    await page.route('**/iadvize.js', (route) => route.fulfill({ contentType: 'text/javascript', body: fakeTagJs }));
    await page.goto(origin);
    await page.locator('#chat-status[data-status="inactive"]').waitFor();
  });

  afterEach(async () => {
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  const status = () => page.locator('#chat-status');
  /** The status once the sign-in settled, either way, so a failure shows at once and says which. */
  const settledStatus = async () => {
    await page.locator('#chat-status:is([data-status="active"], [data-status="failed"])').waitFor({ timeout: 10_000 });
    return status().getAttribute('data-status');
  };

  it('reaches active after the site signs in, with the token from the endpoint, and inactive after sign-out', async () => {
    await page.evaluate(
      (userId) => (window as unknown as { site: { signIn(id: string): Promise<void> } }).site.signIn(userId),
      USER_ID,
    );
    await expect(settledStatus()).resolves.toBe('active');
    await expect(status().textContent()).resolves.toBe('Chat connected to your account');
    expect(fakeServer.calls.of('server-check')).toMatchObject([{ ok: true, userId: USER_ID }]);
    const tagState = () =>
      page.evaluate(
        () => (window as unknown as { iAdvizeFake: { state: { status: string; userId?: string } } }).iAdvizeFake.state,
      );
    await expect(tagState()).resolves.toMatchObject({ status: 'secured', userId: USER_ID });

    // onSignedOut resolves once the tag is logged out: nothing is left to wait for.
    await page.evaluate(() => (window as unknown as { site: { signOut(): Promise<void> } }).site.signOut());
    await expect(status().getAttribute('data-status')).resolves.toBe('inactive');
    await expect(tagState()).resolves.toMatchObject({ status: 'inactive' });
    expect(warnings).toEqual([]);
  });

  it('fails with token-unavailable, and never activates, when the backend has no session', async () => {
    await page.evaluate(
      (userId) =>
        (window as unknown as { site: { signInWithoutSession(id: string): void } }).site.signInWithoutSession(userId),
      USER_ID,
    );
    await expect(settledStatus()).resolves.toBe('failed');
    expect(warnings).toEqual([expect.stringContaining('iAdvize activation failed (token-unavailable)')]);
    expect(fakeServer.calls.of('server-check')).toEqual([]);
  });

  it('ships no private key to the browser', () => {
    expect(findPrivateKeyText(appJs + fakeTagJs)).toEqual([]);
  });
});
