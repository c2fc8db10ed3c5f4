import { exportJWK, generateKeyPair, importPKCS8, importSPKI } from 'jose';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bareSpki, generateDevKeys, type DevKeys } from '../../src/token/dev-keys.js';
import { KeyError, type KeyErrorCode, type KeyRole } from '../../src/token/errors.js';
import { importKey, type KeyInput } from '../../src/token/keys.js';

let keys: DevKeys;

beforeAll(async () => {
  keys = await generateDevKeys();
});

/** The base64 body of a PEM, to check no message ever quotes key material. */
function material(pem: string): string {
  return bareSpki(pem.replace(/PRIVATE/g, 'PUBLIC')).slice(64, 128);
}

async function expectKeyError(input: KeyInput, role: KeyRole, code: KeyErrorCode): Promise<KeyError> {
  const error = await importKey(input, role).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KeyError);
  expect(error).toMatchObject({ code, role });
  const keyError = error as KeyError;
  if (typeof input === 'string' && input.length > 200) expect(keyError.message).not.toContain(material(input));
  return keyError;
}

describe('importKey accepts every documented form', () => {
  it('PEM PKCS#8 and SPKI for each role, bound to the role algorithm', async () => {
    const signing = await importKey(keys.customer.privateKeyPem, 'customer-private');
    expect(signing).toMatchObject({ type: 'private', algorithm: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048 } });
    expect(signing.usages).toEqual(['sign']);
    expect(await importKey(keys.customer.publicKeyPem, 'customer-public')).toMatchObject({
      type: 'public',
      usages: ['verify'],
    });
    const encrypting = await importKey(keys.iadvize.publicKeyPem, 'iadvize-public');
    expect(encrypting).toMatchObject({ type: 'public', algorithm: { name: 'RSA-OAEP', hash: { name: 'SHA-256' } } });
    expect(encrypting.usages).toContain('encrypt');
    const decrypting = await importKey(keys.iadvize.privateKeyPem, 'iadvize-private');
    expect(decrypting).toMatchObject({ type: 'private', algorithm: { name: 'RSA-OAEP' } });
    expect(decrypting.usages).toContain('decrypt');
  });

  it('bare base64 SPKI, as iAdvize publishes its key, with or without line breaks', async () => {
    const bare = bareSpki(keys.iadvize.publicKeyPem);
    expect(await importKey(bare, 'iadvize-public')).toMatchObject({ type: 'public', algorithm: { name: 'RSA-OAEP' } });
    expect(await importKey(bare.replace(/(.{64})/g, '$1\n'), 'iadvize-public')).toMatchObject({ type: 'public' });
  });

  it('PEM whose newlines are written "\\n", as environment variables often carry them', async () => {
    const escaped = keys.customer.privateKeyPem.replace(/\n/g, '\\n');
    expect(await importKey(escaped, 'customer-private')).toMatchObject({ type: 'private' });
  });

  it('JWK objects and JWK JSON text', async () => {
    const jwk = await exportJWK(await importPKCS8(keys.customer.privateKeyPem, 'RS256', { extractable: true }));
    expect(await importKey(jwk, 'customer-private')).toMatchObject({ type: 'private' });
    expect(await importKey(JSON.stringify({ ...jwk, alg: 'RS256', use: 'sig' }), 'customer-private')).toMatchObject({
      type: 'private',
    });
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
    expect(await importKey(publicJwk, 'iadvize-public')).toMatchObject({
      type: 'public',
      algorithm: { name: 'RSA-OAEP' },
    });
  });

  it('a CryptoKey of the right kind, returned as is', async () => {
    const cryptoKey = await importSPKI(keys.iadvize.publicKeyPem, 'RSA-OAEP-256');
    expect(await importKey(cryptoKey, 'iadvize-public')).toBe(cryptoKey);
  });

  it('imports the same text once', async () => {
    const first = await importKey(keys.customer.publicKeyPem, 'customer-public');
    expect(await importKey(keys.customer.publicKeyPem, 'customer-public')).toBe(first);
    expect(await importKey(keys.customer.publicKeyPem, 'customer-public')).not.toBe(
      await importKey(keys.customer.publicKeyPem, 'iadvize-public'),
    );
  });
});

describe('importKey names the mistake', () => {
  it('a public key where a private key is needed', async () => {
    const error = await expectKeyError(keys.customer.publicKeyPem, 'customer-private', 'public-key-given');
    expect(error.message).toMatch(/customer private key.*public key was given/);
    await expectKeyError(bareSpki(keys.iadvize.publicKeyPem), 'iadvize-private', 'public-key-given');
    await expectKeyError(await importSPKI(keys.customer.publicKeyPem, 'RS256'), 'customer-private', 'public-key-given');
  });

  it('a private key where a public key is expected', async () => {
    const error = await expectKeyError(keys.iadvize.privateKeyPem, 'iadvize-public', 'private-key-given');
    expect(error.message).toMatch(/iAdvize's public key.*private key was given/);
    const barePkcs8 = keys.customer.privateKeyPem.replace(/-----(BEGIN|END) PRIVATE KEY-----|\s/g, '');
    await expectKeyError(barePkcs8, 'customer-public', 'private-key-given');
    const jwk = await exportJWK(await importPKCS8(keys.customer.privateKeyPem, 'RS256', { extractable: true }));
    await expectKeyError(jwk, 'customer-public', 'private-key-given');
  });

  it('an RSA key under 2048 bits', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const error = await expectKeyError(pem, 'customer-private', 'key-too-small');
    expect(error.message).toContain('1024-bit');
  });

  it('a key that is not RSA', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expectKeyError(
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'customer-private',
      'key-type',
    );
    await expectKeyError(
      bareSpki(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
      'iadvize-public',
      'key-type',
    );
    const ec = await generateKeyPair('ES256', { extractable: true });
    await expectKeyError(await exportJWK(ec.publicKey), 'customer-public', 'key-type');
    await expectKeyError(ec.publicKey, 'customer-public', 'key-type');
  });

  it('a CryptoKey or JWK bound to the other pair algorithm', async () => {
    await expectKeyError(await importSPKI(keys.customer.publicKeyPem, 'RS256'), 'iadvize-public', 'key-algorithm');
    const jwk = await exportJWK(await importSPKI(keys.customer.publicKeyPem, 'RS256'));
    const error = await expectKeyError({ ...jwk, alg: 'RS256' }, 'iadvize-public', 'key-algorithm');
    expect(error.message).toContain('other pair');
    await expectKeyError({ ...jwk, use: 'sig' }, 'iadvize-public', 'key-algorithm');
  });

  it('PKCS#1 and encrypted PEM, with the conversion command', async () => {
    const pkcs1 = createPrivateKey(keys.customer.privateKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect((await expectKeyError(pkcs1, 'customer-private', 'key-format')).message).toContain('openssl pkcs8 -topk8');
    const encrypted = createPrivateKey(keys.customer.privateKeyPem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
      .toString();
    expect((await expectKeyError(encrypted, 'customer-private', 'key-format')).message).toContain('encrypted');
  });

  it('missing keys, non-keys and truncated keys', async () => {
    await expectKeyError('', 'customer-private', 'key-missing');
    await expectKeyError(undefined as unknown as KeyInput, 'customer-private', 'key-missing');
    await expectKeyError('hello world!', 'customer-private', 'key-format');
    await expectKeyError(42 as unknown as KeyInput, 'customer-private', 'key-format');
    await expectKeyError('{not json', 'customer-private', 'key-format');
    await expectKeyError({ n: 'x' } as JsonWebKey, 'customer-public', 'key-format');
    await expectKeyError(
      keys.customer.privateKeyPem.replace('-----END PRIVATE KEY-----', ''),
      'customer-private',
      'key-format',
    );
    const truncated = keys.customer.privateKeyPem.replace(/\n[A-Za-z0-9+/=]{64}\n/, '\n');
    expect((await expectKeyError(truncated, 'customer-private', 'key-format')).message).toContain('truncated');
    const lastLineCut = keys.iadvize.publicKeyPem.replace(/\n[A-Za-z0-9+/=]+\n-----END/, '\n-----END');
    await expectKeyError(lastLineCut, 'iadvize-public', 'key-format');
  });
});
