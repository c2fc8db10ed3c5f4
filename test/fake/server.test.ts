// The fake iAdvize server: every check of token-format.md answered with the vendor's wording,
// each wording mapped by the contract module to the intended failure code; faults; HTTP.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FAKE_REJECTION_REASONS } from '../../src/fake/reasons.js';
import { codeForReason, VENDOR_REASONS } from '../../src/tag/contract.js';
import type { FailureCode } from '../../machines/failures.js';
import { generateDevKeys, type DevKeys } from '../../src/token/dev-keys.js';
import type { TokenCheck } from '../../src/token/verify.js';
import { createFakeIAdvizeServer, type FakeIAdvizeServerOptions } from '../../src/fake/server.js';
import { buildToken, encrypt, NOW, NOW_SECONDS, signHs256, signRs256, validClaims } from '../token/token-builders.js';

let keys: DevKeys;
let other: DevKeys;

beforeAll(async () => {
  [keys, other] = await Promise.all([generateDevKeys(), generateDevKeys()]);
});

function server(options: Partial<FakeIAdvizeServerOptions> = {}) {
  return createFakeIAdvizeServer({
    customerPublicKey: keys.customer.publicKeyPem,
    iadvizePrivateKey: keys.iadvize.privateKeyPem,
    now: () => NOW.getTime(),
    ...options,
  });
}

const CODE_OF_CHECK: { readonly [C in TokenCheck]: FailureCode } = {
  format: 'malformed-token',
  'encryption-algorithm': 'malformed-token',
  'signature-algorithm': 'malformed-token',
  decryption: 'invalid-key',
  signature: 'invalid-key',
  expired: 'credentials-rejected',
  'issued-in-future': 'credentials-rejected',
  'user-id': 'credentials-rejected',
  'visitor-data': 'credentials-rejected',
  issuer: 'credentials-rejected',
};

describe('fake iAdvize server: token checks', () => {
  it('accepts a conforming token and answers the user id and visitor data', async () => {
    const fake = await server();
    const answer = await fake.authenticate(await buildToken(keys));
    expect(answer).toEqual({ ok: true, userId: 'user-42', visitorData: { firstName: 'Jane' } });
    expect(fake.calls.of('server-check')).toEqual([
      { type: 'server-check', ok: true, userId: 'user-42', at: NOW.getTime() },
    ]);
  });

  it.each(Object.entries(CODE_OF_CHECK) as Array<[TokenCheck, FailureCode]>)(
    'words the %s rejection so it maps to %s',
    (check, code) => {
      expect(codeForReason(FAKE_REJECTION_REASONS[check])).toBe(code);
    },
  );

  const rejections: Array<[string, TokenCheck, () => Promise<string>]> = [
    ['garbage', 'format', async () => 'not-a-token'],
    ['a JWS with no encryption', 'encryption-algorithm', () => signRs256(validClaims(), keys.customer.privateKeyPem)],
    [
      'A128GCM content encryption',
      'encryption-algorithm',
      async () =>
        encrypt(
          await signRs256(validClaims(), keys.customer.privateKeyPem),
          keys.iadvize.publicKeyPem,
          'RSA-OAEP-256',
          'A128GCM',
        ),
    ],
    [
      'RSA-OAEP (not -256)',
      'encryption-algorithm',
      async () =>
        encrypt(await signRs256(validClaims(), keys.customer.privateKeyPem), keys.iadvize.publicKeyPem, 'RSA-OAEP'),
    ],
    [
      'an HMAC inner JWS',
      'signature-algorithm',
      async () => encrypt(await signHs256(validClaims(), new Uint8Array(32).fill(7)), keys.iadvize.publicKeyPem),
    ],
    [
      "another iAdvize key's encryption",
      'decryption',
      () => buildToken({ customer: keys.customer, iadvize: other.iadvize }),
    ],
    [
      "another customer key's signature",
      'signature',
      () => buildToken({ customer: other.customer, iadvize: keys.iadvize }),
    ],
    [
      'an expired token',
      'expired',
      () => buildToken(keys, validClaims({ iat: NOW_SECONDS - 600, exp: NOW_SECONDS - 300 })),
    ],
    [
      'a token issued in the future',
      'issued-in-future',
      () => buildToken(keys, validClaims({ iat: NOW_SECONDS + 600, exp: NOW_SECONDS + 660 })),
    ],
    ['no userId', 'user-id', () => buildToken(keys, validClaims({ 'https://iadvize.com/userId': undefined }))],
    [
      'a 256-character userId',
      'user-id',
      () => buildToken(keys, validClaims({ 'https://iadvize.com/userId': 'u'.repeat(256) })),
    ],
    [
      'visitorData with a number',
      'visitor-data',
      () => buildToken(keys, validClaims({ 'https://iadvize.com/visitorData': { zipCode: 44000 } })),
    ],
  ];

  it.each(rejections)('rejects %s (%s) with the vendor wording, never echoing the token', async (_, check, build) => {
    const fake = await server();
    const token = await build();
    const answer = await fake.authenticate(token);
    expect(answer).toEqual({ ok: false, kind: 'rejected', check, reason: FAKE_REJECTION_REASONS[check] });
    expect(answer.ok || codeForReason(answer.reason)).toBe(CODE_OF_CHECK[check]);
    const [entry] = fake.calls.of('server-check');
    expect(entry).toMatchObject({ ok: false, check, reason: FAKE_REJECTION_REASONS[check] });
    expect(entry && !entry.ok && entry.detail).toBeTruthy();
    if (token.length > 20) expect(JSON.stringify(fake.calls.entries)).not.toContain(token.slice(0, 40));
  });

  it('checks the issuer when one is expected', async () => {
    const fake = await server({ expectedIssuer: 'https://shop.example' });
    expect(await fake.authenticate(await buildToken(keys))).toMatchObject({
      ok: false,
      check: 'issuer',
      reason: FAKE_REJECTION_REASONS.issuer,
    });
  });

  it('refuses unusable keys at creation', async () => {
    await expect(server({ customerPublicKey: keys.customer.privateKeyPem })).rejects.toThrow(/customer public key/);
  });
});

describe('fake iAdvize server: faults', () => {
  it('answers injected server errors n times, then checks tokens again', async () => {
    const fake = await server();
    fake.faults.serverErrors = 2;
    const token = await buildToken(keys);
    const answers = [await fake.authenticate(token), await fake.authenticate(token), await fake.authenticate(token)];
    expect(answers.map((answer) => answer.ok)).toEqual([false, false, true]);
    expect(answers[0]).toEqual({ ok: false, kind: 'server-error', reason: VENDOR_REASONS.serverError });
    expect(codeForReason(VENDOR_REASONS.serverError)).toBe('server-error');
    expect(fake.calls.of('server-check').map((entry) => (entry.ok ? 'ok' : entry.check))).toEqual([
      'server-fault',
      'server-fault',
      'ok',
    ]);
  });

  it("answers server errors 'always' until told otherwise", async () => {
    const fake = await server();
    fake.faults.serverErrors = 'always';
    const token = await buildToken(keys);
    for (let i = 0; i < 5; i += 1) expect((await fake.authenticate(token)).ok).toBe(false);
    fake.faults.serverErrors = 0;
    expect((await fake.authenticate(token)).ok).toBe(true);
  });

  it('verifies with the rotated key once the customer key is no longer registered', async () => {
    const fake = await server();
    const token = await buildToken(keys);
    fake.faults.rotatedCustomerKey = other.customer.publicKeyPem;
    expect(await fake.authenticate(token)).toMatchObject({ ok: false, check: 'signature' });
  });

  it('answers a server error when its own key configuration is unusable', async () => {
    const fake = await server();
    fake.faults.rotatedCustomerKey = 'not a key';
    expect(await fake.authenticate(await buildToken(keys))).toEqual({
      ok: false,
      kind: 'server-error',
      reason: VENDOR_REASONS.serverError,
    });
    expect(fake.calls.of('server-check')[0]).toMatchObject({ ok: false, check: 'server-fault' });
  });

  it.each([
    ['ahead by 10 minutes: fresh tokens look expired', 10 * 60_000, 'expired'],
    ['behind by 10 minutes: fresh tokens look issued in the future', -10 * 60_000, 'issued-in-future'],
  ] as const)('with a server clock %s', async (_, clockSkewMs, check) => {
    const fake = await server({ clockSkewMs });
    expect(await fake.authenticate(await buildToken(keys))).toMatchObject({ ok: false, check });
    fake.faults.clockSkewMs = 20_000; // within the 30 s tolerance
    expect((await fake.authenticate(await buildToken(keys))).ok).toBe(true);
  });

  it('adds latency before answering (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const fake = await server();
      fake.faults.latencyMs = 5_000;
      fake.faults.serverErrors = 1;
      let answered = false;
      const answer = fake.authenticate('whatever').then(() => (answered = true));
      await vi.advanceTimersByTimeAsync(4_999);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await answer;
      expect(answered).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('dispose clears pending latency timers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const fake = await server();
      fake.faults.latencyMs = 5_000;
      void fake.authenticate('whatever');
      expect(vi.getTimerCount()).toBe(1);
      fake.dispose();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('fake iAdvize server: HTTP handler', () => {
  const post = (body: string) =>
    new Request('http://fake.test/fake-iadvize/authenticate', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });

  it('answers 200 with the identity for a good token', async () => {
    const fake = await server();
    const response = await fake.handler(post(JSON.stringify({ token: await buildToken(keys) })));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ ok: true, userId: 'user-42', visitorData: { firstName: 'Jane' } });
  });

  it('answers 401 with the rejection for a bad token, and for a body with no token', async () => {
    const fake = await server();
    const expired = await fake.handler(
      post(JSON.stringify({ token: await buildToken(keys, validClaims({ exp: NOW_SECONDS - 300 })) })),
    );
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({
      ok: false,
      kind: 'rejected',
      check: 'expired',
      reason: FAKE_REJECTION_REASONS.expired,
    });
    for (const body of ['{}', 'not json', JSON.stringify({ token: 42 })]) {
      const response = await fake.handler(post(body));
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ check: 'format', reason: FAKE_REJECTION_REASONS.format });
    }
  });

  it('answers 500 for a server error and 405 for anything but POST', async () => {
    const fake = await server();
    fake.faults.serverErrors = 1;
    const failing = await fake.handler(post(JSON.stringify({ token: 'x' })));
    expect(failing.status).toBe(500);
    expect(await failing.json()).toEqual({ ok: false, kind: 'server-error', reason: VENDOR_REASONS.serverError });
    const get = await fake.handler(new Request('http://fake.test/fake-iadvize/authenticate'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});
