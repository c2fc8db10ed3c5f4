// The site's token endpoint misbehaving, over real loopback HTTP: the page side is
// fetchTokenFrom, the tag is the real adapter over the fake iAdvize. Under the default policy a
// missing token means no activate at all; under the anonymous opt-in, an announced anonymous chat.
import { SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { ActivationEventOf } from '../../src/activation/create-activation.js';
import { fetchTokenFrom } from '../../src/activation/fetch-token.js';
import type { OnTokenFailure } from '../../machines/activation.js';
import type { FailureCode } from '../../machines/failures.js';
import { browserOn, refusedUrl } from './support/loopback.js';
import { backendOf, expectFailure, fakeIAdvize, quietFor, settles, startActivation } from './support/stack.js';
import { parts, site, useLoopbackSite } from './support/site-fixture.js';

useLoopbackSite();

/** A short fetch timeout keeps the slow and hanging endpoints' scenarios bounded in real time. */
const TOKEN_FETCH_MS = 200;
/**
 * For endpoints that do answer: room for a real issuance on a loaded machine (the full suite
 * beside other builds), so an answer is never mistaken for a timeout.
 */
const ANSWERED_FETCH_MS = 5_000;

async function signInAgainst(
  url: string,
  onTokenFailure: OnTokenFailure,
  withSession = true,
  tokenFetchMs = ANSWERED_FETCH_MS,
) {
  const fake = await fakeIAdvize(parts);
  const browser = browserOn(site);
  if (withSession) browser.cookie = site.openSession('visitor-1');
  const requestsBefore = site.requests.length;
  const announced: Array<ActivationEventOf<'activation.failed'> | ActivationEventOf<'activation.anonymous'>> = [];
  const activation = startActivation({
    tag: fake.tag,
    fetchToken: fetchTokenFrom(url, { fetch: browser.fetch }),
    policy: { onTokenFailure },
    timeouts: { tokenFetchMs },
  });
  activation.on('activation.failed', (event) => void announced.push(event));
  activation.on('activation.anonymous', (event) => void announced.push(event));
  activation.signIn('visitor-1');
  const state = await settles(activation, 'failed', 'anonymous', 'active');
  // Nothing more happens by itself: no retry of the fetch, no late activate.
  await quietFor(30);
  expect(activation.getSnapshot()).toBe(state);
  // One request to the site per sign-in, none when the site cannot be reached at all.
  expect(site.requests.length - requestsBefore).toBe(url.startsWith(site.origin) ? 1 : 0);
  return { fake, state, announced };
}

/**
 * Both policies against one misbehaving URL: stay-inactive fails with `code` and the tag is never
 * activated; the anonymous opt-in activates anonymously and says why.
 */
async function expectNoToken(
  url: () => string,
  code: FailureCode,
  reason: RegExp | undefined,
  withSession = true,
  tokenFetchMs = ANSWERED_FETCH_MS,
): Promise<void> {
  const stay = await signInAgainst(url(), 'stay-inactive', withSession, tokenFetchMs);
  expectFailure(stay.state, code, 'token');
  if (reason) expect(stay.state.failure?.reason).toMatch(reason);
  else expect(stay.state.failure?.reason).toBeUndefined();
  expect(stay.fake.calls.count('activate')).toBe(0);
  expect(stay.fake.state.status).toBe('inactive');
  expect(stay.announced).toEqual([{ type: 'activation.failed', failure: stay.state.failure }]);

  const anonymous = await signInAgainst(url(), 'anonymous', withSession, tokenFetchMs);
  expect(anonymous.state).toMatchObject({
    status: 'anonymous',
    anonymous: true,
    signedIn: true,
    failure: { code, phase: 'token' },
  });
  expect(anonymous.announced).toEqual([{ type: 'activation.anonymous', fallbackFrom: anonymous.state.failure }]);
  expect(anonymous.fake.state.status).toBe('anonymous');
  // One anonymous activate: no token ever reached iAdvize.
  expect(anonymous.fake.calls.count('activate')).toBe(1);
  expect(anonymous.fake.calls.count('server-check')).toBe(0);
}

describe('token endpoint faults over loopback HTTP', () => {
  it('control: the real endpoint with a session activates that visitor', async () => {
    const run = await signInAgainst(site.tokenUrl, 'stay-inactive');
    expect(run.state).toMatchObject({ status: 'active', identity: 'visitor-1', failure: undefined });
    expect(run.fake.state).toMatchObject({ status: 'secured', userId: 'visitor-1' });
    expect(run.fake.calls.count('activate')).toBe(1);
  });

  it('HTTP 500: token-unavailable, no activate; anonymous opt-in announced', async () => {
    await expectNoToken(() => site.url('/fault/status-500'), 'token-unavailable', /HTTP 500/);
  });

  it('HTTP 401 (no session on the site): token-unavailable, no activate; anonymous opt-in announced', async () => {
    await expectNoToken(() => site.tokenUrl, 'token-unavailable', /HTTP 401.*not signed in/, false);
  });

  it('slower than tokenFetchMs: token-timeout, the fetch is aborted, no activate; anonymous opt-in announced', async () => {
    site.slowMs = 2_000;
    await expectNoToken(() => site.url('/fault/slow'), 'token-timeout', undefined, true, TOKEN_FETCH_MS);
    await quietFor(50);
    expect(site.abandoned.filter((path) => path === '/fault/slow')).toHaveLength(2);
  });

  it('hangs forever: token-timeout, the fetch is aborted, no activate; anonymous opt-in announced', async () => {
    await expectNoToken(() => site.url('/fault/hang'), 'token-timeout', undefined, true, TOKEN_FETCH_MS);
    await quietFor(50);
    expect(site.abandoned.filter((path) => path === '/fault/hang')).toHaveLength(2);
  });

  it('answers an HTML page: token-unavailable, no activate; anonymous opt-in announced', async () => {
    await expectNoToken(() => site.url('/fault/html'), 'token-unavailable', /did not answer JSON/);
  });

  it('answers an empty body: token-unavailable, no activate; anonymous opt-in announced', async () => {
    await expectNoToken(() => site.url('/fault/empty'), 'token-unavailable', /did not answer JSON/);
  });

  it('answers JSON without a token: token-unavailable, no activate; anonymous opt-in announced', async () => {
    await expectNoToken(() => site.url('/fault/no-token'), 'token-unavailable', /without a token/);
  });

  it('connection refused: token-unavailable, no activate; anonymous opt-in announced', async () => {
    const refused = await refusedUrl();
    await expectNoToken(() => refused, 'token-unavailable', /unreachable/);
  });

  it('connection cut mid-response: token-unavailable, no activate; anonymous opt-in announced', async () => {
    await expectNoToken(() => site.url('/fault/abort'), 'token-unavailable', /did not answer JSON/);
  });
});

describe('a token source that ignores the abort signal', () => {
  it('answers after the timeout: the late token is dropped, no activate', async () => {
    const clock = new SimulatedClock();
    const fake = await fakeIAdvize(parts);
    const backend = backendOf(parts);
    backend.hold = new Set(['activation']);
    const activation = startActivation({
      tag: fake.tag,
      fetchToken: backend.fetchToken,
      clock,
      timeouts: { tokenFetchMs: TOKEN_FETCH_MS },
    });
    activation.signIn('visitor-1');
    clock.increment(TOKEN_FETCH_MS);
    expectFailure(activation.getSnapshot(), 'token-timeout', 'token');
    backend.calls[0]!.release();
    await quietFor(50);
    expectFailure(activation.getSnapshot(), 'token-timeout', 'token');
    expect(fake.calls.count('activate')).toBe(0);
  });
});
