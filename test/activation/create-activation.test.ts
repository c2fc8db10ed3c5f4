import { describe, expect, expectTypeOf, it } from 'vitest';
import { ACTIVATION_EVENT_NAMES, FAILURES, TokenRefusedError, type ActivationEventName } from '../../src/index.js';
import type { TokenProvider } from '../../src/tag/port.js';
import { fakeJwe, flush } from '../support/scripted-tag.js';
import { harness } from './harness.js';

const securedProvider = (h: ReturnType<typeof harness>, index = 0): TokenProvider => {
  const request = h.tag.activations[index]?.request;
  if (request?.mode !== 'secured') throw new Error(`activation ${index} is not a secured one`);
  return request.provider;
};

/** Marks a promise as handled now; the test asserts its rejection later. */
const handled = <T>(promise: Promise<T>): Promise<T> => {
  promise.catch(() => undefined);
  return promise;
};

/** Signs in, lets the token go stale, and has the tag ask for a new one that does not come yet. */
const refreshInFlight = async (h: ReturnType<typeof harness>): Promise<{ call: Promise<string> }> => {
  h.activation.signIn('u');
  await flush();
  await h.advance(h.activation.actor.getSnapshot().context.tokenTtlMs);
  h.fetchScript = 'manual';
  const call = handled(securedProvider(h)());
  await flush();
  return { call }; // wrapped: returning the promise itself would make the caller await it
};

describe('the public events', () => {
  it('ACTIVATION_EVENT_NAMES names every event on() delivers, each once', () => {
    expectTypeOf<(typeof ACTIVATION_EVENT_NAMES)[number]>().toEqualTypeOf<ActivationEventName>();
    expect(new Set(ACTIVATION_EVENT_NAMES).size).toBe(ACTIVATION_EVENT_NAMES.length);
  });
});

describe('sign-in to active', () => {
  it('fetches a token, activates the tag once with it, and reports active', async () => {
    const h = harness();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false, anonymous: false });
    h.activation.signIn('user-42');
    expect(h.activation.getSnapshot().status).toBe('fetching-token');
    await flush();
    expect(h.activation.getSnapshot()).toEqual({
      status: 'active',
      identity: 'user-42',
      signedIn: true,
      anonymous: false,
      failure: undefined,
      refreshFailure: undefined,
      tag: 'ready',
    });
    expect(h.statuses).toEqual(['fetching-token', 'activating', 'active']);
    expect(h.fetches.map((f) => f.request.purpose)).toEqual(['activation']);
    expect(h.fetches[0]!.request.identity).toBe('user-42');
    expect(h.tag.log).toEqual(['ready', 'activate:secured']);
    expect(h.tag.activations[0]!.token).toBe(fakeJwe('token1'));
    expect(h.events).toEqual([{ type: 'activation.secured', identity: 'user-42' }]);
  });

  it('accepts { token } from fetchToken, as the token handler answers', async () => {
    const h = harness({ fetch: 'manual' });
    h.activation.signIn('u');
    h.fetches[0]!.answer.resolve({ token: fakeJwe('obj') } as unknown as string);
    await flush();
    expect(h.activation.getSnapshot().status).toBe('active');
    expect(h.tag.activations[0]!.token).toBe(fakeJwe('obj'));
  });

  it('getSnapshot returns the same object while nothing changed (useSyncExternalStore)', async () => {
    const h = harness();
    const first = h.activation.getSnapshot();
    expect(h.activation.getSnapshot()).toBe(first);
    h.activation.signIn('u');
    await flush();
    const active = h.activation.getSnapshot();
    expect(active).not.toBe(first);
    h.activation.signIn('u'); // same identity while active: nothing changes
    await flush();
    expect(h.activation.getSnapshot()).toBe(active);
  });
});

describe('token failures', () => {
  it('stay-inactive (default): fails with token-unavailable and never calls activate (invariant 2)', async () => {
    const h = harness({ fetch: 'fail' });
    h.activation.signIn('u');
    await flush();
    const { failure } = h.activation.getSnapshot();
    expect(h.activation.getSnapshot().status).toBe('failed');
    expect(failure).toMatchObject({
      code: 'token-unavailable',
      phase: 'token',
      advice: FAILURES['token-unavailable'].advice,
    });
    expect(failure!.reason).toContain('backend answered 500');
    expect(failure!.reason).not.toContain(fakeJwe('leaked'));
    expect(h.tag.log).toEqual(['ready']); // the tag loads from start(); no activate
    expect(h.events).toEqual([{ type: 'activation.failed', failure }]);
  });

  it('anonymous (opt-in): falls back to an anonymous activation and says why', async () => {
    const h = harness({ fetch: 'fail', policy: { onTokenFailure: 'anonymous' } });
    h.activation.signIn('u');
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({
      status: 'anonymous',
      anonymous: true,
      signedIn: true,
      failure: { code: 'token-unavailable' },
    });
    expect(h.tag.log).toEqual(['ready', 'activate:anonymous']);
    expect(h.events).toEqual([{ type: 'activation.anonymous', fallbackFrom: h.activation.getSnapshot().failure }]);
  });

  it('a token fetch that never settles times out as token-timeout and is aborted', async () => {
    const h = harness({ fetch: 'manual', timeouts: { tokenFetchMs: 5_000 } });
    h.activation.signIn('u');
    await h.advance(4_999);
    expect(h.activation.getSnapshot().status).toBe('fetching-token');
    await h.advance(1);
    expect(h.activation.getSnapshot().failure).toMatchObject({ code: 'token-timeout', phase: 'token' });
    expect(h.fetches[0]!.request.signal.aborted).toBe(true);
    h.fetches[0]!.answer.resolve(fakeJwe('late'));
    await flush();
    expect(h.activation.getSnapshot().status).toBe('failed');
    expect(h.tag.log).toEqual(['ready']); // the tag loads from start(); no activate
  });

  it.each([
    ['an HTML page', '<!doctype html><p>Sign in</p>'],
    ['an empty string', ''],
    ['JSON without a token', { error: 'nope' }],
  ])('fetchToken resolving %s is token-unavailable', async (_, value) => {
    const h = harness({ fetch: 'manual' });
    h.activation.signIn('u');
    h.fetches[0]!.answer.resolve(value as string);
    await flush();
    expect(h.activation.getSnapshot().failure).toMatchObject({
      code: 'token-unavailable',
      reason: expect.stringContaining('without a token'),
    });
    expect(h.tag.log).toEqual(['ready']); // the tag loads from start(); no activate
  });
});

describe('activation failures', () => {
  it('an activate failure is reported with its code and never falls back to anonymous (invariant 3)', async () => {
    const h = harness({
      policy: { onTokenFailure: 'anonymous' },
      tag: {
        activate: { ok: false, code: 'server-error', reason: 'Failed to fetch authentication with a server error' },
      },
    });
    h.activation.signIn('u');
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({
      status: 'failed',
      anonymous: false,
      failure: {
        code: 'server-error',
        phase: 'activation',
        reason: 'Failed to fetch authentication with a server error',
        advice: FAILURES['server-error'].advice,
      },
    });
    await h.advance(10 * 60_000);
    expect(h.tag.log).toEqual(['ready', 'activate:secured']);
  });

  it('a throwing activate is tag-error', async () => {
    const h = harness({ tag: { activate: 'throw' } });
    h.activation.signIn('u');
    await flush();
    expect(h.activation.getSnapshot().failure).toMatchObject({ code: 'tag-error', reason: 'activate exploded' });
  });

  it('a tag that never gets ready is tag-unavailable and activate is never called', async () => {
    const h = harness({ tag: { ready: 'fail' } });
    h.activation.signIn('u');
    await flush();
    expect(h.activation.getSnapshot().failure).toMatchObject({ code: 'tag-unavailable', phase: 'activation' });
    expect(h.tag.log).toEqual(['ready']);
    // The tag never loaded, so signing out has nothing to log out.
    h.activation.signOut();
    await flush();
    expect(h.activation.getSnapshot().status).toBe('inactive');
    expect(h.tag.log).toEqual(['ready']);
  });

  it('an activate that never settles times out; its late success is never reported as active, and is logged out (invariant 7)', async () => {
    const h = harness({ tag: { activate: 'manual' }, timeouts: { activationMs: 20_000 } });
    h.activation.signIn('u');
    await flush();
    await h.advance(20_000);
    expect(h.activation.getSnapshot().failure).toMatchObject({ code: 'activation-timeout', phase: 'activation' });
    // Still listened to: a tag whose logout cancels nothing may yet open the session.
    expect(h.tag.activations[0]!.request.signal.aborted).toBe(false);
    h.tag.activations[0]!.answer.resolve({ ok: true });
    await flush();
    expect(h.activation.getSnapshot().status).toBe('failed');
    expect(h.statuses).not.toContain('active');
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout']);
  });

  it('an activate still unanswered 2 × activationMs after the timeout is given up: aborted, and the tag logged out', async () => {
    const h = harness({ tag: { activate: 'manual' }, timeouts: { activationMs: 20_000 } });
    h.activation.signIn('u');
    await flush();
    await h.advance(20_000);
    await h.advance(39_999);
    expect(h.tag.activations[0]!.request.signal.aborted).toBe(false);
    expect(h.tag.log).toEqual(['ready', 'activate:secured']);
    await h.advance(1);
    expect(h.tag.activations[0]!.request.signal.aborted).toBe(true);
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout']);
    expect(h.activation.getSnapshot().failure).toMatchObject({ code: 'activation-timeout' });
  });

  it('failed has no automatic way out: no retry, whatever the time (invariant 4)', async () => {
    const h = harness({ tag: { activate: { ok: false, code: 'credentials-rejected' } } });
    h.activation.signIn('u');
    await flush();
    await h.advance(24 * 60 * 60_000);
    expect(h.activation.getSnapshot().status).toBe('failed');
    expect(h.tag.activations).toHaveLength(1);
    expect(h.fetches).toHaveLength(1);
  });

  it('a new SIGN_IN after a failed activate logs the tag out first, then tries once', async () => {
    const h = harness({ tag: { activate: { ok: false, code: 'credentials-rejected' } } });
    h.activation.signIn('u');
    await flush();
    h.tag.script.activate = { ok: true };
    h.activation.signIn('u');
    await flush();
    expect(h.activation.getSnapshot().status).toBe('active');
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout', 'activate:secured']);
  });

  it('a new SIGN_IN after a token failure goes straight to a new fetch (nothing to log out)', async () => {
    const h = harness({ fetch: 'fail' });
    h.activation.signIn('u');
    await flush();
    h.fetchScript = 'ok';
    h.activation.signIn('u');
    await flush();
    expect(h.activation.getSnapshot().status).toBe('active');
    expect(h.tag.log).toEqual(['ready', 'activate:secured']);
  });

  it('reset leaves failed for inactive, logging out a tag that may hold a session', async () => {
    const h = harness({ tag: { activate: { ok: false, code: 'unknown', reason: 'weird' } } });
    h.activation.signIn('u');
    await flush();
    h.activation.reset();
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'inactive', failure: undefined, signedIn: false });
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout']);
  });
});

describe('busy and repeated sign-ins', () => {
  it('SIGN_IN of the same or an unknown visitor while fetching or activating is absorbed: one fetch, one activate (invariant 1)', async () => {
    const h = harness({ fetch: 'manual', tag: { activate: 'manual' } });
    h.activation.signIn('u');
    h.activation.signIn('u');
    h.activation.signIn();
    expect(h.fetches).toHaveLength(1);
    h.fetches[0]!.answer.resolve(fakeJwe('t'));
    await flush();
    h.activation.signIn('u');
    h.activation.signIn();
    await flush();
    expect(h.tag.activations).toHaveLength(1);
    h.tag.activations[0]!.answer.resolve({ ok: true });
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'u' });
    expect(h.tag.maxInFlight()).toBe(1);
  });

  it("another visitor signing in while the first one's token is fetched: that fetch is aborted, the new visitor is activated", async () => {
    const h = harness({ fetch: 'manual' });
    h.activation.signIn('alice');
    h.activation.signIn('bob');
    expect(h.fetches.map((f) => f.request.identity)).toEqual(['alice', 'bob']);
    expect(h.fetches[0]!.request.signal.aborted).toBe(true);
    h.fetches[0]!.answer.resolve(fakeJwe('alice'));
    h.fetches[1]!.answer.resolve(fakeJwe('bob'));
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'bob' });
    expect(h.tag.activations.map((a) => a.token)).toEqual([fakeJwe('bob')]);
  });

  it('another visitor signing in during the activate: that activation is dropped, the tag logged out, then the new visitor activated', async () => {
    const h = harness({ tag: { activate: 'manual' } });
    h.activation.signIn('alice');
    await flush();
    h.activation.signIn('bob');
    await flush();
    // Alice's activate still runs at the tag: nothing else is called before it answers (invariant 7).
    expect(h.tag.activations[0]!.request.signal.aborted).toBe(false);
    expect(h.tag.log).toEqual(['ready', 'activate:secured']);
    h.tag.activations[0]!.answer.resolve({ ok: true });
    await flush();
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout', 'activate:secured']);
    h.tag.activations[1]!.answer.resolve({ ok: true });
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'bob' });
    expect(h.events.filter((e) => e.type === 'activation.secured')).toEqual([
      { type: 'activation.secured', identity: 'bob' },
    ]);
  });

  it('1,000 rapid signIn calls make one activate', async () => {
    const h = harness();
    for (let i = 0; i < 1_000; i += 1) h.activation.signIn('u');
    await flush();
    expect(h.tag.activations).toHaveLength(1);
    expect(h.fetches).toHaveLength(1);
  });

  it('SIGN_IN with the same identity while active does nothing', async () => {
    const h = harness();
    h.activation.signIn('u');
    await flush();
    h.activation.signIn('u');
    await flush();
    expect(h.tag.log).toEqual(['ready', 'activate:secured']);
  });

  it.each([
    ['a different identity', 'someone-else'],
    ['an unknown identity', undefined],
  ])('SIGN_IN with %s while active logs out first, then signs in (account switch)', async (_, next) => {
    const h = harness();
    h.activation.signIn('alice');
    await flush();
    h.activation.signIn(next);
    expect(h.activation.getSnapshot().status).toBe('signing-out');
    await flush();
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout', 'activate:secured']);
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', identity: next });
    expect(h.fetches.map((f) => f.request.identity)).toEqual(['alice', next]);
    // Alice's provider, still held by the tag, gives nothing to the new visitor.
    await expect(securedProvider(h, 0)()).rejects.toMatchObject({ because: 'stale-request' });
    // Token 2 went to the activation; the next call gets a token nobody got before.
    expect(h.tag.activations[1]!.token).toBe(fakeJwe('token2'));
    await expect(securedProvider(h, 1)()).resolves.toBe(fakeJwe('token3'));
  });

  it('a logout that fails during an account switch never activates the next identity', async () => {
    const h = harness();
    h.activation.signIn('alice');
    await flush();
    h.tag.script.logout = 'fail';
    h.activation.signIn('bob');
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({
      status: 'failed',
      failure: { code: 'logout-failed', phase: 'logout' },
    });
    expect(h.tag.activations).toHaveLength(1);
    expect(h.fetches).toHaveLength(1);
  });

  it('a logout that never settles is logout-failed after timeouts.logoutMs', async () => {
    const h = harness({ timeouts: { logoutMs: 3_000 } });
    h.activation.signIn('alice');
    await flush();
    h.tag.script.logout = 'manual';
    h.activation.signOut();
    await h.advance(3_000);
    expect(h.activation.getSnapshot().failure).toMatchObject({ code: 'logout-failed' });
  });

  it('SIGN_IN during signing out signs in once the logout is done; a SIGN_OUT cancels it', async () => {
    const h = harness({ tag: { logout: 'manual' } });
    h.activation.signIn('alice');
    await flush();
    h.activation.signOut();
    h.activation.signIn('bob');
    h.tag.logouts[0]!.resolve();
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'bob' });

    h.activation.signOut();
    h.activation.signIn('carol');
    h.activation.signOut();
    h.tag.logouts[1]!.resolve();
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false });
    expect(h.fetches.map((f) => f.request.identity)).toEqual(['alice', 'bob']);
  });
});

describe('sign-out', () => {
  it('during the token fetch aborts it; the tag is never touched', async () => {
    const h = harness({ fetch: 'manual' });
    h.activation.signIn('u');
    h.activation.signOut();
    expect(h.activation.getSnapshot().status).toBe('inactive');
    expect(h.fetches[0]!.request.signal.aborted).toBe(true);
    h.fetches[0]!.answer.resolve(fakeJwe('late'));
    await flush();
    expect(h.activation.getSnapshot().status).toBe('inactive');
    expect(h.tag.log).toEqual(['ready']); // the tag loads from start(); no activate
  });

  it('during activating: the late success is never reported as active, and the tag is logged out', async () => {
    const h = harness({ tag: { activate: 'manual' } });
    h.activation.signIn('u');
    await flush();
    h.activation.signOut();
    await flush();
    expect(h.tag.activations[0]!.request.signal.aborted).toBe(false);
    expect(h.activation.getSnapshot().status).toBe('signing-out');
    h.tag.activations[0]!.answer.resolve({ ok: true }); // the tag's logout did not cancel it (§8)
    await flush();
    expect(h.activation.getSnapshot().status).toBe('inactive');
    expect(h.statuses).not.toContain('active');
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout']);
    expect(h.events.filter((e) => e.type === 'activation.secured')).toEqual([]);
  });

  it('while active: logs out, and the provider hands out no token afterwards (invariant 5)', async () => {
    const h = harness();
    h.activation.signIn('u');
    await flush();
    const provider = securedProvider(h);
    h.activation.signOut();
    expect(h.activation.getSnapshot().status).toBe('signing-out');
    await flush();
    expect(h.activation.getSnapshot()).toEqual({
      status: 'inactive',
      identity: undefined,
      signedIn: false,
      anonymous: false,
      failure: undefined,
      refreshFailure: undefined,
      tag: 'ready',
    });
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout']);
    const refusal = provider();
    await expect(refusal).rejects.toBeInstanceOf(TokenRefusedError);
    await expect(refusal).rejects.toMatchObject({ because: 'not-signed-in' });
  });

  it('SIGN_OUT while signed out does nothing', async () => {
    const h = harness();
    h.activation.signOut();
    await flush();
    expect(h.statuses).toEqual([]);
    expect(h.tag.log).toEqual(['ready']); // the tag loads from start(); no activate
  });
});

describe('token refresh (the tag calls the provider again)', () => {
  it('hands each token to one provider call only, then fetches a new one shared by concurrent calls (invariant 8)', async () => {
    const h = harness({ tokenTtlMs: 30_000 });
    h.activation.signIn('u');
    await flush();
    expect(h.tag.activations[0]!.token).toBe(fakeJwe('token1'));
    const provider = securedProvider(h);
    h.fetchScript = 'manual';
    const calls = [provider(), provider(), provider()];
    await flush();
    expect(h.fetches).toHaveLength(2);
    expect(h.fetches[1]!.request.purpose).toBe('refresh');
    h.fetches[1]!.answer.resolve(fakeJwe('refreshed'));
    await expect(Promise.all(calls)).resolves.toEqual([
      fakeJwe('refreshed'),
      fakeJwe('refreshed'),
      fakeJwe('refreshed'),
    ]);
    // A later call (a tag retry) gets a token no call got before.
    h.fetchScript = 'ok';
    await expect(provider()).resolves.toBe(fakeJwe('token3'));
    expect(h.events.map((e) => e.type)).toEqual(['activation.secured', 'token.refreshed', 'token.refreshed']);
    expect(h.activation.getSnapshot().status).toBe('active');
  });

  it('a token whose expiry passes before the tag asks for it is never handed out: a new one is fetched (invariant 8)', async () => {
    const h = harness({ tokenTtlMs: 30_000, fetch: 'manual', tag: { activate: 'manual' } });
    // The tag asks only once it is ready: hold the first token past its expiry first.
    h.activation.signIn('u');
    h.fetches[0]!.answer.resolve({ token: fakeJwe('short'), expiresAt: h.clock.now() + 6_000 } as unknown as string);
    await flush();
    const provider = securedProvider(h);
    h.clock.increment(1_000); // past expiresAt − 5 s, before the tokenTtl timer
    h.fetchScript = 'ok';
    await expect(provider()).resolves.toBe(fakeJwe('token2'));
    expect(h.fetches.map((f) => f.request.purpose)).toEqual(['activation', 'refresh']);
  });

  it('a token that arrives already expired (or within the 5 s margin) is token-unavailable, never handed out', async () => {
    const h = harness({ tokenTtlMs: 30_000, fetch: 'manual' });
    h.activation.signIn('u');
    h.fetches[0]!.answer.resolve({ token: fakeJwe('late'), expiresAt: h.clock.now() + 4_000 } as unknown as string);
    await flush();
    expect(h.activation.getSnapshot().failure).toMatchObject({ code: 'token-unavailable', phase: 'token' });
    expect(h.activation.getSnapshot().failure!.reason).toMatch(/expires within 5 s/);
    expect(h.tag.activations).toHaveLength(0);
  });

  it('an unused token is dropped after tokenTtlMs: the first provider call after that fetches anew', async () => {
    const h = harness({ tokenTtlMs: 10_000, fetch: 'manual', tag: { activate: 'manual' } });
    h.activation.signIn('u');
    h.fetches[0]!.answer.resolve({
      token: fakeJwe('long'),
      expiresAt: h.clock.now() + 10 * 60_000,
    } as unknown as string);
    await flush();
    await h.advance(10_000);
    expect(h.activation.actor.getSnapshot().context.token).toBeUndefined();
    h.fetchScript = 'ok';
    await expect(securedProvider(h)()).resolves.toBe(fakeJwe('token2'));
  });

  it('a failed refresh is reported (event and state), refuses the waiting calls, and is not retried', async () => {
    const h = harness({ tokenTtlMs: 1_000 });
    h.activation.signIn('u');
    await flush();
    const provider = securedProvider(h);
    await h.advance(1_000);
    h.fetchScript = 'fail';
    await expect(provider()).rejects.toMatchObject({ because: 'refresh-failed' });
    const state = h.activation.getSnapshot();
    // The tag asked and got nothing: the status no longer vouches for a secured chat (invariant 9).
    expect(state).toMatchObject({
      status: 'failed',
      refreshFailure: { code: 'token-unavailable', phase: 'refresh' },
      failure: { phase: 'refresh' },
    });
    expect(h.events.at(-1)).toEqual({ type: 'token.refreshFailed', failure: state.refreshFailure });
    await h.advance(60 * 60_000);
    expect(h.fetches).toHaveLength(2);

    // The tag asks again: that is the tag's decision, and one more fetch serves it.
    h.fetchScript = 'ok';
    await expect(provider()).resolves.toBe(fakeJwe('token3'));
    expect(h.activation.getSnapshot()).toMatchObject({
      status: 'active',
      refreshFailure: undefined,
      failure: undefined,
    });
  });

  it('after a failed refresh, signIn(sameId) recovers the visitor: one logout, one activate (an action of the site)', async () => {
    const h = harness({ tokenTtlMs: 1_000 });
    h.activation.signIn('u');
    await flush();
    h.fetchScript = 'fail';
    await expect(securedProvider(h)()).rejects.toMatchObject({ because: 'refresh-failed' });
    h.fetchScript = 'ok';
    h.activation.signIn('u');
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'u', failure: undefined });
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout', 'activate:secured']);
  });

  it('after a failed refresh, reset() logs out and ends inactive; elsewhere it is refused with false', async () => {
    const h = harness({ tokenTtlMs: 1_000 });
    expect(h.activation.reset()).toBe(false);
    h.activation.signIn('u');
    await flush();
    expect(h.activation.reset()).toBe(false);
    expect(h.activation.getSnapshot().status).toBe('active');
    h.fetchScript = 'fail';
    await expect(securedProvider(h)()).rejects.toMatchObject({ because: 'refresh-failed' });
    expect(h.activation.reset()).toBe(true);
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false, failure: undefined });
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout']);
  });

  it('a refresh that never settles is token-timeout', async () => {
    const h = harness({ tokenTtlMs: 1_000, timeouts: { tokenFetchMs: 2_000 } });
    const { call } = await refreshInFlight(h);
    await h.advance(2_000);
    await expect(call).rejects.toMatchObject({ because: 'refresh-failed' });
    expect(h.activation.getSnapshot().refreshFailure).toMatchObject({ code: 'token-timeout' });
    expect(h.fetches[1]!.request.signal.aborted).toBe(true);
  });

  it('sign-out while a refresh is in flight refuses the waiting provider calls', async () => {
    const h = harness({ tokenTtlMs: 1_000 });
    const { call } = await refreshInFlight(h);
    h.activation.signOut();
    await expect(call).rejects.toMatchObject({ because: 'not-signed-in' });
    expect(h.fetches[1]!.request.signal.aborted).toBe(true);
  });
});

describe('whenSignedOut: anonymous', () => {
  it('activates anonymously at start, upgrades to secured without logout, and returns to anonymous after sign-out', async () => {
    const h = harness({ policy: { whenSignedOut: 'anonymous' } });
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({
      status: 'anonymous',
      anonymous: true,
      signedIn: false,
      failure: undefined,
    });
    h.activation.signIn('u');
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', anonymous: false });
    expect(h.tag.log).toEqual(['ready', 'activate:anonymous', 'activate:secured']);
    h.activation.signOut();
    await flush();
    expect(h.activation.getSnapshot().status).toBe('anonymous');
    expect(h.tag.log.slice(3)).toEqual(['logout', 'activate:anonymous']);
  });

  it('a token failure while anonymous keeps the anonymous session without a second anonymous activate', async () => {
    const h = harness({ policy: { whenSignedOut: 'anonymous', onTokenFailure: 'anonymous' }, fetch: 'fail' });
    await flush();
    h.activation.signIn('u');
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'anonymous', failure: { code: 'token-unavailable' } });
    expect(h.tag.log).toEqual(['ready', 'activate:anonymous']);
  });

  it('an anonymous fallback signs out through logout', async () => {
    const h = harness({ policy: { onTokenFailure: 'anonymous' }, fetch: 'fail' });
    h.activation.signIn('u');
    await flush();
    h.activation.signOut();
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'inactive', anonymous: false, failure: undefined });
    expect(h.tag.log).toEqual(['ready', 'activate:anonymous', 'logout']);
  });

  it('a failed anonymous activation is reported with its phase', async () => {
    const h = harness({
      policy: { whenSignedOut: 'anonymous' },
      tag: { activate: { ok: false, code: 'server-error' } },
    });
    await flush();
    expect(h.activation.getSnapshot().failure).toMatchObject({ code: 'server-error', phase: 'anonymous-activation' });
  });
});

describe('lifecycle', () => {
  it('stop() aborts work in flight, refuses waiting provider calls and ignores later calls', async () => {
    const h = harness({ tokenTtlMs: 1_000 });
    const { call } = await refreshInFlight(h);
    h.activation.stop();
    await expect(call).rejects.toMatchObject({ because: 'stopped' });
    await expect(securedProvider(h)()).rejects.toMatchObject({ because: 'stopped' });
    expect(h.fetches[1]!.request.signal.aborted).toBe(true);
    h.activation.signIn('other');
    await h.advance(60 * 60_000);
    expect(h.tag.activations).toHaveLength(1);
    expect(h.fetches).toHaveLength(2);
  });

  it('on() returns an unsubscribe function', async () => {
    const h = harness({ fetch: 'fail' });
    const seen: string[] = [];
    const off = h.activation.on('activation.failed', (e) => seen.push(e.failure.code));
    h.activation.signIn('u');
    await flush();
    off();
    h.activation.signIn('u');
    await flush();
    expect(seen).toEqual(['token-unavailable']);
    expect(h.events.filter((e) => e.type === 'activation.failed')).toHaveLength(2);
  });

  it('subscribe returns an unsubscribe function', async () => {
    const h = harness();
    const seen: string[] = [];
    const off = h.activation.subscribe((s) => seen.push(s.status));
    h.activation.signIn('u');
    off();
    await flush();
    expect(seen).toEqual(['fetching-token']);
  });
});

describe('sign-out while signing out', () => {
  it('forgets the previous visitor too: after a failed logout and a new sign-in, SIGN_OUT settles signed out', async () => {
    const h = harness();
    h.activation.signIn('alice');
    await flush();
    h.tag.script.logout = 'fail';
    h.activation.signIn('bob'); // account switch; the logout fails
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'failed', identity: 'alice' });
    h.tag.script.logout = 'manual';
    h.activation.signIn('bob'); // from failed: log out first, bob queued
    h.activation.signOut(); // the site signs out before the logout is done
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'signing-out', signedIn: false, identity: undefined });
    h.tag.logouts[1]!.resolve();
    await flush();
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false, identity: undefined });
    expect(h.tag.activations).toHaveLength(1);
  });
});

describe('after a failed logout', () => {
  it('the next sign-out logs the tag out again: an activate still in flight may have landed', async () => {
    const h = harness({ tag: { activate: 'manual', logout: 'fail' } });
    h.activation.signIn('alice');
    await flush();
    h.activation.signOut(); // during the activate: the logout waits for its answer
    await flush();
    h.tag.activations[0]!.answer.resolve({ ok: true }); // the tag finishes alice's activation
    await flush();
    expect(h.activation.getSnapshot().failure).toMatchObject({ code: 'logout-failed' });
    h.tag.script.logout = 'ok';
    h.activation.signOut();
    await flush();
    expect(h.activation.getSnapshot().status).toBe('inactive');
    expect(h.tag.log).toEqual(['ready', 'activate:secured', 'logout', 'logout']);
  });
});
