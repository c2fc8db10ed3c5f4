// Session re-verification when the site's session has ended or changed hands (over loopback
// HTTP), and bad tokens: each reaches the snapshot as the code the contract maps the fake
// iAdvize's reason to, with the documented advice, and the tag never retries on its own.
import { SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { FetchToken } from '../../src/activation/options.js';
import { fetchTokenFrom } from '../../src/activation/fetch-token.js';
import type { FailureCode, FailurePhase } from '../../machines/failures.js';
import { createTokenIssuer } from '../../src/token/issue.js';
import { FAKE_REJECTION_REASONS, FAKE_TAG_REASONS } from '../../src/fake/reasons.js';
import type { TokenCheck } from '../../src/token/verify.js';
import {
  encrypt,
  signHs256,
  signRs256,
  tamperSegment,
  unsigned,
  validClaims,
  withHeader,
} from '../token/token-builders.js';
import { browserOn } from './support/loopback.js';
import {
  activeWithStaleToken,
  eventually,
  expectFailure,
  fakeIAdvize,
  quietFor,
  settles,
  SITE_ISSUER,
  startActivation,
} from './support/stack.js';
import { secrets } from './support/suite.js';
import { parts, site, useLoopbackSite } from './support/site-fixture.js';

useLoopbackSite();

describe('session re-verification', () => {
  /** Active on the loopback site, the token already stale: the next provider call fetches again. */
  async function activeWithStaleToken() {
    const clock = new SimulatedClock();
    const fake = await fakeIAdvize(parts);
    const browser = browserOn(site);
    const cookie = site.openSession('visitor-1');
    browser.cookie = cookie;
    const activation = startActivation({
      tag: fake.tag,
      fetchToken: fetchTokenFrom(site.tokenUrl, { fetch: browser.fetch }),
      clock,
      tokenTtlMs: 30_000,
    });
    const refreshFailures: unknown[] = [];
    activation.on('token.refreshFailed', (event) => void refreshFailures.push(event.failure));
    activation.signIn('visitor-1');
    await settles(activation, 'active');
    clock.increment(30_000);
    return { fake, browser, cookie, activation, refreshFailures };
  }

  it('control: the site session is alive, the visitor is re-verified with a fresh token', async () => {
    const run = await activeWithStaleToken();
    await run.fake.expireSession();
    expect(run.fake.calls.of('session-reverification')).toMatchObject([{ ok: true }]);
    expect(run.fake.state).toMatchObject({ status: 'secured', userId: 'visitor-1' });
    expect(run.activation.getSnapshot()).toMatchObject({ status: 'active', refreshFailure: undefined });
  });

  it('the site session has ended (401): not re-authenticated, refreshFailure token-unavailable, the tag session ends', async () => {
    const run = await activeWithStaleToken();
    site.endSession(run.cookie);
    await run.fake.expireSession();
    await eventually(() => expect(run.activation.getSnapshot().refreshFailure).toBeDefined());
    const { refreshFailure } = run.activation.getSnapshot();
    expect(refreshFailure).toMatchObject({ code: 'token-unavailable', phase: 'refresh' });
    expect(refreshFailure?.reason).toMatch(/HTTP 401 for the refresh token: the visitor is not signed in/);
    expect(run.refreshFailures).toEqual([refreshFailure]);
    expect(run.fake.calls.of('session-reverification')).toMatchObject([{ ok: false }]);
    expect(run.fake.state).toMatchObject({ status: 'inactive', lastFailure: { during: 'reverification' } });
    expect(run.fake.calls.of('server-check').filter((check) => check.ok)).toHaveLength(1);
    // Reported and left to the tag: no retry, no second activate.
    await quietFor(30);
    expect(run.fake.calls.count('activate')).toBe(1);
    expect(run.fake.calls.count('provider')).toBe(2);
  });

  it('the site session now belongs to someone else: the tag ends the session, never re-verifies them as the first visitor', async () => {
    const run = await activeWithStaleToken();
    run.browser.cookie = site.openSession('visitor-2');
    await run.fake.expireSession();
    expect(run.fake.calls.of('session-reverification')).toMatchObject([
      { ok: false, reason: FAKE_TAG_REASONS.identityChanged },
    ]);
    expect(run.fake.state.status).toBe('inactive');
    expect(run.fake.calls.count('activate')).toBe(1);
  });
});

describe('token refresh under load', () => {
  /** Active, the token stale, the refresh held: the tag's provider as the page handed it over. */
  async function staleWithHeldRefresh() {
    const { providers, backend, activation } = await activeWithStaleToken(parts);
    const calls = Array.from({ length: 100 }, () => Promise.resolve(providers[0]!()));
    for (const call of calls) call.catch(() => undefined);
    await eventually(() => expect(backend.calls).toHaveLength(2));
    return { activation, backend, calls };
  }

  it('the tag asks for a token 100 times at once: one refresh fetch, every call gets the same fresh token', async () => {
    const run = await staleWithHeldRefresh();
    run.backend.calls[1]!.release();
    const answers = await Promise.all(run.calls);
    const tokens = new Set(answers.map((answer) => answer.authenticationOption.token));
    expect(tokens.size).toBe(1);
    expect(run.backend.calls.map(({ request }) => request.purpose)).toEqual(['activation', 'refresh']);
    expect(run.activation.getSnapshot()).toMatchObject({ status: 'active', refreshFailure: undefined });
  });

  it('the tag asks 100 times at once and the refresh fails: one fetch, every call refused, reported once', async () => {
    const run = await staleWithHeldRefresh();
    const reported: unknown[] = [];
    run.activation.on('token.refreshFailed', (event) => void reported.push(event));
    run.backend.calls[1]!.fail(new Error('backend down'));
    const answers = await Promise.allSettled(run.calls);
    expect(
      answers.every(
        (answer) =>
          answer.status === 'rejected' && (answer.reason as { because?: string }).because === 'refresh-failed',
      ),
    ).toBe(true);
    expect(run.backend.calls).toHaveLength(2);
    expect(reported).toHaveLength(1);
    // The tag got nothing: the status no longer vouches for a secured chat (invariant 9).
    expect(run.activation.getSnapshot()).toMatchObject({
      status: 'failed',
      refreshFailure: { code: 'token-unavailable', phase: 'refresh' },
    });
  });
});

describe('bad tokens', () => {
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const freshClaims = (overrides: Record<string, unknown> = {}) =>
    validClaims({
      'https://iadvize.com/userId': 'visitor-1',
      iss: SITE_ISSUER,
      iat: nowSeconds(),
      exp: nowSeconds() + 60,
      ...overrides,
    });

  /** The site hands `token` to the page; a token built here is registered as a secret too. */
  async function signInWith(token: string | (() => Promise<string>), fake?: Awaited<ReturnType<typeof fakeIAdvize>>) {
    const tag = fake ?? (await fakeIAdvize(parts));
    const fetchToken: FetchToken = async () => {
      const value = typeof token === 'string' ? token : await token();
      secrets.addToken(value);
      return value;
    };
    const activation = startActivation({ tag: tag.tag, fetchToken });
    activation.signIn('visitor-1');
    return { fake: tag, state: await settles(activation, 'failed', 'active') };
  }

  /** Rejected by the fake iAdvize's `check`, mapped to `code`, no retry by the tag or the page. */
  async function expectRejected(run: Awaited<ReturnType<typeof signInWith>>, check: TokenCheck, code: FailureCode) {
    expectFailure(run.state, code, 'activation');
    expect(run.state.failure?.reason).toBe(FAKE_REJECTION_REASONS[check]);
    expect(run.fake.calls.of('server-check')).toMatchObject([{ ok: false, check }]);
    expect(run.fake.calls.count('activate')).toBe(1);
    expect(run.fake.state.status).toBe('inactive');
  }

  /** Refused by the page before the tag: not a compact JWE, so never handed to iAdvize. */
  function expectRefusedByPage(run: Awaited<ReturnType<typeof signInWith>>, phase: FailurePhase = 'token') {
    expectFailure(run.state, 'token-unavailable', phase);
    expect(run.state.failure?.reason).toMatch(/without a token: expected the compact JWE/);
    expect(run.fake.calls.count('activate')).toBe(0);
  }

  it('expired by clock skew (iAdvize 10 minutes ahead): credentials-rejected', async () => {
    const fake = await fakeIAdvize(parts, { faults: { clockSkewMs: 10 * 60_000 } });
    await expectRejected(
      await signInWith(() => parts.issuer.issue({ userId: 'visitor-1' }), fake),
      'expired',
      'credentials-rejected',
    );
  });

  it('expired by clock skew (the site’s clock 10 minutes slow): credentials-rejected', async () => {
    const slowIssuer = await createTokenIssuer({
      privateKey: parts.keys.customer.privateKeyPem,
      iadvizePublicKey: parts.keys.iadvize.publicKeyPem,
      issuer: SITE_ISSUER,
      now: () => Date.now() - 10 * 60_000,
    });
    await expectRejected(
      await signInWith(() => slowIssuer.issue({ userId: 'visitor-1' })),
      'expired',
      'credentials-rejected',
    );
  });

  it('issued in the future (iAdvize 10 minutes behind): credentials-rejected', async () => {
    const fake = await fakeIAdvize(parts, { faults: { clockSkewMs: -10 * 60_000 } });
    await expectRejected(
      await signInWith(() => parts.issuer.issue({ userId: 'visitor-1' }), fake),
      'issued-in-future',
      'credentials-rejected',
    );
  });

  it('signed with a rotated customer key iAdvize was not given: invalid-key', async () => {
    const fake = await fakeIAdvize(parts);
    fake.faults.rotatedCustomerKey = parts.other.customer.publicKeyPem;
    await expectRejected(
      await signInWith(() => parts.issuer.issue({ userId: 'visitor-1' }), fake),
      'signature',
      'invalid-key',
    );
  });

  it('signed with another site’s private key: invalid-key', async () => {
    const token = await encrypt(
      await signRs256(freshClaims(), parts.other.customer.privateKeyPem),
      parts.keys.iadvize.publicKeyPem,
    );
    await expectRejected(await signInWith(token), 'signature', 'invalid-key');
  });

  it('encrypted with an old iAdvize public key: invalid-key', async () => {
    const token = await encrypt(
      await signRs256(freshClaims(), parts.keys.customer.privateKeyPem),
      parts.other.iadvize.publicKeyPem,
    );
    await expectRejected(await signInWith(token), 'decryption', 'invalid-key');
  });

  it('tampered ciphertext: invalid-key (does not decrypt)', async () => {
    await expectRejected(
      await signInWith(async () => tamperSegment(await parts.issuer.issue({ userId: 'visitor-1' }), 3)),
      'decryption',
      'invalid-key',
    );
  });

  it('tampered authentication tag: invalid-key (does not decrypt)', async () => {
    await expectRejected(
      await signInWith(async () => tamperSegment(await parts.issuer.issue({ userId: 'visitor-1' }), 4)),
      'decryption',
      'invalid-key',
    );
  });

  it('tampered protected header (alg rewritten to dir): malformed-token', async () => {
    const token = withHeader(await parts.issuer.issue({ userId: 'visitor-1' }), { alg: 'dir', enc: 'A256GCM' });
    await expectRejected(await signInWith(token), 'encryption-algorithm', 'malformed-token');
  });

  it('oversized userId (256 characters): credentials-rejected', async () => {
    const token = await encrypt(
      await signRs256(
        freshClaims({ 'https://iadvize.com/userId': 'u'.repeat(256) }),
        parts.keys.customer.privateKeyPem,
      ),
      parts.keys.iadvize.publicKeyPem,
    );
    await expectRejected(await signInWith(token), 'user-id', 'credentials-rejected');
  });

  it('wrong key management algorithm (RSA-OAEP with SHA-1): malformed-token', async () => {
    const token = await encrypt(
      await signRs256(freshClaims(), parts.keys.customer.privateKeyPem),
      parts.keys.iadvize.publicKeyPem,
      'RSA-OAEP',
    );
    await expectRejected(await signInWith(token), 'encryption-algorithm', 'malformed-token');
  });

  it('wrong content encryption (A128GCM): malformed-token', async () => {
    const token = await encrypt(
      await signRs256(freshClaims(), parts.keys.customer.privateKeyPem),
      parts.keys.iadvize.publicKeyPem,
      'RSA-OAEP-256',
      'A128GCM',
    );
    await expectRejected(await signInWith(token), 'encryption-algorithm', 'malformed-token');
  });

  it('inner JWS signed with PS256: malformed-token', async () => {
    const token = await encrypt(
      await signRs256(freshClaims(), parts.keys.customer.privateKeyPem, 'PS256'),
      parts.keys.iadvize.publicKeyPem,
    );
    await expectRejected(await signInWith(token), 'signature-algorithm', 'malformed-token');
  });

  it('inner JWS signed with HS256 (an HMAC): malformed-token', async () => {
    const token = await encrypt(
      await signHs256(freshClaims(), new TextEncoder().encode('s'.repeat(32))),
      parts.keys.iadvize.publicKeyPem,
    );
    await expectRejected(await signInWith(token), 'signature-algorithm', 'malformed-token');
  });

  it('inner JWT unsigned (alg none): malformed-token', async () => {
    const token = await encrypt(unsigned(freshClaims()), parts.keys.iadvize.publicKeyPem);
    await expectRejected(await signInWith(token), 'signature-algorithm', 'malformed-token');
  });

  it('five dot-separated parts of garbage: malformed-token', async () => {
    await expectRejected(await signInWith('abc.def.ghi.jkl.mno'), 'format', 'malformed-token');
  });

  it('a signed but unencrypted JWS: refused by the page, never handed to the tag (token-unavailable)', async () => {
    expectRefusedByPage(await signInWith(await signRs256(freshClaims(), parts.keys.customer.privateKeyPem)));
  });

  it('not a token at all (an error page’s text): refused by the page (token-unavailable)', async () => {
    expectRefusedByPage(await signInWith('<html>Session expired</html>'));
  });

  it('rejected under the anonymous opt-in: failed, never downgraded to anonymous', async () => {
    const fake = await fakeIAdvize(parts);
    fake.faults.rotatedCustomerKey = parts.other.customer.publicKeyPem;
    const activation = startActivation({
      tag: fake.tag,
      fetchToken: () => parts.issuer.issue({ userId: 'visitor-1' }),
      policy: { onTokenFailure: 'anonymous' },
    });
    activation.signIn('visitor-1');
    expectFailure(await settles(activation, 'failed', 'anonymous', 'active'), 'invalid-key', 'activation');
    await quietFor(30);
    expect(activation.getSnapshot()).toMatchObject({ status: 'failed', anonymous: false });
    expect(fake.calls.count('activate')).toBe(1);
    expect(fake.state.status).toBe('inactive');
  });
});
