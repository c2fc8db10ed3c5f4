// End to end: createActivation → the real adapter → the fake iAdvize (tag + server), with real
// keys and real issuer tokens. Each vendor failure reaches the snapshot as its code and advice;
// session re-verification drives the machine's token refresh.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActivation, type Activation } from '../../src/activation/create-activation.js';
import type { FetchToken } from '../../src/activation/options.js';
import type { ActivationState } from '../../src/activation/view.js';
import { FAILURE_ADVICE, type FailureCode, type FailurePhase } from '../../machines/failures.js';
import { iAdvizeTag } from '../../src/tag/iadvize-tag.js';
import type { TagPort } from '../../src/tag/port.js';
import { encrypt, signRs256, validClaims } from '../token/token-builders.js';
import { fakeIAdvize, issuer, keys, other, useFakeStack } from './support/fake-stack.js';

const cleanups: Array<() => void> = [];

useFakeStack();

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The site's backend: a fresh token for the signed-in identity. */
const backend = () => vi.fn<FetchToken>(async ({ identity }) => issuer.issue({ userId: identity ?? 'anonymous-user' }));

function activate(
  tag: TagPort,
  fetchToken: FetchToken,
  options: Omit<Parameters<typeof createActivation>[0], 'tag' | 'fetchToken'> = {},
): Activation {
  const activation = createActivation({ tag, fetchToken, ...options }).start();
  cleanups.push(() => activation.stop());
  return activation;
}

async function settles(
  activation: Activation,
  ...statuses: Array<ActivationState['status']>
): Promise<ActivationState> {
  await vi.waitFor(() => expect(statuses).toContain(activation.getSnapshot().status), { timeout: 10_000 });
  return activation.getSnapshot();
}

function expectFailure(state: ActivationState, code: FailureCode, phase: FailurePhase = 'activation'): void {
  expect(state.status).toBe('failed');
  expect(state.failure).toMatchObject({ code, phase, advice: FAILURE_ADVICE[code] });
}

describe('signing in through the whole stack', () => {
  it('activates the visitor: one token, one activate, the tag shows them', async () => {
    const fake = await fakeIAdvize();
    const fetchToken = backend();
    const activation = activate(fake.tag, fetchToken);
    activation.signIn('user-1');
    expect((await settles(activation, 'active', 'failed')).status).toBe('active');
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'user-1' });
    expect(fetchToken.mock.calls.map(([request]) => request.purpose)).toEqual(['activation']);
    expect(fake.calls.count('activate')).toBe(1);
  });

  it('signs out through the tag logout; switching account logs the first visitor out first', async () => {
    const fake = await fakeIAdvize();
    const activation = activate(fake.tag, backend());
    activation.signIn('user-1');
    await settles(activation, 'active');
    activation.signIn('user-2');
    await vi.waitFor(() => expect(fake.state).toMatchObject({ status: 'secured', userId: 'user-2' }), {
      timeout: 10_000,
    });
    expect(
      fake.calls.entries
        .filter((entry) => entry.type === 'logout' || entry.type === 'activate')
        .map((entry) => entry.type),
    ).toEqual(['activate', 'logout', 'activate']);
    activation.signOut();
    await settles(activation, 'inactive');
    expect(fake.state.status).toBe('inactive');
    expect(fake.calls.count('logout')).toBe(2);
  });
});

describe('each vendor failure, end to end, to its code and advice', () => {
  it('invalid-option: an anonymous type the tag does not accept', async () => {
    const fake = await fakeIAdvize();
    const tag = iAdvizeTag({ sid: 'fake-sid', window: fake.window, anonymousType: 'ANONYMOUS' });
    const activation = activate(tag, backend(), { policy: { whenSignedOut: 'anonymous' } });
    expectFailure(await settles(activation, 'failed', 'anonymous'), 'invalid-option', 'anonymous-activation');
    expect(activation.getSnapshot().failure?.reason).toMatch(/valid authentication option/);
  });

  it('activation-ongoing: another script on the page is activating', async () => {
    const fake = await fakeIAdvize();
    fake.load();
    void fake.iAdvize.activate(() => new Promise(() => undefined));
    const activation = activate(fake.tag, backend());
    activation.signIn('user-1');
    expectFailure(await settles(activation, 'failed', 'active'), 'activation-ongoing');
  });

  it('already-activated: another script on the page activated someone', async () => {
    const fake = await fakeIAdvize();
    fake.load();
    await fake.iAdvize.activate(async () => ({
      authenticationOption: { type: 'SECURED_AUTHENTICATION', token: await issuer.issue({ userId: 'someone' }) },
    }));
    const activation = activate(fake.tag, backend());
    activation.signIn('user-1');
    expectFailure(await settles(activation, 'failed', 'active'), 'already-activated');
  });

  it('server-error: after the tag retried 3 times; the site adds no retry', async () => {
    const fake = await fakeIAdvize({ faults: { serverErrors: 'always' } });
    const fetchToken = backend();
    const activation = activate(fake.tag, fetchToken);
    activation.signIn('user-1');
    expectFailure(await settles(activation, 'failed', 'active'), 'server-error');
    expect(fake.calls.count('provider')).toBe(4);
    expect(fake.calls.count('server-check')).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.calls.count('activate')).toBe(1);
    expect(activation.getSnapshot().status).toBe('failed');
  });

  it('credentials-rejected: the iAdvize clock is 10 minutes ahead', async () => {
    const fake = await fakeIAdvize({ faults: { clockSkewMs: 10 * 60_000 } });
    const activation = activate(fake.tag, backend());
    activation.signIn('user-1');
    expectFailure(await settles(activation, 'failed', 'active'), 'credentials-rejected');
  });

  it('malformed-token: the backend encrypts with A128GCM', async () => {
    const fake = await fakeIAdvize();
    const fetchToken = vi.fn<FetchToken>(async () =>
      encrypt(
        await signRs256(
          validClaims({ iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 }),
          keys.customer.privateKeyPem,
        ),
        keys.iadvize.publicKeyPem,
        'RSA-OAEP-256',
        'A128GCM',
      ),
    );
    const activation = activate(fake.tag, fetchToken);
    activation.signIn('user-1');
    const state = await settles(activation, 'failed', 'active');
    expectFailure(state, 'malformed-token');
    expect(JSON.stringify(state)).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./);
  });

  it('invalid-key: the customer key was rotated without telling iAdvize', async () => {
    const fake = await fakeIAdvize();
    fake.faults.rotatedCustomerKey = other.customer.publicKeyPem;
    const activation = activate(fake.tag, backend());
    activation.signIn('user-1');
    expectFailure(await settles(activation, 'failed', 'active'), 'invalid-key');
  });

  it('tag-unavailable: the script is blocked; no activate ever reaches the tag', async () => {
    const fake = await fakeIAdvize({ faults: { scriptLoad: 'error' } });
    const activation = activate(fake.tag, backend());
    activation.signIn('user-1');
    expectFailure(await settles(activation, 'failed', 'active'), 'tag-unavailable');
    expect(fake.calls.count('activate')).toBe(0);
  });

  it('activation-timeout: iAdvize never answers within timeouts.activationMs', async () => {
    const fake = await fakeIAdvize({ faults: { latencyMs: 60_000 } });
    const activation = activate(fake.tag, backend(), { timeouts: { activationMs: 200 } });
    activation.signIn('user-1');
    expectFailure(await settles(activation, 'failed', 'active'), 'activation-timeout');
  });

  it('token-unavailable: no token, so no activate at all (stay-inactive policy)', async () => {
    const fake = await fakeIAdvize();
    const activation = activate(fake.tag, async () => Promise.reject(new Error('backend down')));
    activation.signIn('user-1');
    expectFailure(await settles(activation, 'failed', 'active'), 'token-unavailable', 'token');
    expect(fake.calls.count('activate')).toBe(0);
  });
});

describe('session re-verification drives the token refresh', () => {
  it("the tag's provider call after the session lifetime fetches a fresh token with purpose 'refresh'", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = await fakeIAdvize({ sessionLifetimeMs: 60_000 });
    const fetchToken = backend();
    const activation = activate(fake.tag, fetchToken, { tokenTtlMs: 30_000 });
    activation.signIn('user-1');
    await settles(activation, 'active');
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(() => expect(fake.calls.of('session-reverification')).toMatchObject([{ ok: true }]), {
      timeout: 10_000,
    });
    expect(fetchToken.mock.calls.map(([request]) => request.purpose)).toEqual(['activation', 'refresh']);
    expect(fake.state).toMatchObject({ status: 'secured', userId: 'user-1' });
    expect(activation.getSnapshot()).toMatchObject({ status: 'active', refreshFailure: undefined });
    expect(fake.calls.count('activate')).toBe(1);
  });

  it('a refresh the backend cannot serve ends the iAdvize session and is reported as refreshFailure', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = await fakeIAdvize({ sessionLifetimeMs: 60_000 });
    const fetchToken = vi.fn<FetchToken>(async ({ purpose }) =>
      purpose === 'refresh'
        ? Promise.reject(new Error('session expired on the site'))
        : issuer.issue({ userId: 'user-1' }),
    );
    const activation = activate(fake.tag, fetchToken, { tokenTtlMs: 30_000 });
    const refreshFailures: unknown[] = [];
    activation.on('token.refreshFailed', (event) => refreshFailures.push(event.failure));
    activation.signIn('user-1');
    await settles(activation, 'active');
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(() => expect(fake.state.status).toBe('inactive'), { timeout: 10_000 });
    expect(fake.state.lastFailure).toMatchObject({ during: 'reverification' });
    expect(activation.getSnapshot().refreshFailure).toMatchObject({ phase: 'refresh' });
    expect(refreshFailures).toHaveLength(1);
    expect(fake.calls.count('activate')).toBe(1);
  });

  it('after sign-out the tag is logged out: no session is left to re-verify, no token is fetched', async () => {
    const fake = await fakeIAdvize();
    const fetchToken = backend();
    const activation = activate(fake.tag, fetchToken);
    activation.signIn('user-1');
    await settles(activation, 'active');
    activation.signOut();
    await settles(activation, 'inactive');
    expect(fake.state.status).toBe('inactive');
    await fake.expireSession();
    expect(fetchToken).toHaveBeenCalledOnce();
  });
});
