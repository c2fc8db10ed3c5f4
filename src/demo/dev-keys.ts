// The demo's development keys: made on the first run, reused afterwards, so tokens and the fake
// iAdvize keep matching across restarts. Same file names as `iadvize-activation keys`, so the
// CLI's `verify --keys .dev-keys` reads them too. Private halves are readable by their owner only;
// the folder, when made here, holds a .gitignore ignoring everything in it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY_FILES, KEY_ROLES, writeKeyFiles } from '../token/key-files.js';
import { generateDevKeys, type DevKeys } from '../token/dev-keys.js';
import type { KeyRole } from '../token/errors.js';

export const DEFAULT_DEV_KEYS_DIR = '.dev-keys';

export interface LoadedDevKeys {
  readonly keys: DevKeys;
  /** True when this call made them. */
  readonly created: boolean;
}

/** A keys folder the demo cannot use: some files missing, or unreadable. */
export class DevKeysError extends Error {
  override readonly name = 'DevKeysError';
}

export async function loadOrCreateDevKeys(dir: string): Promise<LoadedDevKeys> {
  const found = new Map<KeyRole, string>();
  for (const role of KEY_ROLES) {
    const text = await readIfPresent(join(dir, KEY_FILES[role]));
    if (text !== undefined) found.set(role, text);
  }
  if (found.size === KEY_ROLES.length) {
    const pem = (role: KeyRole) => found.get(role)!;
    return {
      keys: {
        customer: { privateKeyPem: pem('customer-private'), publicKeyPem: pem('customer-public') },
        iadvize: { privateKeyPem: pem('iadvize-private'), publicKeyPem: pem('iadvize-public') },
      },
      created: false,
    };
  }
  if (found.size > 0) {
    const missing = KEY_ROLES.filter((role) => !found.has(role)).map((role) => KEY_FILES[role]);
    throw new DevKeysError(
      `${dir} lacks ${missing.join(', ')}: delete the folder to make a new set of development keys`,
    );
  }
  const keys = await generateDevKeys();
  await writeKeyFiles(dir, keys);
  return { keys, created: true };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return undefined;
    throw new DevKeysError(
      `cannot read ${path} (${String(code ?? 'error')}): check its permissions, or delete the folder to make new keys`,
    );
  }
}
