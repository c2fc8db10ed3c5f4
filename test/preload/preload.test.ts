// The inline <head> entry and its adoption by the controller, in Node: preload() over a fake
// window and fetch, preloadedToken() over a recorded fetcher, and the whole path (preload, the
// real adapter over the fake iAdvize, createActivation) with real tokens.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActivation } from '../../src/activation/create-activation.js';
import type { FetchToken, FetchTokenRequest } from '../../src/activation/options.js';
import {
  MIN_PRELOADED_LIFE_MS,
  preload,
  PRELOADED_TOKEN_GLOBAL,
  preloadedToken,
  preloadScriptUrl,
} from '../../src/preload/index.js';
import { DEFAULT_PLATFORM, INTERFACE_QUEUE, tagScriptUrl } from '../../src/tag/contract.js';
import { createFakeWindow } from '../../src/fake/window.js';
import { fakeIAdvize, issuer, useFakeStack } from '../tag/support/fake-stack.js';

useFakeStack();

const NOW = 1_800_000_000_000;
const TOKEN = 'header.key.iv.ciphertext.tag';
const SCRIPT = '//ha.iadvize.com/iadvize.js';

/** A fetch that answers the token endpoint with `answer` (a body, an HTTP status or a network error). */
function tokenFetch(answer: { body: unknown } | { status: number } | { error: Error }) {
  return vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => {
    if ('error' in answer) throw answer.error;
    if ('status' in answer) return new Response('{"error":"unauthenticated"}', { status: answer.status });
    return Response.json(answer.body);
  });
}

/** A fake window that has run the preload, with `fetch` answering as told. */
function preloadedWindow(fetch: ReturnType<typeof tokenFetch>, identity?: string) {
  const win = Object.assign(createFakeWindow(), { fetch });
  preload(
    { sid: 'SID', tokenUrl: '/api/iadvize-token', scriptUrl: SCRIPT, ...(identity === undefined ? {} : { identity }) },
    win as never,
  );
  return win as typeof win & Record<string, unknown>;
}

const request = (overrides: Partial<FetchTokenRequest> = {}): FetchTokenRequest => ({
  signal: new AbortController().signal,
  purpose: 'activation',
  identity: undefined,
  ...overrides,
});

const fetched = () => vi.fn<FetchToken>(async () => ({ token: 'fetched.again.by.the.site', expiresAt: NOW + 60_000 }));

describe('preload(): the inline entry', () => {
  it("declares the vendor's queue with the sid, keeps what the page queued, and adds one async script", () => {
    const queued = () => undefined;
    const win = Object.assign(createFakeWindow(), { fetch: tokenFetch({ body: {} }), [INTERFACE_QUEUE]: [queued] });
    preload({ sid: 'SID', tokenUrl: '/t', scriptUrl: SCRIPT }, win as never);
    const queue = win[INTERFACE_QUEUE] as unknown as { config: { sid: string } } & unknown[];
    expect(queue.config).toEqual({ sid: 'SID' });
    expect([...queue]).toEqual([queued]);
    expect(win.document.getElementsByTagName('script').map(({ src, async }) => ({ src, async }))).toEqual([
      { src: SCRIPT, async: true },
    ]);
  });

  it('asks the token endpoint as fetchTokenFrom does (POST, same-origin cookies, JSON)', () => {
    const fetch = tokenFetch({ body: {} });
    preloadedWindow(fetch);
    expect(fetch).toHaveBeenCalledExactlyOnceWith('/api/iadvize-token', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
  });

  it.each([
    ['an HTTP error', { status: 401 }],
    ['a network error', { error: new TypeError('Failed to fetch') }],
  ] as const)('leaves undefined, never a rejection, after %s', async (_, answer) => {
    const win = preloadedWindow(tokenFetch(answer));
    await expect((win[PRELOADED_TOKEN_GLOBAL] as { answer: Promise<unknown> }).answer).resolves.toBeUndefined();
  });

  it('uses the vendor facts of src/tag/contract.ts (its copies must not drift)', () => {
    const win = preloadedWindow(tokenFetch({ body: {} }));
    expect(win[INTERFACE_QUEUE]).toBeDefined();
    expect(preloadScriptUrl()).toBe(tagScriptUrl(DEFAULT_PLATFORM));
    expect(preloadScriptUrl('sd')).toBe(tagScriptUrl('sd'));
  });
});

describe('preloadedToken(): the fetcher the page gives the controller', () => {
  afterEach(() => vi.restoreAllMocks());
  const now = () => NOW;

  it('hands the preloaded token to the first activation fetch, with its expiry, and takes it off the page', async () => {
    const win = preloadedWindow(tokenFetch({ body: { token: TOKEN, expiresAt: NOW + 60_000 } }));
    const site = fetched();
    const fetchToken = preloadedToken(site, { window: win, now });
    expect(win[PRELOADED_TOKEN_GLOBAL]).toBeUndefined();
    await expect(fetchToken(request())).resolves.toEqual({ token: TOKEN, expiresAt: NOW + 60_000 });
    expect(site).not.toHaveBeenCalled();
  });

  it('hands it out once: a later activation and every refresh go to the wrapped fetcher', async () => {
    const win = preloadedWindow(tokenFetch({ body: { token: TOKEN, expiresAt: NOW + 60_000 } }));
    const site = fetched();
    const fetchToken = preloadedToken(site, { window: win, now });
    await expect(fetchToken(request({ purpose: 'refresh' }))).resolves.not.toMatchObject({ token: TOKEN });
    await expect(fetchToken(request())).resolves.toEqual({ token: TOKEN, expiresAt: NOW + 60_000 });
    await expect(fetchToken(request())).resolves.not.toMatchObject({ token: TOKEN });
    expect(site.mock.calls.map(([{ purpose }]) => purpose)).toEqual(['refresh', 'activation']);
  });

  it.each([
    ['the preload failed', { status: 401 }],
    ['the answer has no expiresAt', { body: { token: TOKEN } }],
    [
      'the token has less than MIN_PRELOADED_LIFE_MS left',
      { body: { token: TOKEN, expiresAt: NOW + MIN_PRELOADED_LIFE_MS - 1 } },
    ],
    ['the answer is no token', { body: { error: 'internal' } }],
  ] as const)('asks the wrapped fetcher when %s', async (_, answer) => {
    const site = fetched();
    const fetchToken = preloadedToken(site, { window: preloadedWindow(tokenFetch(answer)), now });
    await expect(fetchToken(request())).resolves.toEqual({
      token: 'fetched.again.by.the.site',
      expiresAt: NOW + 60_000,
    });
    expect(site).toHaveBeenCalledOnce();
  });

  it("never hands one visitor's token to another's sign-in (identities both known and different)", async () => {
    const body = { token: TOKEN, expiresAt: NOW + 60_000 };
    const site = fetched();
    const other = preloadedToken(site, { window: preloadedWindow(tokenFetch({ body }), 'user-1'), now });
    await expect(other(request({ identity: 'user-2' }))).resolves.not.toMatchObject({ token: TOKEN });
    const same = preloadedToken(site, { window: preloadedWindow(tokenFetch({ body }), 'user-1'), now });
    await expect(same(request({ identity: 'user-1' }))).resolves.toEqual(body);
  });

  it('stops waiting for the preload when the controller aborts the fetch', async () => {
    const win = Object.assign(createFakeWindow(), { fetch: vi.fn(() => new Promise<Response>(() => undefined)) });
    preload({ sid: 'SID', tokenUrl: '/t', scriptUrl: SCRIPT }, win as never);
    const site = fetched();
    const fetchToken = preloadedToken(site, { window: win, now });
    const controller = new AbortController();
    const waiting = fetchToken(request({ signal: controller.signal }));
    controller.abort(new DOMException('signed out', 'AbortError'));
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(site).not.toHaveBeenCalled();
  });

  it('is the wrapped fetcher alone on a page without the preload', async () => {
    const site = fetched();
    await preloadedToken(site, { window: {}, now })(request());
    expect(site).toHaveBeenCalledOnce();
  });
});

describe('preload + createActivation over the real adapter and the fake iAdvize', () => {
  it('reaches active with the preloaded token: one script, one activate, no second token request', async () => {
    const fake = await fakeIAdvize();
    const { token, expiresAt } = await issuer.issueWithExpiry({ userId: 'user-42' });
    const endpoint = tokenFetch({ body: { token, expiresAt } });
    Object.assign(fake.window, { fetch: endpoint });
    preload(
      { sid: '1234', tokenUrl: '/api/iadvize-token', scriptUrl: tagScriptUrl(DEFAULT_PLATFORM), identity: 'user-42' },
      fake.window as never,
    );
    const site = fetched();
    const activation = createActivation({
      tag: fake.tag,
      fetchToken: preloadedToken(site, { window: fake.window }),
    }).start();
    activation.signIn('user-42');
    await vi.waitFor(() => expect(activation.getSnapshot().status).not.toMatch(/fetching|activating/));
    expect(activation.getSnapshot(), JSON.stringify(activation.getSnapshot())).toMatchObject({ status: 'active' });
    activation.stop();
    expect(endpoint).toHaveBeenCalledOnce();
    expect(site).not.toHaveBeenCalled();
    expect(fake.window.document.getElementsByTagName('script')).toHaveLength(1);
    expect(fake.calls.count('activate')).toBe(1);
    expect(fake.calls.of('server-check')).toMatchObject([{ ok: true, userId: 'user-42' }]);
  });
});
