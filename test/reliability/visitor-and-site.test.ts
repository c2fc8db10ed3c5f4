// What visitors and sites do at the worst moment: hammering sign-in, signing out in every
// phase, switching accounts without signing out, two controllers on one page. The visitor is
// never shown as someone else, and a signed-out visitor gets no token.
import { describe, expect, it, vi } from 'vitest';
import { createActivation } from '../../src/activation/create-activation.js';
import { ActivationConflictError, TokenRefusedError } from '../../src/errors.js';
import { DEFAULT_FAKE_SID } from '../../src/fake/create-fake-iadvize.js';
import { fetchTokenFrom } from '../../src/activation/fetch-token.js';
import { FAKE_TAG_REASONS } from '../../src/fake/reasons.js';
import { VENDOR_REASONS } from '../../src/tag/contract.js';
import { iAdvizeTag } from '../../src/tag/iadvize-tag.js';
import type { FakeIAdvize } from '../../src/fake/create-fake-iadvize.js';
import { browserOn } from './support/loopback.js';
import {
  activeWithStaleToken,
  backendOf,
  eventually,
  expectFailure,
  fakeIAdvize,
  identityCalls,
  quietFor,
  recordProviders,
  settles,
  startActivation,
} from './support/stack.js';
import { onCleanup } from './support/suite.js';
import { parts, site, useLoopbackSite } from './support/site-fixture.js';

useLoopbackSite();

/** A page on the loopback site: its browser's cookie is the site's session. */
async function pageOnSite() {
  const fake = await fakeIAdvize(parts);
  const browser = browserOn(site);
  const fetchToken = fetchTokenFrom(site.tokenUrl, { fetch: browser.fetch });
  /** The site's own sign-in (session cookie), then the controller's. */
  const signIn = (userId: string, activation: ReturnType<typeof startActivation>) => {
    browser.cookie = site.openSession(userId);
    activation.signIn(userId);
  };
  return { fake, browser, fetchToken, signIn };
}

/** Both sides at rest: the controller active or failed, the tag not activating, the network quiet. */
async function settledOn(fake: FakeIAdvize, activation: ReturnType<typeof startActivation>): Promise<void> {
  await eventually(() => {
    expect(['active', 'failed']).toContain(activation.getSnapshot().status);
    expect(fake.state.activating).toBe(false);
  });
  await quietFor(100);
}

describe('a visitor hammering the page', () => {
  it('1,000 rapid signIn calls: one token fetch, one activate', async () => {
    const fake = await fakeIAdvize(parts);
    const backend = backendOf(parts);
    const activation = startActivation({ tag: fake.tag, fetchToken: backend.fetchToken });
    for (let i = 0; i < 1_000; i += 1) activation.signIn('visitor-1');
    await settles(activation, 'active');
    for (let i = 0; i < 1_000; i += 1) activation.signIn('visitor-1');
    await quietFor(30);
    expect(activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'visitor-1' });
    expect(backend.calls).toHaveLength(1);
    expect(identityCalls(fake)).toEqual(['activate', 'verified:visitor-1']);
  });

  it('1,000 alternating signIn/signOut calls in one tick, ending signed in: one activate', async () => {
    const fake = await fakeIAdvize(parts);
    const backend = backendOf(parts);
    const activation = startActivation({ tag: fake.tag, fetchToken: backend.fetchToken });
    for (let i = 0; i < 1_000; i += 1) {
      activation.signIn('visitor-1');
      activation.signOut();
    }
    activation.signIn('visitor-1');
    await settles(activation, 'active');
    await quietFor(30);
    expect(backend.calls.filter(({ request }) => !request.signal.aborted)).toHaveLength(1);
    expect(identityCalls(fake)).toEqual(['activate', 'verified:visitor-1']);
  });
});

describe('sign-out in every phase', () => {
  it('while fetching the token: the request is aborted on the wire, no activate, no logout', async () => {
    const page = await pageOnSite();
    site.slowMs = 5_000;
    const activation = startActivation({
      tag: page.fake.tag,
      fetchToken: fetchTokenFrom(site.url('/fault/slow'), { fetch: page.browser.fetch }),
    });
    page.signIn('visitor-1', activation);
    await eventually(() => expect(site.requests.at(-1)).toBe('/fault/slow'));
    activation.signOut();
    expect(activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false });
    await eventually(() => expect(site.abandoned).toContain('/fault/slow'));
    // The script loaded from start(); nothing was asked of the tag.
    expect(
      page.fake.calls.entries.filter((call) => call.type !== 'script-requested' && call.type !== 'script-loaded'),
    ).toEqual([]);
  });

  /** Sign-out during the activate, with a tag whose logout cancels it or not (tag-contract.md §8). */
  async function signOutWhileActivating(logout: 'cancels-activation' | 'keeps-activation') {
    const fake = await fakeIAdvize(parts, { faults: { latencyMs: 50 }, readings: { logout } });
    const providers = recordProviders(fake);
    const activation = startActivation({ tag: fake.tag, fetchToken: backendOf(parts).fetchToken });
    const activated: unknown[] = [];
    activation.on('activation.secured', (event) => void activated.push(event));
    activation.signIn('visitor-1');
    await eventually(() => expect(fake.calls.count('provider')).toBe(1));
    activation.signOut();
    await settles(activation, 'inactive');
    // Never two calls at once: the logout came after the tag answered the activate (invariant 7).
    const order = fake.calls.entries
      .map((call) => call.type)
      .filter((type) => type === 'activation-result' || type === 'logout');
    expect(order).toEqual(['activation-result', 'logout']);
    expect(fake.state.status).toBe('inactive');
    expect(activation.getSnapshot().status).toBe('inactive');
    expect(activated).toEqual([]);
    await expect(providers[0]!()).rejects.toThrow(TokenRefusedError);
  }

  it('while activating: the activate is awaited, never reported active, then the tag is logged out; no token after', async () => {
    await signOutWhileActivating('cancels-activation');
  });

  it('while activating, with a tag whose logout cancels nothing: the same, the late session is closed', async () => {
    await signOutWhileActivating('keeps-activation');
  });

  it('while active: logged out, the old provider refuses', async () => {
    const fake = await fakeIAdvize(parts);
    const providers = recordProviders(fake);
    const activation = startActivation({ tag: fake.tag, fetchToken: backendOf(parts).fetchToken });
    activation.signIn('visitor-1');
    await settles(activation, 'active');
    activation.signOut();
    await settles(activation, 'inactive');
    expect(identityCalls(fake)).toEqual(['activate', 'verified:visitor-1', 'logout']);
    expect(fake.state.status).toBe('inactive');
    await expect(providers[0]!()).rejects.toMatchObject({ because: 'not-signed-in' });
  });

  it('while signing out: one logout only', async () => {
    const fake = await fakeIAdvize(parts);
    const activation = startActivation({ tag: fake.tag, fetchToken: backendOf(parts).fetchToken });
    activation.signIn('visitor-1');
    await settles(activation, 'active');
    activation.signOut();
    expect(activation.getSnapshot().status).toBe('signing-out');
    activation.signOut();
    await settles(activation, 'inactive');
    await quietFor(20);
    expect(fake.calls.count('logout')).toBe(1);
  });

  it('while a token refresh is in flight: the refresh is aborted, the tag is refused and logged out', async () => {
    const { fake, backend, activation } = await activeWithStaleToken(parts);
    const reverification = fake.expireSession();
    await eventually(() =>
      expect(backend.calls.map(({ request }) => request.purpose)).toEqual(['activation', 'refresh']),
    );
    activation.signOut();
    await settles(activation, 'inactive');
    await reverification;
    expect(backend.calls[1]!.request.signal.aborted).toBe(true);
    expect(fake.state.status).toBe('inactive');
    expect(identityCalls(fake)).toEqual(['activate', 'verified:visitor-1', 'logout']);
  });
});

describe('switching accounts without signing out', () => {
  it('A active, then B: logout before B is activated, B never gets A’s session, A’s provider refuses', async () => {
    const page = await pageOnSite();
    const providers = recordProviders(page.fake);
    const activation = startActivation({ tag: page.fake.tag, fetchToken: page.fetchToken });
    page.signIn('visitor-a', activation);
    await settles(activation, 'active');
    const seen: string[] = [];
    page.fake.subscribe((state) => seen.push(state.status === 'secured' ? `secured:${state.userId}` : state.status));
    page.signIn('visitor-b', activation);
    expect(await settles(activation, 'active', 'failed')).toMatchObject({ status: 'active', identity: 'visitor-b' });
    expect(page.fake.state).toMatchObject({ status: 'secured', userId: 'visitor-b' });
    expect(identityCalls(page.fake)).toEqual([
      'activate',
      'verified:visitor-a',
      'logout',
      'activate',
      'verified:visitor-b',
    ]);
    // What the page showed in between: A's chat went away before B's came.
    expect(seen.filter((status, index) => status !== seen[index - 1])).toEqual(['inactive', 'secured:visitor-b']);
    await expect(providers[0]!()).rejects.toMatchObject({ because: 'stale-request' });
  });

  // Found by this suite: SIGN_IN used to be absorbed here whatever the identity, leaving the page
  // active as A while the site's session was B's. Another known identity now restarts.
  it('B signs in while A’s token is still being fetched: B is activated, never A', async () => {
    const page = await pageOnSite();
    site.slowMs = 100;
    const activation = startActivation({
      tag: page.fake.tag,
      fetchToken: fetchTokenFrom(site.url('/fault/slow'), { fetch: page.browser.fetch }),
    });
    page.signIn('visitor-a', activation);
    await eventually(() => expect(site.requests.at(-1)).toBe('/fault/slow'));
    page.signIn('visitor-b', activation);
    await settledOn(page.fake, activation);
    expect(activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'visitor-b' });
    expect(page.fake.state).toMatchObject({ status: 'secured', userId: 'visitor-b' });
    expect(identityCalls(page.fake)).not.toContain('verified:visitor-a');
  });

  it('B signs in while A’s activate is in flight: A is logged out before B is activated', async () => {
    const page = await pageOnSite();
    page.fake.faults.latencyMs = 50;
    const activation = startActivation({ tag: page.fake.tag, fetchToken: page.fetchToken });
    page.signIn('visitor-a', activation);
    await eventually(() => expect(page.fake.calls.count('provider')).toBe(1));
    page.signIn('visitor-b', activation);
    await settledOn(page.fake, activation);
    expect(activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'visitor-b' });
    expect(page.fake.state).toMatchObject({ status: 'secured', userId: 'visitor-b' });
    const calls = identityCalls(page.fake);
    expect(calls.indexOf('logout')).toBeLessThan(calls.lastIndexOf('activate'));
    expect(calls.at(-1)).toBe('verified:visitor-b');
  });

  it('B signs in while A is being signed out: B is activated after the logout', async () => {
    const page = await pageOnSite();
    const activation = startActivation({ tag: page.fake.tag, fetchToken: page.fetchToken });
    page.signIn('visitor-a', activation);
    await settles(activation, 'active');
    activation.signOut();
    expect(activation.getSnapshot().status).toBe('signing-out');
    page.signIn('visitor-b', activation);
    expect(await settles(activation, 'active', 'failed')).toMatchObject({ status: 'active', identity: 'visitor-b' });
    expect(identityCalls(page.fake)).toEqual([
      'activate',
      'verified:visitor-a',
      'logout',
      'activate',
      'verified:visitor-b',
    ]);
  });

  it('sign-in during sign-out, then sign-out again: nobody is activated', async () => {
    const page = await pageOnSite();
    const activation = startActivation({ tag: page.fake.tag, fetchToken: page.fetchToken });
    page.signIn('visitor-a', activation);
    await settles(activation, 'active');
    activation.signOut();
    page.signIn('visitor-b', activation);
    activation.signOut();
    await settles(activation, 'inactive');
    await quietFor(30);
    expect(identityCalls(page.fake)).toEqual(['activate', 'verified:visitor-a', 'logout']);
    expect(page.fake.state.status).toBe('inactive');
  });
});

describe('signing in while the anonymous chat is starting', () => {
  it('no second activate beside the anonymous one in flight: the tag is logged out, then the visitor is activated', async () => {
    const fake = await fakeIAdvize(parts);
    fake.load();
    // A slow tag: each activation takes 50 ms to get its option from the page.
    const activate = fake.iAdvize.activate;
    fake.iAdvize.activate = (provider, onResult) =>
      activate(async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return provider();
      }, onResult);
    const activation = startActivation({
      tag: fake.tag,
      fetchToken: backendOf(parts).fetchToken,
      policy: { whenSignedOut: 'anonymous' },
    });
    await eventually(() => expect(fake.state.activating).toBe(true));
    activation.signIn('visitor-1');
    expect(await settles(activation, 'active', 'failed')).toMatchObject({ status: 'active', identity: 'visitor-1' });
    await quietFor(100);
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'visitor-1' });
    expect(fake.calls.of('activation-result').map(({ reason }) => reason)).not.toContain(
      VENDOR_REASONS.activationOngoing,
    );
    expect(identityCalls(fake)).toEqual(['activate', 'logout', 'activate', 'verified:visitor-1']);
  });
});

describe('two controllers on one page', () => {
  it('a second start() for another tag configuration throws ActivationConflictError; for the same one it takes over; never two activations', async () => {
    const fake = await fakeIAdvize(parts);
    const first = startActivation({ tag: fake.tag, fetchToken: backendOf(parts).fetchToken });
    // Another adapter over the same window is the same page: another sid there is a real conflict.
    const otherSite = iAdvizeTag({ sid: 'other-sid', window: fake.window });
    expect(() => startActivation({ tag: otherSite, fetchToken: backendOf(parts).fetchToken })).toThrow(
      ActivationConflictError,
    );
    first.signIn('visitor-1');
    await settles(first, 'active');
    // The same tag again (a hot reload): the first one stops and hands its session over.
    const second = startActivation({ tag: fake.tag, fetchToken: backendOf(parts).fetchToken });
    expect(second.getSnapshot()).toMatchObject({ status: 'active', identity: 'visitor-1' });
    first.signIn('visitor-2'); // stopped: ignored
    await quietFor(30);
    expect(fake.calls.count('activate')).toBe(1);
    // Once stopped, another configuration may take over the page.
    second.stop();
    const third = startActivation({ tag: otherSite, fetchToken: backendOf(parts).fetchToken });
    expect(() => startActivation({ tag: fake.tag, fetchToken: backendOf(parts).fetchToken })).toThrow(
      ActivationConflictError,
    );
    expect(third.getSnapshot().status).toBe('inactive');
  });
});

describe('stop() in every state', () => {
  const DAY_MS = 24 * 60 * 60_000;

  /** A controller under fake timers (XState's delays, the adapter's and the fake's timers alike). */
  async function controllerIn(
    options: {
      fake?: Parameters<typeof fakeIAdvize>[1];
      activation?: Partial<Parameters<typeof startActivation>[0]>;
    } = {},
  ) {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = await fakeIAdvize(parts, options.fake);
    const backend = backendOf(parts);
    const activation = startActivation({ tag: fake.tag, fetchToken: backend.fetchToken, ...options.activation });
    return { fake, backend, activation };
  }

  /**
   * stop(): once its immediate consequences have settled, no timer is left but the fake's own,
   * and nothing reaches the tag however long the page stays open or whatever the site calls.
   */
  async function stopLeavesNothing({
    fake,
    activation,
  }: {
    fake: FakeIAdvize;
    activation: ReturnType<typeof startActivation>;
  }) {
    activation.stop();
    await quietFor(20);
    const logged = fake.calls.entries.length;
    fake.dispose();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(() => activation.signIn('visitor-2')).not.toThrow();
    expect(() => activation.signOut()).not.toThrow();
    await quietFor(20);
    expect(fake.calls.entries.slice(logged)).toEqual([]);
  }

  it('stop() while inactive: nothing left', async () => {
    await stopLeavesNothing(await controllerIn());
  });

  it('stop() while fetching the token: the fetch is aborted, nothing left', async () => {
    const run = await controllerIn();
    run.backend.hold = new Set(['activation']);
    run.activation.signIn('visitor-1');
    await settles(run.activation, 'fetching-token');
    await stopLeavesNothing(run);
    expect(run.backend.calls[0]!.request.signal.aborted).toBe(true);
    expect(run.fake.calls.count('activate')).toBe(0);
  });

  it('stop() while the tag script loads: nothing left, a late script activates no one', async () => {
    const run = await controllerIn({ fake: { faults: { scriptLoad: 'never' } } });
    run.activation.signIn('visitor-1');
    await settles(run.activation, 'activating');
    await stopLeavesNothing(run);
    run.fake.load();
    await quietFor(20);
    expect(run.fake.calls.count('activate')).toBe(0);
  });

  it('stop() while activate is in flight: nothing left', async () => {
    const run = await controllerIn({ fake: { faults: { latencyMs: 60_000 } } });
    run.activation.signIn('visitor-1');
    await eventually(() => expect(run.fake.calls.count('provider')).toBe(1));
    await stopLeavesNothing(run);
  });

  it('stop() while active: nothing left, the provider refuses', async () => {
    const run = await controllerIn();
    const providers = recordProviders(run.fake);
    run.activation.signIn('visitor-1');
    await settles(run.activation, 'active');
    await stopLeavesNothing(run);
    await expect(providers[0]!()).rejects.toMatchObject({ because: 'stopped' });
  });

  it('stop() while a token refresh is in flight: the refresh is aborted, the tag is refused, nothing left', async () => {
    const run = await controllerIn({ activation: { tokenTtlMs: 30_000 } });
    run.backend.hold = new Set(['refresh']);
    run.activation.signIn('visitor-1');
    await settles(run.activation, 'active');
    await vi.advanceTimersByTimeAsync(30_000);
    void run.fake.expireSession();
    await eventually(() => expect(run.backend.calls).toHaveLength(2));
    await stopLeavesNothing(run);
    expect(run.backend.calls[1]!.request.signal.aborted).toBe(true);
    expect(run.fake.calls.of('session-reverification')).toMatchObject([{ ok: false }]);
    expect(run.fake.state.status).toBe('inactive');
  });

  it('stop() while failed: nothing left', async () => {
    const run = await controllerIn({ fake: { faults: { scriptLoad: 'error' } } });
    run.activation.signIn('visitor-1');
    await settles(run.activation, 'failed');
    await stopLeavesNothing(run);
  });

  it('stop() while signing out (logout hanging): nothing left', async () => {
    const run = await controllerIn();
    run.activation.signIn('visitor-1');
    await settles(run.activation, 'active');
    run.fake.iAdvize.logout = () => new Promise<void>(() => undefined);
    run.activation.signOut();
    await settles(run.activation, 'signing-out');
    await stopLeavesNothing(run);
  });

  it('stop() while anonymous: nothing left', async () => {
    const run = await controllerIn({ activation: { policy: { whenSignedOut: 'anonymous' } } });
    await settles(run.activation, 'anonymous');
    await stopLeavesNothing(run);
  });
});

describe('a site listener that throws', () => {
  it('every other listener still sees every change; the error is reported apart, not swallowed', async () => {
    const reported: Array<() => void> = [];
    const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => void reported.push(callback));
    onCleanup(() => spy.mockRestore());
    const fake = await fakeIAdvize(parts);
    const activation = startActivation({
      tag: fake.tag,
      fetchToken: async ({ identity }) => parts.issuer.issue({ userId: identity ?? 'nobody' }),
    });
    activation.subscribe(() => {
      throw new Error('analytics listener bug');
    });
    const seen: string[] = [];
    activation.subscribe((state) => void seen.push(state.status));
    expect(() => activation.signIn('visitor-1')).not.toThrow();
    await settles(activation, 'active');
    // Every change is seen (the tag script becoming ready changes the snapshot, not the status).
    expect(seen.filter((status, index) => status !== seen[index - 1])).toEqual([
      'fetching-token',
      'activating',
      'active',
    ]);
    expect(reported).toHaveLength(seen.length);
    expect(reported[0]).toThrow('analytics listener bug');
  });
});

describe('a controller replaced while a visitor is active', () => {
  // stop() is for the page going away: it never logs the tag out (a multi-page site would end the
  // chat at every navigation). A controller started again for the same tag on the same page (a
  // hot reload, a single-page site rebuilding it) takes over what the tag holds.
  it('B signs in on the new controller: the session it took over is logged out first, then B is active', async () => {
    const fake = await fakeIAdvize(parts);
    const first = startActivation({ tag: fake.tag, fetchToken: backendOf(parts).fetchToken });
    first.signIn('visitor-a');
    await settles(first, 'active');
    first.stop();
    const second = startActivation({ tag: fake.tag, fetchToken: backendOf(parts).fetchToken });
    expect(second.getSnapshot()).toMatchObject({ status: 'active', identity: 'visitor-a' });
    second.signIn('visitor-b');
    await settles(second, 'active');
    expect(second.getSnapshot()).toMatchObject({ status: 'active', identity: 'visitor-b' });
    expect(identityCalls(fake)).toEqual(['activate', 'verified:visitor-a', 'logout', 'activate', 'verified:visitor-b']);
    second.signOut();
    await settles(second, 'inactive');
    expect(fake.state.status).toBe('inactive');
  });

  it("a hot reload re-creates the controller while active: one activate in total, and the tag's next token comes from the new one", async () => {
    const fake = await fakeIAdvize(parts);
    const first = createActivation({ tag: fake.tag, fetchToken: backendOf(parts).fetchToken }).start();
    first.signIn('visitor-a');
    await settles(first, 'active');
    // The module runs again: a new tag adapter for the same sid, a new controller, the same sign-in; the old one is not stopped by hand.
    const reloaded = startActivation({
      tag: iAdvizeTag({ sid: DEFAULT_FAKE_SID, window: fake.window }),
      fetchToken: backendOf(parts).fetchToken,
    });
    reloaded.signIn('visitor-a');
    await settles(reloaded, 'active');
    expect(fake.calls.count('activate')).toBe(1);
    // The old controller is stopped; the provider the tag holds is served by the new one.
    expect(() => first.signIn('visitor-a')).not.toThrow();
    await fake.expireSession();
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'visitor-a' });
    expect(fake.calls.of('session-reverification')).toMatchObject([{ ok: true }]);
    expect(reloaded.getSnapshot().status).toBe('active');
  });

  it('two different tag configurations on one page still conflict', async () => {
    const fake = await fakeIAdvize(parts);
    startActivation({ tag: fake.tag, fetchToken: backendOf(parts).fetchToken });
    const other = createActivation({
      tag: iAdvizeTag({ sid: 'another-site', window: fake.window }),
      fetchToken: backendOf(parts).fetchToken,
    });
    expect(() => other.start()).toThrow(ActivationConflictError);
  });
});
