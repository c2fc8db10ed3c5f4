import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssuer } from '../../src/token/issue.js';
import { KeyLoadError } from '../../src/token/errors.js';
import { KEY_ENV_VARIABLES, loadKeyFromEnv, loadKeysFromEnv, loadKeysFromFiles } from '../../src/token/load-keys.js';
import { bareSpki, generateDevKeys, type DevKeys } from '../../src/token/dev-keys.js';

let keys: DevKeys;
let dir: string;

beforeAll(async () => {
  keys = await generateDevKeys();
  dir = await mkdtemp(join(tmpdir(), 'load-keys-'));
  await writeFile(join(dir, 'customer-private.pem'), keys.customer.privateKeyPem);
  await writeFile(join(dir, 'iadvize-public.txt'), bareSpki(keys.iadvize.publicKeyPem));
  await writeFile(join(dir, 'customer-public.pem'), keys.customer.publicKeyPem);
  await writeFile(
    join(dir, 'garbage.pem'),
    '-----BEGIN PRIVATE KEY-----\nc2VjcmV0IGdhcmJhZ2UgdGhhdCBpcyBub3QgYSBrZXk=\n-----END PRIVATE KEY-----\n',
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(promise: Promise<unknown>): Promise<KeyLoadError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KeyLoadError);
  return error as KeyLoadError;
}

describe('loadKeysFromEnv', () => {
  it('reads the default variables, PEM with escaped newlines and bare base64, into keys the issuer takes', async () => {
    const env = {
      [KEY_ENV_VARIABLES.privateKey]: keys.customer.privateKeyPem.replace(/\n/g, '\\n'),
      [KEY_ENV_VARIABLES.iadvizePublicKey]: bareSpki(keys.iadvize.publicKeyPem),
    };
    const loaded = await loadKeysFromEnv({}, env);
    expect(loaded.privateKey.type).toBe('private');
    expect(loaded.iadvizePublicKey.type).toBe('public');
    const issuer = await createTokenIssuer({ ...loaded, issuer: 'https://example.com' });
    expect(await issuer.issue({ userId: 'u' })).toMatch(/^eyJ/);
  });

  it('reads custom variable names', async () => {
    const env = { MY_KEY: keys.customer.privateKeyPem, THEIR_KEY: keys.iadvize.publicKeyPem };
    const loaded = await loadKeysFromEnv({ privateKey: 'MY_KEY', iadvizePublicKey: 'THEIR_KEY' }, env);
    expect(loaded.privateKey).toMatchObject({ type: 'private', algorithm: { name: 'RSASSA-PKCS1-v1_5' } });
    expect(loaded.iadvizePublicKey).toMatchObject({ type: 'public', algorithm: { name: 'RSA-OAEP' } });
    // The default names are not in this environment: only the given ones were read.
    await expect(loadKeysFromEnv({}, env)).rejects.toThrow(/IADVIZE_CUSTOMER_PRIVATE_KEY/);
  });

  it('names a missing or empty variable', async () => {
    const error = await loadError(
      loadKeysFromEnv({}, { [KEY_ENV_VARIABLES.iadvizePublicKey]: keys.iadvize.publicKeyPem }),
    );
    expect(error).toMatchObject({
      code: 'missing',
      source: `env:${KEY_ENV_VARIABLES.privateKey}`,
      role: 'customer-private',
    });
    expect(error.message).toContain(KEY_ENV_VARIABLES.privateKey);
    expect(await loadError(loadKeyFromEnv('EMPTY', 'customer-private', { EMPTY: '  ' }))).toMatchObject({
      code: 'missing',
    });
  });

  it('names a malformed variable without printing its content', async () => {
    const env = {
      [KEY_ENV_VARIABLES.privateKey]: keys.customer.publicKeyPem,
      [KEY_ENV_VARIABLES.iadvizePublicKey]: keys.iadvize.publicKeyPem,
    };
    const error = await loadError(loadKeysFromEnv({}, env));
    expect(error).toMatchObject({
      code: 'malformed',
      source: `env:${KEY_ENV_VARIABLES.privateKey}`,
      keyError: { code: 'public-key-given' },
    });
    expect(error.message).toContain(KEY_ENV_VARIABLES.privateKey);
    expect(error.message).not.toContain(bareSpki(keys.customer.publicKeyPem).slice(0, 40));
  });
});

describe('loadKeysFromFiles', () => {
  it('reads PEM and bare base64 files', async () => {
    const loaded = await loadKeysFromFiles({
      privateKey: join(dir, 'customer-private.pem'),
      iadvizePublicKey: join(dir, 'iadvize-public.txt'),
    });
    expect(loaded.iadvizePublicKey.algorithm).toMatchObject({ name: 'RSA-OAEP' });
  });

  it('names a missing file', async () => {
    const missing = join(dir, 'nope.pem');
    const error = await loadError(
      loadKeysFromFiles({ privateKey: missing, iadvizePublicKey: join(dir, 'iadvize-public.txt') }),
    );
    expect(error).toMatchObject({ code: 'missing', source: missing, role: 'customer-private' });
    expect(error.message).toContain(missing);
  });

  it('names an unreadable path and a malformed or swapped file, without printing the content', async () => {
    const unreadable = await loadError(
      loadKeysFromFiles({ privateKey: dir, iadvizePublicKey: join(dir, 'iadvize-public.txt') }),
    );
    expect(unreadable).toMatchObject({ code: 'unreadable', source: dir });
    const garbage = await loadError(
      loadKeysFromFiles({ privateKey: join(dir, 'garbage.pem'), iadvizePublicKey: join(dir, 'iadvize-public.txt') }),
    );
    expect(garbage).toMatchObject({ code: 'malformed', keyError: { code: 'key-format' } });
    expect(garbage.message).toContain('garbage.pem');
    expect(garbage.message).not.toContain('c2VjcmV0');
    const swapped = await loadError(
      loadKeysFromFiles({
        privateKey: join(dir, 'customer-private.pem'),
        iadvizePublicKey: join(dir, 'customer-private.pem'),
      }),
    );
    expect(swapped).toMatchObject({
      code: 'malformed',
      role: 'iadvize-public',
      keyError: { code: 'private-key-given' },
    });
  });
});
