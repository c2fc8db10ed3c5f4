// Writes a set of development keys as PEM files, the private halves readable by their owner
// only. Shared by `iadvize-activation keys` and the demo's first run.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DevKeys } from '../token/dev-keys.js';
import type { KeyRole } from '../token/errors.js';
import { KEY_FILES } from './key-source.js';

export const KEY_ROLES = Object.keys(KEY_FILES) as KeyRole[];

/** Writes the four key files into `dir`; without `overwrite`, an existing file is an error (EEXIST). Returns the paths by role. */
export async function writeKeyFiles(dir: string, keys: DevKeys, { overwrite = false } = {}): Promise<Array<{ role: KeyRole; path: string }>> {
  const pem: Record<KeyRole, string> = {
    'customer-private': keys.customer.privateKeyPem,
    'customer-public': keys.customer.publicKeyPem,
    'iadvize-private': keys.iadvize.privateKeyPem,
    'iadvize-public': keys.iadvize.publicKeyPem,
  };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const written = [];
  for (const role of KEY_ROLES) {
    const path = join(dir, KEY_FILES[role]);
    const mode = role.endsWith('private') ? 0o600 : 0o644;
    // 'wx' never replaces a key another process wrote meanwhile.
    await writeFile(path, `${pem[role].trim()}\n`, { mode, flag: overwrite ? 'w' : 'wx' });
    // writeFile's mode goes through the umask and keeps an existing file's mode: set it exactly.
    await chmod(path, mode);
    written.push({ role, path });
  }
  return written;
}
