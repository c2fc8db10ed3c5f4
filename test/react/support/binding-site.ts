// A site on loopback for the binding tests (React here, Vue too): a page around a bundle built
// as users build theirs (esbuild over the library's dist/), the site's session cookie, the
// token endpoint (createTokenHandler), the vendor's script answered with the fake tag, and the
// fake iAdvize server in Node. Every private key stays in this process.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { nodeListener } from '../../../src/demo/node-http.js';
import { createTokenHandler } from '../../../src/server/index.js';
import {
  DEFAULT_FAKE_SERVER_PATH,
  FAKE_CONFIG_GLOBAL,
  FAKE_TAG_GLOBAL,
  type FakeIAdvizeServer,
} from '../../../src/testing/index.js';
import { shopWithFakeIAdvize } from '../../support/shop-keys.js';

export const root = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Bundles a page entry for the browser. `iadvize-activation/*` resolves to dist/ through the
 * package's own exports, as in an app; development mode, so StrictMode double-runs effects.
 */
export async function bundlePage(source: string): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    stdin: { contents: source, resolveDir: root, loader: 'tsx', sourcefile: 'page.tsx' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    define: {
      'process.env.NODE_ENV': '"development"',
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'true',
    },
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/** The fake tag as a classic script, as the vendor's is. */
export async function bundleFakeTag(): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/fake/tag-script.ts'],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

export interface BindingSite {
  readonly origin: string;
  readonly fakeServer: FakeIAdvizeServer;
  readonly fakeTagJs: string;
  /** What the site's routes threw (each answered 500): none in a passing test. */
  readonly serverErrors: unknown[];
  close(): Promise<void>;
}

/** `body` is the page's <body> content before the app's script (server-rendered markup, if any). */
export async function startBindingSite(options: { appJs: string; body: string }): Promise<BindingSite> {
  const { issuer, fakeServer } = await shopWithFakeIAdvize();
  const fakeTagJs = await bundleFakeTag();
  const page = `<!doctype html>
<html>
  <head><script>window.${FAKE_CONFIG_GLOBAL} = { server: '${DEFAULT_FAKE_SERVER_PATH}' };</script></head>
  <body>${options.body}<script type="module" src="/app.js"></script></body>
</html>`;
  let tokenHandler: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  /** The site's routes, web-standard; the demo's node:http adapter serves them. */
  const route = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === '/') return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
    if (path === '/app.js') return new Response(options.appJs, { headers: { 'content-type': 'text/javascript' } });
    if (path === '/session') {
      // The site's own session: a cookie naming the visitor, set at sign-in.
      const cookie =
        request.method === 'POST'
          ? `session=${await request.text()}; Path=/; HttpOnly; SameSite=Strict`
          : 'session=; Path=/; Max-Age=0';
      return new Response(null, { status: 204, headers: { 'set-cookie': cookie } });
    }
    if (path === '/api/iadvize-token') return tokenHandler(request);
    if (path === DEFAULT_FAKE_SERVER_PATH) return fakeServer.handler(request);
    return new Response('not found', { status: 404 });
  };
  const serverErrors: unknown[] = [];
  const server: Server = createServer(nodeListener(route, (error) => serverErrors.push(error)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tokenHandler = createTokenHandler({
    issuer,
    identify: (request) => /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null,
    allowedOrigins: [origin],
  });
  return {
    origin,
    fakeServer,
    fakeTagJs,
    serverErrors,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface OpenedPage {
  readonly page: Page;
  /** Uncaught errors and console.error / console.warn lines, in order. */
  readonly problems: string[];
  /** The fake tag's activate calls so far (its own call log, in the page). */
  activateCalls(): Promise<number>;
  /** The fake tag's own state: 'inactive', 'secured' or 'anonymous', and for whom. */
  tagState(): Promise<{ status: string; userId?: string }>;
}

export async function openPage(browser: Browser, site: BindingSite): Promise<OpenedPage> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  // The vendor's script URL (//ha.iadvize.com/iadvize.js) is answered with the fake tag.
  await page.route('**/iadvize.js', (route) => route.fulfill({ contentType: 'text/javascript', body: site.fakeTagJs }));
  await page.goto(site.origin);
  const fake = FAKE_TAG_GLOBAL;
  return {
    page,
    problems,
    activateCalls: () =>
      page.evaluate(
        (name) =>
          (window as unknown as Record<string, { calls: { count(type: string): number } }>)[name]?.calls.count(
            'activate',
          ) ?? 0,
        fake,
      ),
    tagState: () =>
      page.evaluate(
        (name) => (window as unknown as Record<string, { state: { status: string; userId?: string } }>)[name]!.state,
        fake,
      ),
  };
}
