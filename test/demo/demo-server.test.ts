// The demo server over HTTP, without a browser: start-up on a taken port, the shop's session
// cookie, the token endpoint behind it, the fault switches and the page's own guarantees.
import { createServer, type Server } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoServerError, startDemoServer, type DemoServer } from '../../src/demo/app.js';
import { NO_FAULTS } from '../../src/demo/faults.js';
import { PAGE_CONFIG_ID, type PageConfig } from '../../src/demo/page-config.js';
import { verifyToken } from '../../src/token/verify.js';
import { loadOrCreateDevKeys } from '../../src/demo/dev-keys.js';

/** The package's build, which the demo serves from. */
const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));
let keysDir: string;
let demo: DemoServer;

beforeAll(async () => {
  keysDir = await mkdtemp(join(tmpdir(), 'iadvize-demo-server-'));
  demo = await startDemoServer({ port: 0, keysDir, log: () => undefined });
});

afterAll(async () => {
  await demo?.close();
  await rm(keysDir, { recursive: true, force: true });
});

/** A same-origin POST, as the page makes it. */
function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${demo.url}${path}`, {
    method: 'POST',
    headers: { origin: demo.url, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function signIn(user: string): Promise<string> {
  const response = await post('/api/session', { user });
  expect(response.status).toBe(200);
  return response.headers.getSetCookie()[0]!.split(';')[0]!;
}

function pageConfig(html: string): PageConfig {
  const json = new RegExp(`<script type="application/json" id="${PAGE_CONFIG_ID}">(.*?)</script>`).exec(html)?.[1];
  return JSON.parse(json ?? 'null') as PageConfig;
}

describe('startDemoServer', () => {
  it('serves on loopback and says where, as http://localhost:<port>', () => {
    expect(demo.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(demo.port).toBeGreaterThan(0);
  });

  it('fails with one clear line when the port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const unusedKeysDir = join(keysDir, 'not-made');
    try {
      const attempt = startDemoServer({ port, keysDir: unusedKeysDir, log: () => undefined });
      await expect(attempt).rejects.toBeInstanceOf(DemoServerError);
      await expect(attempt).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use: stop whatever runs there, or choose another port with PORT=<port> npm start, or --port <port>`,
      );
      await expect(attempt).rejects.toMatchObject({ code: 'port-in-use' });
      // It fails before making keys it would not use.
      expect(existsSync(unusedKeysDir)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('the shop session and the token endpoint', () => {
  it('issues no token without a session, and one for the signed-in visitor with it', async () => {
    expect((await post('/api/token', {})).status).toBe(401);
    const cookie = await signIn('alice');
    const response = await post('/api/token', {}, { cookie });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const { keys } = await loadOrCreateDevKeys(keysDir);
    const verified = await verifyToken(token, {
      iadvizePrivateKey: keys.iadvize.privateKeyPem,
      customerPublicKey: keys.customer.publicKeyPem,
    });
    expect(verified).toMatchObject({
      ok: true,
      claims: { userId: 'alice', iss: demo.url, visitorData: { firstName: 'Alice' } },
    });
  });

  it('answers the token endpoint for its own origins only, localhost and 127.0.0.1 alike', async () => {
    const cookie = await signIn('bob');
    expect((await post('/api/token', {}, { cookie, origin: `http://127.0.0.1:${demo.port}` })).status).toBe(200);
    expect((await post('/api/token', {}, { cookie, origin: 'http://evil.example' })).status).toBe(403);
  });

  it('keeps the session in an HttpOnly, SameSite=Strict cookie with a new random id at each sign-in', async () => {
    const response = await post('/api/session', { user: 'alice' });
    const setCookie = response.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/^demo_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(await signIn('alice')).not.toBe(setCookie.split(';')[0]);
  });

  it('ends the session on sign-out: the cookie is cleared and the old id no longer works', async () => {
    const cookie = await signIn('alice');
    const out = await post('/api/sign-out', {}, { cookie });
    expect(out.headers.getSetCookie()[0]).toMatch(/^demo_session=; .*Max-Age=0/);
    expect((await post('/api/token', {}, { cookie })).status).toBe(401);
  });

  it('refuses an unknown user, and session changes from another origin', async () => {
    expect((await post('/api/session', { user: 'mallory' })).status).toBe(400);
    expect((await post('/api/session', { user: 'alice' }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('/api/sign-out', {}, { origin: 'http://evil.example' })).status).toBe(403);
  });
});

describe('the fault switches', () => {
  it('apply a partial set and report the whole one', async () => {
    const response = await post('/api/faults', { tokenEndpoint: 'fail' });
    expect(await response.json()).toEqual({ ...NO_FAULTS, tokenEndpoint: 'fail' });
    const cookie = await signIn('alice');
    expect((await post('/api/token', {}, { cookie })).status).toBe(503);
    await post('/api/faults', NO_FAULTS);
    expect((await post('/api/token', {}, { cookie })).status).toBe(200);
  });

  it('block the tag script when asked', async () => {
    await post('/api/faults', { tagScript: 'blocked' });
    expect((await fetch(`${demo.url}/fake-iadvize/iadvize.js`)).status).toBe(403);
    await post('/api/faults', NO_FAULTS);
    const script = await fetch(`${demo.url}/fake-iadvize/iadvize.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('refuse unknown switches and values, and other origins', async () => {
    const unknown = await post('/api/faults', { network: 'down' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ message: expect.stringMatching(/^unknown fault 'network'/) });
    expect((await post('/api/faults', { tokenEndpoint: 'sometimes' })).status).toBe(400);
    expect((await post('/api/faults', { tokenEndpoint: 'fail' }, { origin: 'http://evil.example' })).status).toBe(403);
    expect(await (await fetch(`${demo.url}/api/faults`)).json()).toEqual(NO_FAULTS);
  });
});

describe('the page', () => {
  it('loads nothing from elsewhere: a strict Content-Security-Policy and only local URLs', async () => {
    const response = await fetch(`${demo.url}/`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain('<script type="module" src="/assets/page.js"></script>');
  });

  it('loads the devtools panel from the package’s own devtools entry: the layout library ships once, not in the page bundle', async () => {
    const page = await (await fetch(`${demo.url}/assets/page.js`)).text();
    expect(page).toContain('/assets/lib/devtools.js');
    expect(page).not.toMatch(/dagre|graphlib/);
    const entry = await fetch(`${demo.url}/assets/lib/devtools.js`);
    expect(entry.headers.get('content-type')).toContain('text/javascript');
    const text = await entry.text();
    expect(text).toBe(readFileSync(join(distDir, 'devtools.js'), 'utf8'));
    // Every module it imports is served beside it.
    const chunks = [...text.matchAll(/from\s*"\.\/(chunks\/[^"]+\.js)"/g)].map(([, path]) => path!);
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect((await fetch(`${demo.url}/assets/lib/${chunk}`)).status, chunk).toBe(200);
    expect((await fetch(`${demo.url}/assets/lib/index.js`)).status).toBe(404);
  });

  it('tells the page who is signed in, the policy and the inspector from the query, and no session id', async () => {
    const cookie = await signIn('bob');
    const html = await (
      await fetch(`${demo.url}/?policy=anonymous&signedOut=anonymous&inspect=stately`, { headers: { cookie } })
    ).text();
    expect(pageConfig(html)).toMatchObject({
      user: { key: 'bob', id: 'bob' },
      policy: 'anonymous',
      whenSignedOut: 'anonymous',
      inspect: 'stately',
    });
    expect(html).not.toContain(cookie.split('=')[1]);
    expect(pageConfig(await (await fetch(`${demo.url}/?policy=whatever&signedOut=whatever`)).text())).toMatchObject({
      user: null,
      policy: 'stay-inactive',
      whenSignedOut: 'inactive',
      inspect: 'offline',
    });
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    expect((await fetch(`${demo.url}/nothing`)).status).toBe(404);
    const wrong = await fetch(`${demo.url}/api/token`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });
});
