// The fake tag talking to the fake server over HTTP, as in the demo: a real loopback server
// mounting the handler, the HTTP transport, and the bundled browser script run in a sandbox.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TokenIssuer } from '../../src/token/issue.js';
import { VENDOR_REASONS } from '../../src/tag/contract.js';
import { iAdvizeTag } from '../../src/tag/iadvize-tag.js';
import type { FakeTag } from '../../src/fake/tag.js';
import type { FakeIAdvizeServer } from '../../src/fake/server.js';
import { createFakeWindow, FakeScriptElement } from '../../src/fake/window.js';
import { createHttpTransport } from '../../src/fake/http-transport.js';
import {
  DEFAULT_FAKE_SERVER_PATH,
  FAKE_CONFIG_GLOBAL,
  FAKE_TAG_GLOBAL,
  readScriptConfig,
} from '../../src/fake/script-config.js';
import { shopWithFakeIAdvize } from '../support/shop-keys.js';

let issuer: TokenIssuer;
let fakeServer: FakeIAdvizeServer;
let http: Server;
let url: string;

/** Node's request → the web-standard handler → Node's response: what the demo server does. */
async function serve(server: FakeIAdvizeServer): Promise<Server> {
  const listening = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = await server.handler(
      new Request(`http://localhost${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers: request.headers as Record<string, string>,
        ...(request.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
      }),
    );
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(await answer.text());
  });
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return listening;
}

beforeAll(async () => {
  ({ issuer, fakeServer } = await shopWithFakeIAdvize());
  http = await serve(fakeServer);
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}${DEFAULT_FAKE_SERVER_PATH}`;
});

afterAll(async () => {
  await new Promise((resolve) => http.close(resolve));
});

describe('HTTP transport against the mounted handler', () => {
  it('carries acceptance, rejection and server errors', async () => {
    const transport = createHttpTransport(url);
    await expect(transport.authenticate(await issuer.issue({ userId: 'ann' }))).resolves.toEqual({
      ok: true,
      userId: 'ann',
    });
    await expect(transport.authenticate('garbage')).resolves.toMatchObject({
      ok: false,
      kind: 'rejected',
      check: 'format',
    });
    fakeServer.faults.serverErrors = 1;
    await expect(transport.authenticate('garbage')).resolves.toEqual({
      ok: false,
      kind: 'server-error',
      reason: VENDOR_REASONS.serverError,
    });
  });

  it('sees an unreachable server or an unreadable answer as a server error', async () => {
    await expect(createHttpTransport('http://127.0.0.1:1/nothing').authenticate('x')).resolves.toMatchObject({
      kind: 'server-error',
    });
    const html = vi.fn(async () => new Response('<html>', { status: 200 }));
    await expect(createHttpTransport('/x', { fetch: html }).authenticate('x')).resolves.toMatchObject({
      kind: 'server-error',
    });
    expect(html).toHaveBeenCalledWith(
      '/x',
      expect.objectContaining({ method: 'POST', body: JSON.stringify({ token: 'x' }) }),
    );
  });
});

describe('the browser script (src/fake/tag-script.ts, bundled)', () => {
  let bundle: string;

  beforeAll(async () => {
    const result = await build({
      entryPoints: ['src/fake/tag-script.ts'],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
    });
    bundle = result.outputFiles[0]?.text ?? '';
  });

  it('holds no key, no jose and no Node built-in', () => {
    expect(bundle.length).toBeGreaterThan(1_000);
    expect(bundle).not.toMatch(/PRIVATE KEY|compactDecrypt|importPKCS8|from ['"]jose|node:/);
  });

  it('installs the fake tag, configured by its data attribute; the real adapter then activates over HTTP', async () => {
    const win = createFakeWindow();
    const script = new FakeScriptElement();
    script.src = '/iadvize.js';
    script.setAttribute('data-server', url);
    const tag = iAdvizeTag({ sid: 'demo', window: win, injectScript: false });
    const ready = tag.ready({ signal: new AbortController().signal });
    runInNewContext(bundle, {
      window: win,
      document: { currentScript: script },
      fetch,
      URLSearchParams,
      setTimeout,
      clearTimeout,
      Date,
      Promise,
    });
    await ready;
    const outcome = await tag.activate({
      mode: 'secured',
      provider: () => issuer.issue({ userId: 'ann' }),
      signal: new AbortController().signal,
    });
    expect(outcome).toEqual({ ok: true });
    const installed = (win as unknown as Record<string, FakeTag>)[FAKE_TAG_GLOBAL];
    expect(installed?.state).toMatchObject({ status: 'secured', userId: 'ann' });
    installed?.dispose();
  });
});

describe('script configuration', () => {
  const scriptWith = (src: string, attributes: Record<string, string> = {}) => ({
    src,
    getAttribute: (name: string) => attributes[name] ?? null,
  });

  it('reads data attributes first, then the query, then the global, then defaults', () => {
    const global = { [FAKE_CONFIG_GLOBAL]: { server: '/from-global', sessionLifetimeMs: 5_000, retries: 1 } };
    expect(
      readScriptConfig(
        scriptWith('/iadvize.js?server=/from-query&retries=2', { 'data-server': '/from-attribute' }),
        global,
      ),
    ).toEqual({
      serverUrl: '/from-attribute',
      sessionLifetimeMs: 5_000,
      retries: 2,
    });
    expect(readScriptConfig(null, {})).toEqual({
      serverUrl: DEFAULT_FAKE_SERVER_PATH,
      sessionLifetimeMs: 60 * 60_000,
      retries: 3,
    });
  });

  it('ignores values that are not usable numbers', () => {
    expect(readScriptConfig(scriptWith('/iadvize.js?sessionLifetimeMs=-5&retries=1.5'), {})).toMatchObject({
      sessionLifetimeMs: 60 * 60_000,
      retries: 3,
    });
  });
});
