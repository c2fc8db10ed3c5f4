// The iAdvize tag misbehaving: blocked or late scripts, an `iAdvize` object that throws,
// answers garbage, never answers or lacks methods. Each fault reaches the snapshot as its code;
// nothing is thrown into the page, and the suite guard sees no unhandled rejection.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { FetchToken } from '../../src/activation/options.js';
import { INTERFACE_QUEUE } from '../../src/tag/contract.js';
import type { TagInterface } from '../../src/tag/vendor-api.js';
import type { FakeIAdvize } from '../../src/fake/create-fake-iadvize.js';
import type { FakeIAdvizeApi } from '../../src/fake/tag.js';
import {
  createParts,
  eventually,
  expectFailure,
  fakeIAdvize,
  identityCalls,
  quietFor,
  settles,
  startActivation,
  type Parts,
} from './support/stack.js';
import { guardSuite, secrets } from './support/suite.js';

guardSuite();

let parts: Parts;
beforeAll(async () => {
  parts = await createParts();
});

const backend: () => FetchToken =
  () =>
  async ({ identity }) =>
    parts.issuer.issue({ userId: identity ?? 'nobody' });
const useFakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

/** Replaces methods of the loaded tag's `iAdvize` object, as a broken or hostile tag version would have them. */
async function loadedTagWith(
  methods: Partial<Record<keyof FakeIAdvizeApi, unknown>>,
  ...missing: Array<keyof FakeIAdvizeApi>
): Promise<FakeIAdvize> {
  const fake = await fakeIAdvize(parts);
  fake.load();
  Object.assign(fake.iAdvize, methods);
  for (const name of missing) delete (fake.iAdvize as Partial<FakeIAdvizeApi>)[name];
  return fake;
}

/** Signs in and waits for the end; the page's calls never throw. */
async function signInOn(fake: FakeIAdvize, options: Partial<Parameters<typeof startActivation>[0]> = {}) {
  const activation = startActivation({ tag: fake.tag, fetchToken: backend(), ...options });
  expect(() => activation.signIn('visitor-1')).not.toThrow();
  return activation;
}

describe('the tag script', () => {
  it('blocked (error event): tag-unavailable, no activate, nothing to log out', async () => {
    const fake = await fakeIAdvize(parts, { faults: { scriptLoad: 'error' } });
    const activation = await signInOn(fake);
    expectFailure(await settles(activation, 'failed', 'active'), 'tag-unavailable', 'activation');
    expect(fake.calls.count('activate')).toBe(0);
    activation.signOut();
    expect((await settles(activation, 'inactive')).failure).toBeUndefined();
    expect(fake.calls.count('logout')).toBe(0);
  });

  it('silently never loads: tag-unavailable after the load timeout', async () => {
    useFakeTimers();
    const fake = await fakeIAdvize(parts, { faults: { scriptLoad: 'never' }, loadTimeoutMs: 15_000 });
    const activation = await signInOn(fake);
    await settles(activation, 'activating');
    await vi.advanceTimersByTimeAsync(14_999);
    expect(activation.getSnapshot().status).toBe('activating');
    await vi.advanceTimersByTimeAsync(1);
    const state = await settles(activation, 'failed');
    expectFailure(state, 'tag-unavailable', 'activation');
    expect(state.failure?.reason).toMatch(/did not load within 15000 ms/);
    expect(fake.calls.count('activate')).toBe(0);
  });

  it('loads after the timeout: the visitor who gave up is not activated', async () => {
    useFakeTimers();
    const fake = await fakeIAdvize(parts, { faults: { scriptLoad: 'never' }, loadTimeoutMs: 1_000 });
    const activation = await signInOn(fake);
    await settles(activation, 'activating');
    await vi.advanceTimersByTimeAsync(1_000);
    await settles(activation, 'failed');
    fake.load();
    await quietFor(20);
    expect(fake.state.script).toBe('loaded');
    expect(fake.calls.count('activate')).toBe(0);
    expect(fake.state.status).toBe('inactive');
    expect(activation.getSnapshot().status).toBe('failed');
  });

  it('loads after the visitor signed out: no activate, no logout', async () => {
    const fake = await fakeIAdvize(parts, { faults: { scriptLoad: 'never' } });
    const activation = await signInOn(fake);
    await settles(activation, 'activating');
    activation.signOut();
    await settles(activation, 'inactive');
    fake.load();
    await quietFor(20);
    expect(fake.calls.count('activate')).toBe(0);
    expect(fake.calls.count('logout')).toBe(0);
    expect(fake.state.status).toBe('inactive');
  });

  it('loads after A signed out and B signed in: only B is activated', async () => {
    const fake = await fakeIAdvize(parts, { faults: { scriptLoad: 'never' } });
    const activation = startActivation({ tag: fake.tag, fetchToken: backend() });
    activation.signIn('visitor-a');
    await settles(activation, 'activating');
    activation.signOut();
    await settles(activation, 'inactive');
    activation.signIn('visitor-b');
    await settles(activation, 'activating');
    fake.load();
    expect(await settles(activation, 'active', 'failed')).toMatchObject({ status: 'active', identity: 'visitor-b' });
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'visitor-b' });
    expect(identityCalls(fake)).toEqual(['activate', 'verified:visitor-b']);
  });

  it('window.iAdvizeInterface clobbered by another script: tag-unavailable, nothing thrown', async () => {
    const fake = await fakeIAdvize(parts);
    (fake.window as unknown as Record<string, unknown>)[INTERFACE_QUEUE] = 42;
    const activation = await signInOn(fake);
    const state = await settles(activation, 'failed', 'active');
    expectFailure(state, 'tag-unavailable', 'activation');
    expect(state.failure?.reason).toMatch(/could not queue on window.iAdvizeInterface/);
    expect(fake.calls.count('activate')).toBe(0);
  });
});

describe('iAdvize.activate', () => {
  it('throws: tag-error with the message, nothing thrown into the page', async () => {
    const fake = await loadedTagWith({
      activate: () => {
        throw new TypeError('t.option is undefined');
      },
    });
    const state = await settles(await signInOn(fake), 'failed', 'active');
    expectFailure(state, 'tag-error', 'activation');
    expect(state.failure?.reason).toBe('iAdvize.activate threw: t.option is undefined');
  });

  it('rejects quoting the token it was given: tag-error, the token redacted', async () => {
    const fake = await loadedTagWith({
      activate: async (provider: () => Promise<{ authenticationOption: { token?: string } }>) => {
        const { authenticationOption } = await provider();
        throw new Error(`cannot use ${authenticationOption.token}`);
      },
    });
    const state = await settles(await signInOn(fake), 'failed', 'active');
    expectFailure(state, 'tag-error', 'activation');
    expect(state.failure?.reason).toMatch(/^iAdvize.activate rejected: cannot use eyJ…\[redacted\]$/);
    expect(secrets.tokenCount).toBeGreaterThan(0);
    expect(secrets.findInValue(state)).toEqual([]);
  });

  it('returns garbage (a number, a string, an odd object, a bad status): unknown, the shape described', async () => {
    const answers: Array<[unknown, RegExp]> = [
      [42, /unexpected activation result: 42/],
      ['ok', /unexpected activation result: the string "ok"/],
      [{ status: 'authentication-success' }, /unexpected activation result: an object with keys \[status\]/],
      [{ authentication: { status: 'maybe' } }, /unexpected activation status: the string "maybe"/],
    ];
    for (const [answer, reason] of answers) {
      const fake = await loadedTagWith({ activate: () => answer });
      const state = await settles(await signInOn(fake), 'failed', 'active');
      expectFailure(state, 'unknown', 'activation');
      expect(state.failure?.reason).toMatch(reason);
    }
  });

  it('never settles: activation-timeout, and its late success is never reported as active', async () => {
    useFakeTimers();
    let lateAnswer: ((value: unknown) => void) | undefined;
    const fake = await loadedTagWith({ activate: () => new Promise((resolve) => (lateAnswer = resolve)) });
    const activation = await signInOn(fake, { timeouts: { activationMs: 5_000 } });
    await settles(activation, 'activating');
    await vi.advanceTimersByTimeAsync(5_000);
    expectFailure(await settles(activation, 'failed'), 'activation-timeout', 'activation');
    lateAnswer?.({ authentication: { option: { type: 'SECURED_AUTHENTICATION' }, status: 'authentication-success' } });
    await quietFor(20);
    expect(activation.getSnapshot().status).toBe('failed');
  });

  it('missing from the iAdvize object: tag-error', async () => {
    const fake = await loadedTagWith({}, 'activate');
    const state = await settles(await signInOn(fake), 'failed', 'active');
    expectFailure(state, 'tag-error', 'activation');
    expect(state.failure?.reason).toMatch(/no activate function/);
  });

  it('queued functions get no iAdvize object at all: tag-error', async () => {
    const fake = await fakeIAdvize(parts);
    fake.load();
    fake.window[INTERFACE_QUEUE] = { push: (fn: (iAdvize: never) => void) => fn(undefined as never) } as TagInterface;
    const state = await settles(await signInOn(fake), 'failed', 'active');
    expectFailure(state, 'tag-error', 'activation');
  });
});

describe('iAdvize.logout', () => {
  /** Active as visitor-1, then the tag's logout is replaced. */
  async function activeThenLogout(logout: unknown, missing = false) {
    const fake = await fakeIAdvize(parts);
    const activation = await signInOn(fake);
    await settles(activation, 'active');
    if (missing) delete (fake.iAdvize as Partial<FakeIAdvizeApi>).logout;
    else Object.assign(fake.iAdvize, { logout });
    return { fake, activation };
  }

  /** After a failed logout no other identity is activated: signing in again tries the logout again first. */
  async function noOtherIdentityAfter({
    fake,
    activation,
  }: {
    fake: FakeIAdvize;
    activation: ReturnType<typeof startActivation>;
  }) {
    activation.signIn('visitor-2');
    await eventually(() => expect(activation.getSnapshot().status).not.toBe('signing-out'));
    expect(fake.calls.count('activate')).toBe(1);
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'visitor-1' });
  }

  it('throws: logout-failed, the page keeps working, no other identity is activated', async () => {
    const run = await activeThenLogout(() => {
      throw new Error('logout exploded');
    });
    expect(() => run.activation.signOut()).not.toThrow();
    const state = await settles(run.activation, 'failed');
    expectFailure(state, 'logout-failed', 'logout');
    expect(state.failure?.reason).toBe('iAdvize.logout threw: logout exploded');
    await noOtherIdentityAfter(run);
    expectFailure(run.activation.getSnapshot(), 'logout-failed', 'logout');
  });

  it('never settles: logout-failed after timeouts.logoutMs', async () => {
    useFakeTimers();
    const run = await activeThenLogout(() => new Promise(() => undefined));
    run.activation.signOut();
    await settles(run.activation, 'signing-out');
    await vi.advanceTimersByTimeAsync(10_000);
    expectFailure(await settles(run.activation, 'failed'), 'logout-failed', 'logout');
  });

  it('missing from the iAdvize object: logout-failed', async () => {
    const run = await activeThenLogout(undefined, true);
    run.activation.signOut();
    const state = await settles(run.activation, 'failed');
    expectFailure(state, 'logout-failed', 'logout');
    expect(state.failure?.reason).toMatch(/no logout function/);
    await noOtherIdentityAfter(run);
  });
});
