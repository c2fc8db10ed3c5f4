// `keys`: writes a customer key pair and a local stand-in for iAdvize's pair, private halves
// readable by their owner only.
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { generateDevKeys } from '../../token/dev-keys.js';
import type { KeyRole } from '../../token/errors.js';
import { parseCommandArgs, type CliCommand, type CliIo } from '../command.js';
import { KEY_ROLES, writeKeyFiles } from '../key-files.js';
import { DEFAULT_KEYS_DIR, KEY_FILES } from '../key-source.js';

const HELP = `Usage: iadvize-activation keys [--out DIR] [--force]

Writes four RSA-2048 keys (PEM) into DIR (default ./${DEFAULT_KEYS_DIR}):
  customer-private.pem  mode 0600; your server signs tokens with it; never share it
  customer-public.pem   give it to iAdvize (authenticated mode settings)
  iadvize-private.pem   mode 0600; development only: the fake iAdvize decrypts with it
  iadvize-public.pem    development only: in production, encrypt with the key iAdvize publishes

Options:
  --out DIR   where to write the keys (created if missing)
  --force     overwrite existing key files (tokens signed with the old keys stop verifying)
  -h, --help  show this help`;

const PURPOSE: Record<KeyRole, string> = {
  'customer-private': 'secret: your server signs tokens with it',
  'customer-public': 'give it to iAdvize',
  'iadvize-private': 'development only: the fake iAdvize decrypts with it',
  'iadvize-public': 'development only: in production use the public key iAdvize publishes',
};

export const keysCommand: CliCommand = {
  name: 'keys',
  summary: 'write a customer key pair and a local iAdvize stand-in pair',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, { out: { type: 'string' }, force: { type: 'boolean' } });
    const dir = resolve(io.cwd, values.out ?? DEFAULT_KEYS_DIR);
    if (!values.force) {
      const existing = (await Promise.all(KEY_ROLES.map(async (role) => ((await exists(join(dir, KEY_FILES[role]))) ? role : undefined)))).filter(
        (role) => role !== undefined,
      );
      if (existing.length > 0) {
        io.stderr(
          `iadvize-activation keys: ${existing.map((role) => shown(io, join(dir, KEY_FILES[role]))).join(', ')} ${existing.length === 1 ? 'exists' : 'exist'} already: pass --force to overwrite (tokens signed with the old keys stop verifying)\n`,
        );
        return 1;
      }
    }
    for (const { role, path } of await writeKeyFiles(dir, await generateDevKeys(), { overwrite: values.force === true })) {
      io.stdout(`wrote ${shown(io, path)} (${PURPOSE[role]})\n`);
    }
    return 0;
  },
};

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function shown(io: CliIo, path: string): string {
  const rel = relative(io.cwd, path);
  return rel.startsWith('..') ? path : rel;
}
