// The demo's development keys: made on the first run, reused afterwards, so tokens and the fake
// iAdvize keep matching across restarts. Same file names as `iadvize-activation keys`, so the
// CLI's `verify --keys .dev-keys` reads them too. Private halves are readable by their owner only.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY_FILES } from '../cli/key-source.js';
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

const ROLES = Object.keys(KEY_FILES) as KeyRole[];

export async function loadOrCreateDevKeys(dir: string): Promise<LoadedDevKeys> {
  const found = new Map<KeyRole, string>();
  for (const role of ROLES) {
    const text = await readIfPresent(join(dir, KEY_FILES[role]));
    if (text !== undefined) found.set(role, text);
  }
  if (found.size === ROLES.length) {
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
    const missing = ROLES.filter((role) => !found.has(role)).map((role) => KEY_FILES[role]);
    throw new DevKeysError(`${dir} lacks ${missing.join(', ')}: delete the folder to make a new set of development keys`);
  }
  return { keys: await writeNewKeys(dir), created: true };
}

async function writeNewKeys(dir: string): Promise<DevKeys> {
  const keys = await generateDevKeys();
  const pem: Record<KeyRole, string> = {
    'customer-private': keys.customer.privateKeyPem,
    'customer-public': keys.customer.publicKeyPem,
    'iadvize-private': keys.iadvize.privateKeyPem,
    'iadvize-public': keys.iadvize.publicKeyPem,
  };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const role of ROLES) {
    const path = join(dir, KEY_FILES[role]);
    const mode = role.endsWith('private') ? 0o600 : 0o644;
    // 'wx': never overwrite a key another process wrote meanwhile.
    await writeFile(path, `${pem[role].trim()}\n`, { mode, flag: 'wx' });
    // writeFile's mode goes through the umask; the private keys must end up exactly 0600.
    await chmod(path, mode);
  }
  return keys;
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return undefined;
    throw new DevKeysError(`cannot read ${path} (${String(code ?? 'error')}): check its permissions, or delete the folder to make new keys`);
  }
}
