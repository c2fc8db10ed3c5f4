// The real adapter over the fake iAdvize, through the vendor's queue on a fake window, with
// real RSA keys and real issuer tokens: loading, every vendor failure to its code, the tag's
// own retries, session re-verification, key rotation, clock skew, logout.
import { describe, expect, it, vi } from 'vitest';
import { createTokenIssuer } from '../../src/token/issue.js';
import { FAKE_REJECTION_REASONS, FAKE_TAG_REASONS } from '../../src/fake/reasons.js';
import { VENDOR_REASONS } from '../../src/tag/contract.js';
import { iAdvizeTag } from '../../src/tag/iadvize-tag.js';
import type { TagOutcome, TokenProvider } from '../../src/tag/port.js';
import type { FakeIAdvize, FakeIAdvizeState } from '../../src/fake/create-fake-iadvize.js';
import { buildToken, NOW, signRs256, validClaims } from '../token/token-builders.js';
import { fakeIAdvize, issuer, keys, other, useFakeStack } from './support/fake-stack.js';

useFakeStack();

/** A provider minting a fresh token for the visitor at each call, as the machine's does. */
const tokensFor = (userId: string) => vi.fn<TokenProvider>(() => issuer.issue({ userId }));
const signal = () => new AbortController().signal;

/** What the machine does: wait for the tag, then activate once. */
async function signIn(fake: FakeIAdvize, provider: TokenProvider): Promise<TagOutcome> {
  await fake.tag.ready({ signal: signal() });
  return fake.tag.activate({ mode: 'secured', provider, signal: signal() });
}

const useFakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

describe('loading through the queue', () => {
  it('queue declared before the script loads: the adapter adds the script, the tag runs the queue', async () => {
    const fake = await fakeIAdvize({ sid: '1234' });
    const states: Array<FakeIAdvizeState['script']> = [];
    fake.subscribe((state) => states.push(state.script));
    const provider = tokensFor('user-1');
    await expect(signIn(fake, provider)).resolves.toEqual({ ok: true });
    expect(fake.state).toMatchObject({ script: 'loaded', status: 'secured', userId: 'user-1', activating: false });
    expect(states.slice(0, 2)).toEqual(['loading', 'loaded']);
    expect(fake.calls.entries.map((entry) => entry.type)).toEqual([
      'script-requested',
      'script-loaded',
      'activate',
      'provider',
      'server-check',
      'activation-result',
    ]);
    expect(fake.calls.of('script-loaded')).toMatchObject([{ sid: '1234' }]);
    expect(provider).toHaveBeenCalledOnce();
  });

  it("script loaded before the adapter is used: the page's script is used, none is added", async () => {
    const fake = await fakeIAdvize();
    fake.load();
    await expect(signIn(fake, tokensFor('user-1'))).resolves.toEqual({ ok: true });
    expect(fake.calls.count('script-requested')).toBe(1);
    expect(fake.window.document.getElementsByTagName('script')).toHaveLength(1);
  });

  it('a script loading late, within the load timeout, is waited for', async () => {
    useFakeTimers();
    const fake = await fakeIAdvize({ faults: { scriptDelayMs: 10_000 } });
    let ready = false;
    const waiting = fake.tag.ready({ signal: signal() }).then(() => (ready = true));
    await vi.advanceTimersByTimeAsync(9_999);
    expect(ready).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(fake.state.script).toBe('loaded');
  });

  it('a script loading after the timeout: ready rejects, and the stale queued activation activates no one', async () => {
    useFakeTimers();
    const fake = await fakeIAdvize({ faults: { scriptDelayMs: 20_000 } });
    const controller = new AbortController();
    const ready = fake.tag.ready({ signal: controller.signal });
    const rejected = expect(ready).rejects.toThrow('did not load within 15000 ms');
    // A machine that does not wait for ready: the activation is queued, then given up.
    const outcome = fake.tag.activate({ mode: 'secured', provider: tokensFor('user-1'), signal: controller.signal });
    await vi.advanceTimersByTimeAsync(15_000);
    await rejected;
    controller.abort();
    await expect(outcome).resolves.toMatchObject({ ok: false });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fake.state).toMatchObject({ script: 'loaded', status: 'inactive' });
    expect(fake.calls.count('activate')).toBe(0);
    vi.useRealTimers();
    await expect(signIn(fake, tokensFor('user-2'))).resolves.toEqual({ ok: true });
  });

  it('a script that never loads: ready rejects after loadTimeoutMs; loading it later activates no one', async () => {
    useFakeTimers();
    const fake = await fakeIAdvize({ loadTimeoutMs: 3_000, faults: { scriptLoad: 'never' } });
    const controller = new AbortController();
    const ready = fake.tag.ready({ signal: controller.signal });
    const rejected = expect(ready).rejects.toThrow('did not load within 3000 ms');
    await vi.advanceTimersByTimeAsync(3_000);
    await rejected;
    expect(fake.state.script).toBe('loading');
    fake.load();
    expect(fake.state).toMatchObject({ script: 'loaded', status: 'inactive' });
    expect(fake.calls.count('activate')).toBe(0);
  });

  it('a blocked script (error event): ready rejects at once, activate answers tag-unavailable', async () => {
    useFakeTimers();
    const fake = await fakeIAdvize({ faults: { scriptLoad: 'error' } });
    await expect(fake.tag.ready({ signal: signal() })).rejects.toThrow(/failed to load/);
    expect(fake.state.script).toBe('failed');
    expect(fake.calls.count('script-failed')).toBe(1);
    await expect(
      fake.tag.activate({ mode: 'secured', provider: tokensFor('user-1'), signal: signal() }),
    ).resolves.toMatchObject({ ok: false, code: 'tag-unavailable' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a logout before anything was loaded loads nothing', async () => {
    const fake = await fakeIAdvize();
    await fake.tag.logout({ signal: signal() });
    expect(fake.state.script).toBe('absent');
  });
});

describe('vendor failures through the adapter', () => {
  it('invalid-option: a provider handing out an empty token', async () => {
    const fake = await fakeIAdvize();
    await expect(signIn(fake, async () => '')).resolves.toEqual({
      ok: false,
      code: 'invalid-option',
      reason: VENDOR_REASONS.invalidOption,
    });
    expect(fake.calls.count('server-check')).toBe(0);
  });

  it('invalid-option: an anonymous type the tag does not know (the public sources disagree)', async () => {
    const fake = await fakeIAdvize();
    const olderReadme = iAdvizeTag({ sid: 'fake-sid', window: fake.window, anonymousType: 'ANONYMOUS' });
    await olderReadme.ready({ signal: signal() });
    await expect(olderReadme.activate({ mode: 'anonymous', signal: signal() })).resolves.toMatchObject({
      ok: false,
      code: 'invalid-option',
    });
    await expect(fake.tag.activate({ mode: 'anonymous', signal: signal() })).resolves.toEqual({ ok: true });
  });

  it('activation-ongoing: a second activate while the first is in flight', async () => {
    const fake = await fakeIAdvize({ faults: { latencyMs: 50 } });
    await fake.tag.ready({ signal: signal() });
    const first = fake.tag.activate({ mode: 'secured', provider: tokensFor('user-1'), signal: signal() });
    const second = fake.tag.activate({ mode: 'secured', provider: tokensFor('user-1'), signal: signal() });
    await expect(second).resolves.toEqual({
      ok: false,
      code: 'activation-ongoing',
      reason: VENDOR_REASONS.activationOngoing,
    });
    await expect(first).resolves.toEqual({ ok: true });
  });

  it('already-activated: activating again after a success, without logout; the provider is not called', async () => {
    const fake = await fakeIAdvize();
    await signIn(fake, tokensFor('user-1'));
    const again = tokensFor('user-2');
    await expect(signIn(fake, again)).resolves.toEqual({
      ok: false,
      code: 'already-activated',
      reason: VENDOR_REASONS.alreadyActivated,
    });
    expect(again).not.toHaveBeenCalled();
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'user-1' });
  });

  it('server-error: after the tag retried 3 times, each time with a fresh token (4 calls in all)', async () => {
    const fake = await fakeIAdvize({ faults: { serverErrors: 'always' } });
    const provider = tokensFor('user-1');
    await expect(signIn(fake, provider)).resolves.toEqual({
      ok: false,
      code: 'server-error',
      reason: VENDOR_REASONS.serverError,
    });
    expect(provider).toHaveBeenCalledTimes(4);
    expect(fake.calls.of('provider').map((call) => call.purpose)).toEqual(['activation', 'retry', 'retry', 'retry']);
    expect(fake.calls.count('server-check')).toBe(4);
    expect(fake.calls.count('activate')).toBe(1);
    expect(fake.state).toMatchObject({
      status: 'inactive',
      lastFailure: { reason: VENDOR_REASONS.serverError, during: 'activation' },
    });
  });

  it.each([
    [1, 2],
    [3, 4],
  ])(
    'recovers within its own retries: %i server errors, %i provider calls, one activate',
    async (serverErrors, providerCalls) => {
      const fake = await fakeIAdvize({ faults: { serverErrors } });
      const provider = tokensFor('user-1');
      await expect(signIn(fake, provider)).resolves.toEqual({ ok: true });
      expect(provider).toHaveBeenCalledTimes(providerCalls);
      expect(fake.calls.count('activate')).toBe(1);
    },
  );

  it('credentials-rejected: an expired token', async () => {
    const fake = await fakeIAdvize();
    const late = await createTokenIssuer({
      privateKey: keys.customer.privateKeyPem,
      iadvizePublicKey: keys.iadvize.publicKeyPem,
      issuer: 'https://shop.example',
      now: () => Date.now() - 10 * 60_000,
    });
    await expect(signIn(fake, () => late.issue({ userId: 'user-1' }))).resolves.toEqual({
      ok: false,
      code: 'credentials-rejected',
      reason: FAKE_REJECTION_REASONS.expired,
    });
  });

  it('credentials-rejected: no userId claim', async () => {
    const fake = await fakeIAdvize({ now: () => NOW.getTime() });
    const token = await buildToken(keys, validClaims({ 'https://iadvize.com/userId': '' }));
    await expect(signIn(fake, async () => token)).resolves.toMatchObject({
      ok: false,
      code: 'credentials-rejected',
      reason: FAKE_REJECTION_REASONS['user-id'],
    });
  });

  it('malformed-token: a signed token that was never encrypted', async () => {
    const fake = await fakeIAdvize({ now: () => NOW.getTime() });
    const token = await signRs256(validClaims(), keys.customer.privateKeyPem);
    const outcome = await signIn(fake, async () => token);
    expect(outcome).toMatchObject({ ok: false, code: 'malformed-token' });
    expect(JSON.stringify(outcome)).not.toContain(token.slice(0, 30));
  });

  it('invalid-key: signed with a customer key iAdvize does not hold', async () => {
    const fake = await fakeIAdvize();
    const stranger = await createTokenIssuer({
      privateKey: other.customer.privateKeyPem,
      iadvizePublicKey: keys.iadvize.publicKeyPem,
      issuer: 'https://shop.example',
    });
    await expect(signIn(fake, () => stranger.issue({ userId: 'user-1' }))).resolves.toEqual({
      ok: false,
      code: 'invalid-key',
      reason: FAKE_REJECTION_REASONS.signature,
    });
  });

  it('invalid-key: encrypted for another iAdvize key', async () => {
    const fake = await fakeIAdvize();
    const wrongRecipient = await createTokenIssuer({
      privateKey: keys.customer.privateKeyPem,
      iadvizePublicKey: other.iadvize.publicKeyPem,
      issuer: 'https://shop.example',
    });
    await expect(signIn(fake, () => wrongRecipient.issue({ userId: 'user-1' }))).resolves.toMatchObject({
      ok: false,
      code: 'invalid-key',
      reason: FAKE_REJECTION_REASONS.decryption,
    });
  });

  it('key rotation: the customer key iAdvize holds is no longer the one signing', async () => {
    const fake = await fakeIAdvize();
    fake.faults.rotatedCustomerKey = other.customer.publicKeyPem;
    await expect(signIn(fake, tokensFor('user-1'))).resolves.toMatchObject({ ok: false, code: 'invalid-key' });
    expect(fake.calls.count('server-check')).toBe(1);
  });

  it.each([
    ['ahead', 10 * 60_000, FAKE_REJECTION_REASONS.expired],
    ['behind', -10 * 60_000, FAKE_REJECTION_REASONS['issued-in-future']],
  ])('clock skew: a server clock 10 minutes %s rejects fresh tokens', async (_, clockSkewMs, reason) => {
    const fake = await fakeIAdvize({ faults: { clockSkewMs } });
    await expect(signIn(fake, tokensFor('user-1'))).resolves.toEqual({
      ok: false,
      code: 'credentials-rejected',
      reason,
    });
  });

  it('unknown: a logout arriving while the activation is under way cancels it, on a tag whose logout cancels', async () => {
    const fake = await fakeIAdvize({ faults: { latencyMs: 50 }, readings: { logout: 'cancels-activation' } });
    await fake.tag.ready({ signal: signal() });
    const activation = fake.tag.activate({ mode: 'secured', provider: tokensFor('user-1'), signal: signal() });
    await vi.waitFor(() => expect(fake.calls.count('provider')).toBe(1));
    await fake.tag.logout({ signal: signal() });
    await expect(activation).resolves.toEqual({
      ok: false,
      code: 'unknown',
      reason: FAKE_TAG_REASONS.cancelledByLogout,
    });
    expect(fake.state.status).toBe('inactive');
  });

  it('a logout arriving while the activation is under way, on a tag whose logout cancels nothing (the default): the activate answers late and opens its session', async () => {
    const fake = await fakeIAdvize({ faults: { latencyMs: 50 } });
    await fake.tag.ready({ signal: signal() });
    const activation = fake.tag.activate({ mode: 'secured', provider: tokensFor('user-1'), signal: signal() });
    await vi.waitFor(() => expect(fake.calls.count('provider')).toBe(1));
    await fake.tag.logout({ signal: signal() });
    await expect(activation).resolves.toEqual({ ok: true });
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'user-1' });
  });
});

describe('session re-verification', () => {
  it('calls the provider again when the session lifetime runs out, and keeps the session', async () => {
    useFakeTimers();
    const fake = await fakeIAdvize({ sessionLifetimeMs: 60_000 });
    const provider = tokensFor('user-1');
    await expect(signIn(fake, provider)).resolves.toEqual({ ok: true });
    const firstExpiry = fake.state.sessionExpiresAt ?? 0;
    await vi.advanceTimersByTimeAsync(59_999);
    expect(provider).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(fake.calls.of('session-reverification')).toMatchObject([{ ok: true }]));
    expect(provider).toHaveBeenCalledTimes(2);
    expect(fake.calls.of('provider').map((call) => call.purpose)).toEqual(['activation', 'reverification']);
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'user-1' });
    expect(fake.state.sessionExpiresAt).toBeGreaterThanOrEqual(firstExpiry);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('ends the session when re-verification fails (observable in state and log)', async () => {
    const fake = await fakeIAdvize();
    let fail = false;
    const provider = vi.fn<TokenProvider>(() =>
      fail ? Promise.reject(new Error('signed out on the site')) : issuer.issue({ userId: 'user-1' }),
    );
    await signIn(fake, provider);
    const seen: string[] = [];
    fake.subscribe((state) => seen.push(state.status));
    fail = true;
    await fake.expireSession();
    expect(fake.state).toMatchObject({
      status: 'inactive',
      lastFailure: { reason: VENDOR_REASONS.invalidOption, during: 'reverification' },
    });
    expect(fake.state.userId).toBeUndefined();
    expect(seen).toEqual(['inactive']);
    expect(fake.calls.of('session-reverification')).toMatchObject([
      { ok: false, reason: VENDOR_REASONS.invalidOption },
    ]);
  });

  it('ends the session when the key was rotated meanwhile', async () => {
    const fake = await fakeIAdvize();
    await signIn(fake, tokensFor('user-1'));
    fake.faults.rotatedCustomerKey = other.customer.publicKeyPem;
    await fake.expireSession();
    expect(fake.state).toMatchObject({ status: 'inactive', lastFailure: { reason: FAKE_REJECTION_REASONS.signature } });
  });

  it('ends the session when the fresh token is for another visitor', async () => {
    const fake = await fakeIAdvize();
    const users = ['user-1', 'user-2'];
    await signIn(fake, () => issuer.issue({ userId: users.shift() ?? 'none' }));
    await fake.expireSession();
    expect(fake.state).toMatchObject({ status: 'inactive', lastFailure: { reason: FAKE_TAG_REASONS.identityChanged } });
  });

  it('retries server errors during re-verification like any other call', async () => {
    const fake = await fakeIAdvize();
    const provider = tokensFor('user-1');
    await signIn(fake, provider);
    fake.faults.serverErrors = 3;
    await fake.expireSession();
    expect(fake.state.status).toBe('secured');
    expect(provider).toHaveBeenCalledTimes(5);
  });
});

describe('logout and the anonymous upgrade', () => {
  it('logout clears the identity and the re-verification timer; another visitor can then sign in', async () => {
    useFakeTimers();
    const fake = await fakeIAdvize({ sessionLifetimeMs: 60_000 });
    await signIn(fake, tokensFor('user-1'));
    expect(vi.getTimerCount()).toBe(1);
    await fake.tag.logout({ signal: signal() });
    expect(fake.state).toMatchObject({ status: 'inactive' });
    expect(fake.state.userId).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    expect(fake.calls.count('logout')).toBe(1);
    await expect(signIn(fake, tokensFor('user-2'))).resolves.toEqual({ ok: true });
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'user-2' });
  });

  it('anonymous then secured is the documented upgrade; anonymous twice is activating twice', async () => {
    const fake = await fakeIAdvize();
    await fake.tag.ready({ signal: signal() });
    await expect(fake.tag.activate({ mode: 'anonymous', signal: signal() })).resolves.toEqual({ ok: true });
    expect(fake.state.status).toBe('anonymous');
    await expect(fake.tag.activate({ mode: 'anonymous', signal: signal() })).resolves.toMatchObject({
      ok: false,
      code: 'already-activated',
    });
    expect(fake.state.status).toBe('anonymous');
    await expect(
      fake.tag.activate({ mode: 'secured', provider: tokensFor('user-1'), signal: signal() }),
    ).resolves.toEqual({ ok: true });
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'user-1' });
  });

  it('dispose clears every timer of the fake: script delay, latency, session', async () => {
    useFakeTimers();
    const loading = await fakeIAdvize({ faults: { scriptDelayMs: 5_000 } });
    const controller = new AbortController();
    void loading.tag.ready({ signal: controller.signal }).catch(() => undefined);
    controller.abort(); // ends the adapter's own load timeout: only the script's delay is left
    expect(vi.getTimerCount()).toBe(1);
    loading.dispose();
    expect(vi.getTimerCount()).toBe(0);

    const active = await fakeIAdvize();
    await signIn(active, tokensFor('user-1'));
    active.faults.latencyMs = 5_000;
    void active.server.authenticate('pending');
    expect(vi.getTimerCount()).toBe(2);
    active.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});
