// Where a CLI command finds a key: an explicit file flag, then --keys DIR, then an environment
// variable, then ./keys (where `iadvize-activation keys` writes them).
import { join, resolve } from 'node:path';
import { loadKeyFromEnv, loadKeyFromFile } from '../token/load-keys.js';
import type { KeyRole } from '../token/errors.js';
import { KEY_FILES } from '../token/key-files.js';
import type { CliIo } from './command.js';

export const DEFAULT_KEYS_DIR = 'keys';

export interface KeySource {
  role: KeyRole;
  /** The explicit file flag's value, if given. */
  file: string | undefined;
  /** The --keys value, if given. */
  dir: string | undefined;
  envName: string;
}

export function loadCliKey(source: KeySource, io: CliIo): Promise<CryptoKey> {
  const { role, file, dir, envName } = source;
  if (file !== undefined) return loadKeyFromFile(resolve(io.cwd, file), role);
  if (dir === undefined && io.env[envName]) return loadKeyFromEnv(envName, role, io.env);
  return loadKeyFromFile(join(resolve(io.cwd, dir ?? DEFAULT_KEYS_DIR), KEY_FILES[role]), role);
}
