import { compactDecrypt, decodeProtectedHeader, exportJWK, importPKCS8, importSPKI } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTokenIssuer,
  MAX_TTL_SECONDS,
  type TokenIssuerOptions,
  type VisitorIdentity,
} from '../../src/token/issue.js';
import { bareSpki, generateDevKeys, type DevKeys } from '../../src/token/dev-keys.js';
import { KeyError, TokenInputError } from '../../src/token/errors.js';
import { importKey } from '../../src/token/keys.js';
import { verifyToken } from '../../src/token/verify.js';

const NOW_MS = Date.parse('2026-01-15T12:00:00.750Z');
const NOW_SECONDS = Math.floor(NOW_MS / 1000);

let keys: DevKeys;
let base: TokenIssuerOptions;

beforeAll(async () => {
  keys = await generateDevKeys();
  base = {
    privateKey: keys.customer.privateKeyPem,
    iadvizePublicKey: bareSpki(keys.iadvize.publicKeyPem),
    issuer: 'https://example.com',
    now: () => NOW_MS,
  };
});

function verify(token: string) {
  return verifyToken(token, {
    iadvizePrivateKey: keys.iadvize.privateKeyPem,
    customerPublicKey: keys.customer.publicKeyPem,
    currentDate: new Date(NOW_MS),
  });
}

describe('createTokenIssuer', () => {
  it('issues a token the verifier accepts, with the documented claims', async () => {
    const issuer = await createTokenIssuer(base);
    const token = await issuer.issue({
      userId: 'user-42',
      visitorData: { firstName: 'Jane', email: 'jane@example.com' },
    });
    expect(await verify(token)).toEqual({
      ok: true,
      claims: {
        userId: 'user-42',
        visitorData: { firstName: 'Jane', email: 'jane@example.com' },
        iss: 'https://example.com',
        iat: NOW_SECONDS,
        exp: NOW_SECONDS + 60,
      },
    });
  });

  it('nests an RS256 JWS in an RSA-OAEP-256/A256GCM JWE with cty JWT, headers exactly as specified', async () => {
    const token = await (await createTokenIssuer(base)).issue({ userId: 'u' });
    expect(token.split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' });
    const { plaintext } = await compactDecrypt(token, await importPKCS8(keys.iadvize.privateKeyPem, 'RSA-OAEP-256'));
    const jws = new TextDecoder().decode(plaintext);
    expect(jws.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: 'RS256' });
  });

  it('returns the expiry in milliseconds since the epoch, from the ttl', async () => {
    const issuer = await createTokenIssuer({ ...base, ttlSeconds: 300 });
    const { token, expiresAt } = await issuer.issueWithExpiry({ userId: 'u' });
    expect(expiresAt).toBe((NOW_SECONDS + 300) * 1000);
    expect(await verify(token)).toMatchObject({ ok: true, claims: { exp: NOW_SECONDS + 300 } });
    expect(issuer).toMatchObject({ issuer: 'https://example.com', ttlSeconds: 300 });
  });

  it('leaves visitorData out when absent and drops undefined fields', async () => {
    const issuer = await createTokenIssuer(base);
    expect(await verify(await issuer.issue({ userId: 'u' }))).toEqual({
      ok: true,
      claims: expect.not.objectContaining({ visitorData: expect.anything() }),
    });
    const token = await issuer.issue({ userId: 'u', visitorData: { firstName: 'Jane', lastName: undefined } });
    expect(await verify(token)).toMatchObject({ ok: true, claims: { visitorData: { firstName: 'Jane' } } });
  });

  it('encrypts every token afresh', async () => {
    const issuer = await createTokenIssuer(base);
    expect(await issuer.issue({ userId: 'u' })).not.toBe(await issuer.issue({ userId: 'u' }));
  });

  it('accepts the keys as PEM, JWK and CryptoKey too', async () => {
    const signingJwk = await exportJWK(await importPKCS8(keys.customer.privateKeyPem, 'RS256', { extractable: true }));
    const variants: Array<Pick<TokenIssuerOptions, 'privateKey' | 'iadvizePublicKey'>> = [
      { privateKey: keys.customer.privateKeyPem, iadvizePublicKey: keys.iadvize.publicKeyPem },
      {
        privateKey: signingJwk,
        iadvizePublicKey: await exportJWK(await importSPKI(keys.iadvize.publicKeyPem, 'RSA-OAEP-256')),
      },
      {
        privateKey: await importPKCS8(keys.customer.privateKeyPem, 'RS256'),
        iadvizePublicKey: await importSPKI(keys.iadvize.publicKeyPem, 'RSA-OAEP-256'),
      },
    ];
    for (const variant of variants) {
      const issuer = await createTokenIssuer({ ...base, ...variant });
      expect((await verify(await issuer.issue({ userId: 'u' }))).ok).toBe(true);
    }
  });
});

describe('createTokenIssuer refuses bad input with a typed error', () => {
  async function issueError(identity: unknown): Promise<TokenInputError> {
    const issuer = await createTokenIssuer(base);
    const error: unknown = await issuer.issue(identity as VisitorIdentity).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TokenInputError);
    return error as TokenInputError;
  }

  it('userId: missing, empty, not a string, over 255 characters', async () => {
    for (const userId of [undefined, '', 42, 'x'.repeat(256)]) {
      expect(await issueError({ userId })).toMatchObject({ code: 'user-id' });
    }
    expect((await issueError({ userId: 'x'.repeat(256) })).message).toContain('256 characters');
    expect(await issueError(null)).toMatchObject({ code: 'identity' });
    await expect((await createTokenIssuer(base)).issue({ userId: 'x'.repeat(255) })).resolves.toEqual(
      expect.any(String),
    );
  });

  it('visitorData: not an object, undocumented fields, non-string values', async () => {
    for (const visitorData of [null, 'Jane', ['Jane'], { nickname: 'J' }, { firstName: 42 }]) {
      expect(await issueError({ userId: 'u', visitorData })).toMatchObject({ code: 'visitor-data' });
    }
    expect((await issueError({ userId: 'u', visitorData: { nickname: 'J' } })).message).toContain(
      'firstName, lastName, email',
    );
  });

  it('ttl: not a whole number of seconds in 1..86400', async () => {
    for (const ttlSeconds of [0, -1, 1.5, MAX_TTL_SECONDS + 1, Number.NaN]) {
      await expect(createTokenIssuer({ ...base, ttlSeconds })).rejects.toMatchObject({
        name: 'TokenInputError',
        code: 'ttl',
      });
    }
    await expect(createTokenIssuer({ ...base, ttlSeconds: MAX_TTL_SECONDS })).resolves.toMatchObject({
      ttlSeconds: MAX_TTL_SECONDS,
    });
  });

  it('issuer: empty', async () => {
    await expect(createTokenIssuer({ ...base, issuer: '' })).rejects.toMatchObject({ code: 'issuer' });
  });

  it('keys swapped: a public key to sign, a private key to encrypt; messages never quote the key', async () => {
    const swapped = createTokenIssuer({ ...base, privateKey: keys.customer.publicKeyPem });
    await expect(swapped).rejects.toBeInstanceOf(KeyError);
    await expect(swapped).rejects.toMatchObject({ code: 'public-key-given', role: 'customer-private' });
    const reversed: unknown = await createTokenIssuer({ ...base, iadvizePublicKey: keys.iadvize.privateKeyPem }).catch(
      (error: unknown) => error,
    );
    expect(reversed).toMatchObject({ code: 'private-key-given', role: 'iadvize-public' });
    const body = keys.iadvize.privateKeyPem.split('\n')[5] ?? 'unreachable';
    expect((reversed as Error).message).not.toContain(body);
  });
});

/**
 * The PEM with one base64 character of the RSA modulus changed, as a bad copy-paste does: still
 * a well-formed PKCS#8 key that imports, but its signatures no longer verify with its public half.
 * In a 2048-bit PKCS#8 key the modulus starts at byte 38; character 184 encodes byte 138.
 */
function withModulusCharacterChanged(pem: string): string {
  const body = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  const at = 184;
  const changed = `${body.slice(0, at)}${body[at] === 'A' ? 'B' : 'A'}${body.slice(at + 1)}`;
  return `-----BEGIN PRIVATE KEY-----\n${changed.replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
}

describe('createTokenIssuer proves the key pair at start-up', () => {
  it('refuses a private key with one modulus character changed, as PEM, as a key loaded by importKey, and as a JWK: key-inconsistent, the fix in the message, no key material', async () => {
    const corrupted = withModulusCharacterChanged(keys.customer.privateKeyPem);
    // It is still a key WebCrypto imports: only signing and verifying shows it is broken.
    await expect(importPKCS8(corrupted, 'RS256')).resolves.toBeDefined();
    const asJwk = await exportJWK(await importPKCS8(corrupted, 'RS256', { extractable: true }));
    for (const privateKey of [corrupted, await importKey(corrupted, 'customer-private'), asJwk]) {
      const error: unknown = await createTokenIssuer({ ...base, privateKey }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(KeyError);
      expect(error).toMatchObject({ code: 'key-inconsistent', role: 'customer-private' });
      const { message } = error as KeyError;
      expect(message).toMatch(/signatures that do not verify.*copy it again from its source, or generate a new pair/);
      for (const line of corrupted.split('\n').slice(1, -2)) expect(message).not.toContain(line.slice(0, 20));
      expect(message).not.toContain(asJwk.n!.slice(0, 20));
    }
  });

  it('refuses a private key that is not the half of the customerPublicKey given; accepts the matching one', async () => {
    const other = await generateDevKeys();
    await expect(createTokenIssuer({ ...base, customerPublicKey: other.customer.publicKeyPem })).rejects.toMatchObject({
      code: 'key-inconsistent',
      message: expect.stringContaining('customerPublicKey is not its public half'),
    });
    await expect(createTokenIssuer({ ...base, customerPublicKey: keys.customer.publicKeyPem })).resolves.toMatchObject({
      issuer: base.issuer,
    });
  });
});
