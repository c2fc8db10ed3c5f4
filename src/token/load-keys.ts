// Loads the keys a server needs from environment variables or files, imported and checked once
// at start-up. Errors name the variable or the file, never its content.
import { KeyError, KeyLoadError, type KeyRole } from './errors.js';
import { importKey } from './keys.js';
import { ROLES } from './key-roles.js';

/** The variables read by default (and by the CLI). */
export const KEY_ENV_VARIABLES = {
  /** The customer private key, PEM (newlines may be written as "\n"). */
  privateKey: 'IADVIZE_CUSTOMER_PRIVATE_KEY',
  /** iAdvize's public key, bare base64 SPKI as iAdvize publishes it, or PEM. */
  iadvizePublicKey: 'IADVIZE_PUBLIC_KEY',
  /** The customer public key, for verifying (the fake iAdvize, `iadvize-activation verify`). */
  customerPublicKey: 'IADVIZE_CUSTOMER_PUBLIC_KEY',
  /** The local stand-in for iAdvize's private key: development only. */
  iadvizePrivateKey: 'IADVIZE_DEV_PRIVATE_KEY',
} as const;

/** The keys `createTokenIssuer` takes, already imported. */
export interface IssuerKeys {
  privateKey: CryptoKey;
  iadvizePublicKey: CryptoKey;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Guarded: edge runtimes may have no `process`. */
function processEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

export async function loadKeyFromEnv(name: string, role: KeyRole, env: Env = processEnv()): Promise<CryptoKey> {
  const source = `env:${name}`;
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new KeyLoadError(
      'missing',
      source,
      role,
      `the environment variable ${name} is not set: put ${ROLES[role].label} in it (PEM, bare base64 or JWK)`,
    );
  }
  return importFrom(value, source, `the environment variable ${name}`, role);
}

export async function loadKeyFromFile(path: string, role: KeyRole): Promise<CryptoKey> {
  // Imported on use so the server entry stays loadable where node:fs does not exist (edge runtimes).
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') {
      throw new KeyLoadError(
        'missing',
        path,
        role,
        `the key file ${path} does not exist: it should hold ${ROLES[role].label}`,
      );
    }
    throw new KeyLoadError(
      'unreadable',
      path,
      role,
      `the key file ${path} cannot be read (${String(code ?? 'error')}): check its path and permissions`,
    );
  }
  return importFrom(text, path, `the key file ${path}`, role);
}

/** Reads `IADVIZE_CUSTOMER_PRIVATE_KEY` and `IADVIZE_PUBLIC_KEY` unless other names are given. */
export async function loadKeysFromEnv(
  names: { privateKey?: string; iadvizePublicKey?: string } = {},
  env: Env = processEnv(),
): Promise<IssuerKeys> {
  const [privateKey, iadvizePublicKey] = await Promise.all([
    loadKeyFromEnv(names.privateKey ?? KEY_ENV_VARIABLES.privateKey, 'customer-private', env),
    loadKeyFromEnv(names.iadvizePublicKey ?? KEY_ENV_VARIABLES.iadvizePublicKey, 'iadvize-public', env),
  ]);
  return { privateKey, iadvizePublicKey };
}

export async function loadKeysFromFiles(paths: { privateKey: string; iadvizePublicKey: string }): Promise<IssuerKeys> {
  const [privateKey, iadvizePublicKey] = await Promise.all([
    loadKeyFromFile(paths.privateKey, 'customer-private'),
    loadKeyFromFile(paths.iadvizePublicKey, 'iadvize-public'),
  ]);
  return { privateKey, iadvizePublicKey };
}

async function importFrom(text: string, source: string, where: string, role: KeyRole): Promise<CryptoKey> {
  try {
    return await importKey(text, role);
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    throw new KeyLoadError('malformed', source, role, `${where} does not hold a usable key: ${error.message}`, error);
  }
}
