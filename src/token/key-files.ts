// Development keys as PEM files: their names, and writing a set of them, the private halves
// readable by their owner only, into a folder that keeps itself out of git. Node only. Shared by
// `iadvize-activation keys` (src/cli) and the demo's first run (src/demo), so the demo need not import the CLI.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DevKeys } from './dev-keys.js';
import type { KeyRole } from './errors.js';

/** The file each key is written to (`iadvize-activation keys`, the demo's .dev-keys/), and read from. */
export const KEY_FILES = {
  'customer-private': 'customer-private.pem',
  'customer-public': 'customer-public.pem',
  'iadvize-private': 'iadvize-private.pem',
  'iadvize-public': 'iadvize-public.pem',
} as const satisfies Record<KeyRole, string>;

export const KEY_ROLES = Object.keys(KEY_FILES) as KeyRole[];

/** What a folder made for keys holds besides them: `*` ignores everything in it, itself included. */
const KEYS_GITIGNORE = '# Written by iadvize-activation: these are private keys, never commit them.\n*\n';

export interface WrittenKeys {
  readonly files: Array<{ role: KeyRole; path: string }>;
  /** The .gitignore written into the folder, when this call created the folder. */
  readonly gitignore: string | undefined;
}

/** Writes the four key files into `dir`; without `overwrite`, an existing file is an error (EEXIST). */
export async function writeKeyFiles(dir: string, keys: DevKeys, { overwrite = false } = {}): Promise<WrittenKeys> {
  const pem: Record<KeyRole, string> = {
    'customer-private': keys.customer.privateKeyPem,
    'customer-public': keys.customer.publicKeyPem,
    'iadvize-private': keys.iadvize.privateKeyPem,
    'iadvize-public': keys.iadvize.publicKeyPem,
  };
  // Defined only when the folder did not exist: an existing folder (`--out .`) may hold other
  // files, which an ignore-everything rule would hide from git.
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  let gitignore: string | undefined;
  if (created !== undefined) {
    gitignore = join(dir, '.gitignore');
    // Before the keys: no moment where a key sits in the folder unignored.
    await writeFile(gitignore, KEYS_GITIGNORE, { flag: 'wx' });
  }
  const files = [];
  for (const role of KEY_ROLES) {
    const path = join(dir, KEY_FILES[role]);
    const mode = role.endsWith('private') ? 0o600 : 0o644;
    // 'wx' never replaces a key another process wrote meanwhile.
    await writeFile(path, `${pem[role].trim()}\n`, { mode, flag: overwrite ? 'w' : 'wx' });
    // writeFile's mode goes through the umask and keeps an existing file's mode: set it exactly.
    await chmod(path, mode);
    files.push({ role, path });
  }
  return { files, gitignore };
}
