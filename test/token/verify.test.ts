import { CompactEncrypt, exportJWK, importPKCS8, importSPKI } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { bareSpki, generateDevKeys, type DevKeys } from '../../src/token/dev-keys.js';
import { KeyError } from '../../src/token/errors.js';
import { inspectToken, verifyToken, type TokenCheck, type VerifyTokenOptions } from '../../src/token/verify.js';
import {
  NOW,
  NOW_SECONDS,
  buildToken,
  encrypt,
  signHs256,
  signRs256,
  tamperSegment,
  unsigned,
  validClaims,
  withHeader,
} from './token-builders.js';

let keys: DevKeys;
let otherKeys: DevKeys;
let options: VerifyTokenOptions;

beforeAll(async () => {
  [keys, otherKeys] = await Promise.all([generateDevKeys(), generateDevKeys()]);
  options = {
    iadvizePrivateKey: keys.iadvize.privateKeyPem,
    customerPublicKey: keys.customer.publicKeyPem,
    currentDate: NOW,
  };
});

async function expectRejected(token: string, check: TokenCheck, overrides: Partial<VerifyTokenOptions> = {}) {
  const result = await verifyToken(token, { ...options, ...overrides });
  expect(result).toMatchObject({ ok: false, check });
  if (result.ok) return;
  // Messages are read by developers and logged: never the token, never a piece of it.
  for (const segment of token.split('.').filter((part) => part.length > 16))
    expect(result.message).not.toContain(segment);
  expect(result.message.length).toBeGreaterThan(20);
  return result.message;
}

describe('verifyToken accepts a spec-conforming token', () => {
  it('returns the claims', async () => {
    const result = await verifyToken(await buildToken(keys), options);
    expect(result).toEqual({
      ok: true,
      claims: {
        userId: 'user-42',
        visitorData: { firstName: 'Jane' },
        iss: 'https://example.com',
        iat: NOW_SECONDS,
        exp: NOW_SECONDS + 60,
      },
    });
  });

  it('leaves out optional claims that are absent', async () => {
    const claims = { 'https://iadvize.com/userId': 'u', exp: NOW_SECONDS + 60 };
    expect(await verifyToken(await buildToken(keys, claims), options)).toEqual({
      ok: true,
      claims: { userId: 'u', exp: NOW_SECONDS + 60 },
    });
  });

  it('accepts the keys as bare base64 SPKI, JWK and CryptoKey', async () => {
    const token = await buildToken(keys);
    const jwk = await exportJWK(await importSPKI(keys.customer.publicKeyPem, 'RS256', { extractable: true }));
    const privateJwk = await exportJWK(
      await importPKCS8(keys.iadvize.privateKeyPem, 'RSA-OAEP-256', { extractable: true }),
    );
    const variants: Array<Partial<VerifyTokenOptions>> = [
      { customerPublicKey: bareSpki(keys.customer.publicKeyPem) },
      { customerPublicKey: jwk, iadvizePrivateKey: privateJwk },
      { customerPublicKey: JSON.stringify(jwk) },
      {
        customerPublicKey: await importSPKI(keys.customer.publicKeyPem, 'RS256'),
        iadvizePrivateKey: await importPKCS8(keys.iadvize.privateKeyPem, 'RSA-OAEP-256'),
      },
    ];
    for (const variant of variants) expect((await verifyToken(token, { ...options, ...variant })).ok).toBe(true);
  });

  it('uses the current time when no currentDate is given', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await buildToken(keys, validClaims({ iat: now, exp: now + 600 }));
    const { currentDate: _ignored, ...withoutDate } = options;
    expect((await verifyToken(token, withoutDate)).ok).toBe(true);
  });

  it('accepts a matching expected issuer', async () => {
    expect((await verifyToken(await buildToken(keys), { ...options, expectedIssuer: 'https://example.com' })).ok).toBe(
      true,
    );
  });
});

describe('verifyToken rejects', () => {
  it('a token for another iAdvize key (decryption)', async () => {
    const token = await encrypt(
      await signRs256(validClaims(), keys.customer.privateKeyPem),
      otherKeys.iadvize.publicKeyPem,
    );
    const message = await expectRejected(token, 'decryption');
    expect(message).toContain("iAdvize's private key");
  });

  it('a tampered ciphertext, encrypted key, IV or tag (decryption)', async () => {
    const token = await buildToken(keys);
    for (const index of [1, 2, 3, 4]) await expectRejected(tamperSegment(token, index), 'decryption');
  });

  it('a signature from another customer key (signature)', async () => {
    const token = await encrypt(
      await signRs256(validClaims(), otherKeys.customer.privateKeyPem),
      keys.iadvize.publicKeyPem,
    );
    const message = await expectRejected(token, 'signature');
    expect(message).toContain('customer public key');
  });

  it('a tampered inner signature (signature)', async () => {
    const jws = tamperSegment(await signRs256(validClaims(), keys.customer.privateKeyPem), 2);
    await expectRejected(await encrypt(jws, keys.iadvize.publicKeyPem), 'signature');
  });

  it('A128GCM content encryption (encryption-algorithm)', async () => {
    const jws = await signRs256(validClaims(), keys.customer.privateKeyPem);
    await expectRejected(
      await encrypt(jws, keys.iadvize.publicKeyPem, 'RSA-OAEP-256', 'A128GCM'),
      'encryption-algorithm',
    );
  });

  it('RSA-OAEP with SHA-1 key management (encryption-algorithm)', async () => {
    const jws = await signRs256(validClaims(), keys.customer.privateKeyPem);
    await expectRejected(await encrypt(jws, keys.iadvize.publicKeyPem, 'RSA-OAEP'), 'encryption-algorithm');
  });

  it('direct encryption with a shared secret (encryption-algorithm)', async () => {
    const jws = await signRs256(validClaims(), keys.customer.privateKeyPem);
    const token = await new CompactEncrypt(new TextEncoder().encode(jws))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(crypto.getRandomValues(new Uint8Array(32)));
    await expectRejected(token, 'encryption-algorithm');
  });

  it('RSA1_5 key management (encryption-algorithm)', async () => {
    const token = withHeader(await buildToken(keys), { alg: 'RSA1_5', enc: 'A256GCM', cty: 'JWT' });
    expect(await expectRejected(token, 'encryption-algorithm')).toContain('"RSA1_5"');
  });

  it('a signed JWS with no encryption (encryption-algorithm)', async () => {
    const message = await expectRejected(
      await signRs256(validClaims(), keys.customer.privateKeyPem),
      'encryption-algorithm',
    );
    expect(message).toContain('no encryption');
  });

  it('strings that are not compact JWEs (format)', async () => {
    for (const token of ['', 'not-a-token', 'a.b.c.d.e', 'eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.a.b.c', '....']) {
      await expectRejected(token, 'format');
    }
    expect(await verifyToken(42 as unknown as string, options)).toMatchObject({
      ok: false,
      check: 'format',
      message: expect.stringContaining('not a number'),
    });
    expect(await verifyToken('', options)).toMatchObject({
      ok: false,
      check: 'format',
      message: expect.stringContaining('not an empty one'),
    });
  });

  it('an inner token with alg "none" (signature-algorithm)', async () => {
    const message = await expectRejected(
      await encrypt(unsigned(validClaims()), keys.iadvize.publicKeyPem),
      'signature-algorithm',
    );
    expect(message).toContain('"none"');
  });

  it('an inner token signed with HS256 (signature-algorithm)', async () => {
    const jws = await signHs256(validClaims(), new TextEncoder().encode('a shared secret of at least 32 bytes!!'));
    await expectRejected(await encrypt(jws, keys.iadvize.publicKeyPem), 'signature-algorithm');
  });

  it('an inner token signed with PS256 (signature-algorithm)', async () => {
    const jws = await signRs256(validClaims(), keys.customer.privateKeyPem, 'PS256');
    await expectRejected(await encrypt(jws, keys.iadvize.publicKeyPem), 'signature-algorithm');
  });

  it('a JWE whose plaintext is bare claims, not a JWS (format)', async () => {
    await expectRejected(await encrypt(JSON.stringify(validClaims()), keys.iadvize.publicKeyPem), 'format');
  });

  it('a JWS whose payload is not a JSON object (format)', async () => {
    await expectRejected(await buildToken(keys, ['not', 'claims']), 'format');
  });

  it('an expired token, beyond the clock tolerance (expired)', async () => {
    await expectRejected(
      await buildToken(keys, validClaims({ iat: NOW_SECONDS - 120, exp: NOW_SECONDS - 31 })),
      'expired',
    );
    const withinTolerance = await buildToken(keys, validClaims({ iat: NOW_SECONDS - 120, exp: NOW_SECONDS - 29 }));
    expect((await verifyToken(withinTolerance, options)).ok).toBe(true);
    await expectRejected(withinTolerance, 'expired', { clockToleranceSeconds: 0 });
  });

  it('a token without a numeric exp (expired)', async () => {
    await expectRejected(await buildToken(keys, validClaims({ exp: undefined })), 'expired');
    await expectRejected(await buildToken(keys, validClaims({ exp: String(NOW_SECONDS + 60) })), 'expired');
  });

  it('a token issued in the future beyond the tolerance (issued-in-future)', async () => {
    await expectRejected(
      await buildToken(keys, validClaims({ iat: NOW_SECONDS + 31, exp: NOW_SECONDS + 120 })),
      'issued-in-future',
    );
    const withinTolerance = await buildToken(keys, validClaims({ iat: NOW_SECONDS + 29, exp: NOW_SECONDS + 120 }));
    expect((await verifyToken(withinTolerance, options)).ok).toBe(true);
    await expectRejected(await buildToken(keys, validClaims({ iat: 'yesterday' })), 'issued-in-future');
  });

  it('a missing, empty, non-string or too long userId (user-id)', async () => {
    for (const userId of [undefined, '', 42, { id: 'x' }, 'x'.repeat(256)]) {
      await expectRejected(await buildToken(keys, validClaims({ 'https://iadvize.com/userId': userId })), 'user-id');
    }
    const longest = await buildToken(keys, validClaims({ 'https://iadvize.com/userId': 'x'.repeat(255) }));
    expect((await verifyToken(longest, options)).ok).toBe(true);
  });

  it('visitorData that is not an object of strings (visitor-data)', async () => {
    for (const visitorData of [{ firstName: 42 }, ['Jane'], 'Jane', null, { email: { value: 'a@b.c' } }]) {
      await expectRejected(
        await buildToken(keys, validClaims({ 'https://iadvize.com/visitorData': visitorData })),
        'visitor-data',
      );
    }
  });

  it('another issuer when one is expected (issuer)', async () => {
    await expectRejected(await buildToken(keys), 'issuer', { expectedIssuer: 'https://other.example' });
    await expectRejected(await buildToken(keys, validClaims({ iss: undefined })), 'issuer', {
      expectedIssuer: 'https://example.com',
    });
  });
});

describe('verifyToken with unusable keys', () => {
  it('throws a KeyError naming the swapped key, for a configuration mistake rather than a bad token', async () => {
    const token = await buildToken(keys);
    await expect(
      verifyToken(token, { ...options, customerPublicKey: keys.customer.privateKeyPem }),
    ).rejects.toMatchObject({
      name: 'KeyError',
      code: 'private-key-given',
      role: 'customer-public',
    });
    await expect(
      verifyToken(token, { ...options, iadvizePrivateKey: keys.iadvize.publicKeyPem }),
    ).rejects.toBeInstanceOf(KeyError);
  });
});

describe('inspectToken', () => {
  it('shows only the outer header without keys', async () => {
    const inspection = await inspectToken(await buildToken(keys));
    expect(inspection).toEqual({
      shape: 'jwe',
      header: { alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' },
      problem: expect.stringContaining('encrypted'),
    });
  });

  it("decodes the inner header and claims with iAdvize's private key", async () => {
    const inspection = await inspectToken(await buildToken(keys), { iadvizePrivateKey: keys.iadvize.privateKeyPem });
    expect(inspection.innerHeader).toEqual({ alg: 'RS256' });
    expect(inspection.payload).toMatchObject({ 'https://iadvize.com/userId': 'user-42' });
    expect(inspection.verification).toBeUndefined();
  });

  it('adds the verification with both keys, and shows unverified claims of a badly signed token', async () => {
    const good = await inspectToken(await buildToken(keys), options);
    expect(good.verification).toMatchObject({ ok: true, claims: { userId: 'user-42' } });
    const forged = await encrypt(
      await signRs256(validClaims(), otherKeys.customer.privateKeyPem),
      keys.iadvize.publicKeyPem,
    );
    const bad = await inspectToken(forged, options);
    expect(bad.verification).toMatchObject({ ok: false, check: 'signature' });
    expect(bad.payload).toMatchObject({ 'https://iadvize.com/userId': 'user-42' });
  });

  it('reports a token it cannot decrypt, and never returns key material', async () => {
    const token = await encrypt(
      await signRs256(validClaims(), keys.customer.privateKeyPem),
      otherKeys.iadvize.publicKeyPem,
    );
    const inspection = await inspectToken(token, options);
    expect(inspection.problem).toContain('does not decrypt');
    expect(inspection.verification).toMatchObject({ ok: false, check: 'decryption' });
    const text = JSON.stringify(inspection);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(bareSpki(keys.customer.publicKeyPem).slice(40, 80));
  });

  it('recognises an unencrypted JWS and a non-token', async () => {
    const jws = await inspectToken(await signRs256(validClaims(), keys.customer.privateKeyPem));
    expect(jws).toMatchObject({
      shape: 'jws',
      header: { alg: 'RS256' },
      payload: { 'https://iadvize.com/userId': 'user-42' },
    });
    expect(await inspectToken('hello')).toMatchObject({ shape: 'unknown', problem: expect.any(String) });
  });
});
