// The real-tag adapter against hand-written tags that misbehave on purpose, through the
// vendor's queue on a fake window: loading, timeouts, stale requests, odd activate answers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  anonymousOption,
  AUTHENTICATION_FAILURE,
  AUTHENTICATION_SUCCESS,
  INTERFACE_QUEUE,
  securedOption,
  VENDOR_REASONS,
} from '../../src/tag/contract.js';
import { iAdvizeTag, type IAdvizeTagOptions } from '../../src/tag/iadvize-tag.js';
import type { ActivateRequest, TagOutcome } from '../../src/tag/port.js';
import type { TagWindow, VendorProvider, VendorResultCallback } from '../../src/tag/vendor-api.js';
import { createCallLog } from '../../src/fake/call-log.js';
import { createFakeWindow, type FakeScriptElement, type FakeWindow } from '../../src/fake/window.js';
import { takeOverQueue } from '../../src/fake/install-tag.js';

const SUCCESS = { authentication: { option: { type: 'SECURED_AUTHENTICATION' }, status: AUTHENTICATION_SUCCESS } };
const FAKE_JWE = 'eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.a2V5.aXY.Y2lwaGVy.dGFn';

type Activate = (provider: VendorProvider, onResult?: VendorResultCallback) => unknown;

/** A hand-written tag: `activate` and `logout` as the test wants them. */
function stubTag(activate: Activate = async () => SUCCESS, logout: () => unknown = async () => undefined) {
  return { activate: vi.fn(activate), logout: vi.fn(logout) };
}

/** The tag's script running: it takes over the queue, as the vendor's does. */
function load(win: TagWindow, iAdvize: unknown): void {
  takeOverQueue(win, iAdvize as never, createCallLog());
}

const secured = (signal = new AbortController().signal, token = FAKE_JWE): ActivateRequest => ({
  mode: 'secured',
  provider: async () => token,
  signal,
});

let win: FakeWindow;
let scripts: FakeScriptElement[];
let unhandled: unknown[];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeEach(() => {
  scripts = [];
  win = createFakeWindow((script) => void scripts.push(script));
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});

afterEach(async () => {
  vi.useRealTimers();
  // Let any stray rejection surface before checking that none did.
  await new Promise((resolve) => setTimeout(resolve, 0));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

const adapter = (options: Partial<IAdvizeTagOptions> = {}) => iAdvizeTag({ sid: '1234', window: win, ...options });

describe('loading the tag', () => {
  it("declares the vendor's queue with the sid and adds the platform's async script on first use", async () => {
    const tag = adapter({ platform: 'sd' });
    expect(win[INTERFACE_QUEUE]).toBeUndefined();
    const ready = tag.ready({ signal: new AbortController().signal });
    expect(Array.isArray(win[INTERFACE_QUEUE])).toBe(true);
    expect(win[INTERFACE_QUEUE]?.config).toEqual({ sid: '1234' });
    expect(scripts.map((script) => [script.src, script.async])).toEqual([['//sd.iadvize.com/iadvize.js', true]]);
    load(win, stubTag());
    await expect(ready).resolves.toBeUndefined();
  });

  it('keeps what the page queued and configured before, and adds the script once', async () => {
    const pageFunction = vi.fn();
    win[INTERFACE_QUEUE] = Object.assign([pageFunction], { config: { sid: 'old', lang: 'fr' } });
    const tag = adapter({ scriptUrl: '/local/iadvize.js' });
    const signal = new AbortController().signal;
    const first = tag.ready({ signal });
    const second = tag.ready({ signal });
    expect(win[INTERFACE_QUEUE]?.config).toEqual({ sid: '1234', lang: 'fr' });
    expect(scripts.map((script) => script.src)).toEqual(['/local/iadvize.js']);
    const iAdvize = stubTag();
    load(win, iAdvize);
    await Promise.all([first, second]);
    expect(pageFunction).toHaveBeenCalledWith(iAdvize);
  });

  it("uses the page's own tag script (another protocol or query) instead of adding one", async () => {
    const own = win.document.createElement('script');
    own.src = 'https://ha.iadvize.com/iadvize.js?sid=1234';
    win.document.head.appendChild(own);
    void adapter().ready({ signal: new AbortController().signal });
    expect(scripts).toEqual([own]);
  });

  it('adds no script when told the page loads the tag itself', () => {
    void adapter({ injectScript: false }).ready({ signal: new AbortController().signal });
    expect(scripts).toEqual([]);
    expect(win[INTERFACE_QUEUE]?.config?.sid).toBe('1234');
  });

  it('is ready at once when the tag loaded before the adapter was used', async () => {
    win[INTERFACE_QUEUE] = [];
    load(win, stubTag());
    await expect(adapter().ready({ signal: new AbortController().signal })).resolves.toBeUndefined();
  });

  it('rejects after loadTimeoutMs when the script never loads, and a late load then does nothing stale', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const tag = adapter({ loadTimeoutMs: 5_000 });
    const ready = tag.ready({ signal: new AbortController().signal });
    const outcome = expect(ready).rejects.toThrow('the iAdvize tag did not load within 5000 ms');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await outcome;
    expect(vi.getTimerCount()).toBe(0);
    const iAdvize = stubTag();
    load(win, iAdvize);
    expect(iAdvize.activate).not.toHaveBeenCalled();
    await expect(tag.ready({ signal: new AbortController().signal })).resolves.toBeUndefined();
  });

  it('defaults to a 15 s load timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let rejected = false;
    adapter()
      .ready({ signal: new AbortController().signal })
      .catch(() => (rejected = true));
    await vi.advanceTimersByTimeAsync(14_999);
    expect(rejected).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(rejected).toBe(true);
  });

  it("fails fast on the script's error event: ready rejects, activate answers tag-unavailable, logout has nothing to do", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const tag = adapter();
    const ready = tag.ready({ signal: new AbortController().signal });
    const pending = tag.activate(secured());
    scripts[0]?.fail();
    await expect(ready).rejects.toThrow(/failed to load from \/\/ha\.iadvize\.com\/iadvize\.js/);
    await expect(pending).resolves.toMatchObject({ ok: false, code: 'tag-unavailable' });
    await expect(tag.activate(secured())).resolves.toMatchObject({ ok: false, code: 'tag-unavailable' });
    await expect(tag.ready({ signal: new AbortController().signal })).rejects.toThrow(/failed to load/);
    await expect(tag.logout({ signal: new AbortController().signal })).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops waiting when aborted, leaving no timer behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const controller = new AbortController();
    const ready = adapter().ready({ signal: controller.signal });
    controller.abort();
    await expect(ready).rejects.toThrow(/cancelled/);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports a page queue it cannot push to, instead of throwing into the page', async () => {
    win[INTERFACE_QUEUE] = {} as never;
    const tag = adapter();
    await expect(tag.ready({ signal: new AbortController().signal })).rejects.toThrow(/could not queue/);
    await expect(tag.activate(secured())).resolves.toMatchObject({
      ok: false,
      code: 'tag-error',
      reason: expect.stringMatching(/could not queue/),
    });
  });

  it('fits a real browser window (type check)', () => {
    const fits = (page: Window & typeof globalThis): TagWindow => page;
    expect(typeof fits).toBe('function');
  });
});

describe('activate', () => {
  it('hands the tag a provider that wraps each fresh token in the secured option', async () => {
    const tokens = ['first', 'second'];
    let answers: unknown[] = [];
    const iAdvize = stubTag(async (provider) => {
      answers = [await provider(), await provider()];
      return SUCCESS;
    });
    load(win, iAdvize);
    const outcome = await adapter().activate({
      mode: 'secured',
      provider: async () => tokens.shift() as string,
      signal: new AbortController().signal,
    });
    expect(outcome).toEqual({ ok: true });
    expect(answers).toEqual([securedOption('first'), securedOption('second')]);
  });

  it("passes the site's refusal to give a token on to the tag", async () => {
    let refusal: unknown;
    load(
      win,
      stubTag(async (provider) =>
        Promise.resolve(provider()).then(
          () => SUCCESS,
          (error: unknown) => ((refusal = error), SUCCESS),
        ),
      ),
    );
    await adapter().activate({
      mode: 'secured',
      provider: () => Promise.reject(new Error('signed out')),
      signal: new AbortController().signal,
    });
    expect(refusal).toEqual(new Error('signed out'));
  });

  it.each([
    ['the default anonymous type', {}, anonymousOption()],
    [
      "the older README's type when configured",
      { anonymousType: 'ANONYMOUS' },
      { authenticationOption: { type: 'ANONYMOUS' } },
    ],
  ])('activates anonymously with %s', async (_, options, expected) => {
    let option: unknown;
    load(
      win,
      stubTag(async (provider) => ((option = await provider()), SUCCESS)),
    );
    await expect(
      adapter(options).activate({ mode: 'anonymous', signal: new AbortController().signal }),
    ).resolves.toEqual({ ok: true });
    expect(option).toEqual(expected);
  });

  it("maps a vendor failure reason with the contract's patterns", async () => {
    load(
      win,
      stubTag(async () => ({
        authentication: {
          option: { type: 'SECURED_AUTHENTICATION', token: FAKE_JWE },
          status: AUTHENTICATION_FAILURE,
          reason: VENDOR_REASONS.alreadyActivated,
        },
      })),
    );
    await expect(adapter().activate(secured())).resolves.toEqual({
      ok: false,
      code: 'already-activated',
      reason: VENDOR_REASONS.alreadyActivated,
    });
  });

  const throwing: Array<[string, Activate]> = [
    [
      'throws',
      () => {
        throw new Error(`bad token ${FAKE_JWE}`);
      },
    ],
    ['rejects', () => Promise.reject(new Error(`bad token ${FAKE_JWE}`))],
  ];
  it.each(throwing)('answers tag-error, with the reason redacted, when activate %s', async (how, activate) => {
    load(win, stubTag(activate));
    const outcome = (await adapter().activate(secured())) as Extract<TagOutcome, { ok: false }>;
    expect(outcome).toMatchObject({
      ok: false,
      code: 'tag-error',
      reason: expect.stringContaining(`iAdvize.activate ${how === 'throws' ? 'threw' : 'rejected'}: bad token`),
    });
    expect(outcome.reason).not.toContain(FAKE_JWE);
  });

  it.each([
    ['a number', () => 42],
    ['an object of another shape', () => ({ authenticated: true })],
    ['a promise of garbage', async () => 'yes'],
  ])('answers unknown when activate returns %s', async (_, activate) => {
    load(win, stubTag(activate));
    await expect(adapter().activate(secured())).resolves.toMatchObject({
      ok: false,
      code: 'unknown',
      reason: expect.stringMatching(/unexpected activation result/),
    });
  });

  it('answers tag-error when the iAdvize object has no activate function', async () => {
    load(win, { logout: async () => undefined });
    await expect(adapter().activate(secured())).resolves.toEqual({
      ok: false,
      code: 'tag-error',
      reason: 'the iAdvize object handed to queued functions has no activate function',
    });
  });

  it('treats a promise of nothing as an acknowledgement: the result comes through the callback later (§8)', async () => {
    let answer: VendorResultCallback | undefined;
    load(
      win,
      stubTag(async (_, onResult) => {
        answer = onResult;
        return undefined;
      }),
    );
    const outcome = adapter().activate(secured());
    let settled = false;
    void outcome.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(settled).toBe(false);
    answer?.(SUCCESS as never);
    answer?.({
      authentication: { option: { type: 'x' }, status: 'authentication-failure', reason: 'duplicate' },
    } as never);
    await expect(outcome).resolves.toEqual({ ok: true });
  });

  it('takes the answer from the callback when activate returns nothing', async () => {
    let answer: VendorResultCallback | undefined;
    load(
      win,
      stubTag((_, onResult) => void (answer = onResult)),
    );
    const outcome = adapter().activate(secured());
    answer?.(SUCCESS as never);
    await expect(outcome).resolves.toEqual({ ok: true });
  });

  it('keeps the first answer when the callback and the promise disagree', async () => {
    load(
      win,
      stubTag(async (_, onResult) => {
        onResult?.({
          authentication: {
            option: { type: 'SECURED_AUTHENTICATION' },
            status: AUTHENTICATION_FAILURE,
            reason: VENDOR_REASONS.serverError,
          },
        });
        return SUCCESS;
      }),
    );
    await expect(adapter().activate(secured())).resolves.toMatchObject({ ok: false, code: 'server-error' });
  });

  it('stops waiting for an activate that never settles once aborted, and ignores its late answer', async () => {
    let answer: ((value: unknown) => void) | undefined;
    let callback: VendorResultCallback | undefined;
    load(
      win,
      stubTag((_, onResult) => new Promise((resolve) => ((answer = resolve), (callback = onResult)))),
    );
    const controller = new AbortController();
    const outcome = adapter().activate(secured(controller.signal));
    controller.abort();
    await expect(outcome).resolves.toEqual({ ok: false, code: 'unknown', reason: 'cancelled before the tag answered' });
    answer?.(SUCCESS);
    callback?.(SUCCESS as never);
    await expect(outcome).resolves.toMatchObject({ ok: false });
  });

  it('does not run a queued activation whose request was aborted before the tag loaded', async () => {
    const controller = new AbortController();
    const tag = adapter();
    const outcome = tag.activate(secured(controller.signal));
    controller.abort();
    await expect(outcome).resolves.toMatchObject({ ok: false, reason: 'cancelled before the tag answered' });
    const iAdvize = stubTag();
    load(win, iAdvize);
    expect(iAdvize.activate).not.toHaveBeenCalled();
  });

  it('does not activate when the request was aborted before the call', async () => {
    const iAdvize = stubTag();
    load(win, iAdvize);
    const controller = new AbortController();
    controller.abort();
    await expect(adapter().activate(secured(controller.signal))).resolves.toMatchObject({ ok: false, code: 'unknown' });
    expect(iAdvize.activate).not.toHaveBeenCalled();
  });
});

describe('logout', () => {
  it('queues iAdvize.logout() and waits for it', async () => {
    let finish: (() => void) | undefined;
    const iAdvize = stubTag(undefined, () => new Promise<void>((resolve) => (finish = resolve)));
    load(win, iAdvize);
    let done = false;
    const logout = adapter()
      .logout({ signal: new AbortController().signal })
      .then(() => (done = true));
    await Promise.resolve();
    expect(iAdvize.logout).toHaveBeenCalledOnce();
    expect(done).toBe(false);
    finish?.();
    await logout;
    expect(done).toBe(true);
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('boom')), /iAdvize\.logout rejected: boom/],
    [
      'throws',
      () => {
        throw new Error('boom');
      },
      /iAdvize\.logout threw: boom/,
    ],
  ])('rejects when the tag logout %s', async (_, logout, message) => {
    load(win, stubTag(undefined, logout));
    await expect(adapter().logout({ signal: new AbortController().signal })).rejects.toThrow(message);
  });

  it('rejects when the iAdvize object has no logout function', async () => {
    load(win, { activate: async () => SUCCESS });
    await expect(adapter().logout({ signal: new AbortController().signal })).rejects.toThrow(
      'the iAdvize object handed to queued functions has no logout function',
    );
  });

  it('rejects when aborted while the tag logout hangs', async () => {
    load(
      win,
      stubTag(undefined, () => new Promise(() => undefined)),
    );
    const controller = new AbortController();
    const logout = adapter().logout({ signal: controller.signal });
    controller.abort();
    await expect(logout).rejects.toThrow(/cancelled/);
  });

  it('resolves at once before the tag loads; the queued logout still runs first when it does', async () => {
    const tag = adapter();
    await expect(tag.logout({ signal: new AbortController().signal })).resolves.toBeUndefined();
    const order: string[] = [];
    void tag.activate(secured());
    const iAdvize = stubTag(
      async () => (order.push('activate'), SUCCESS),
      async () => void order.push('logout'),
    );
    load(win, iAdvize);
    expect(order).toEqual(['logout', 'activate']);
  });
});
