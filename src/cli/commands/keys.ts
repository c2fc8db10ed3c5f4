// `keys`: writes a customer key pair and a local stand-in for iAdvize's pair, private halves
// readable by their owner only, in a folder that ignores itself, and says so when git would
// still pick a private key up.
import { stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { generateDevKeys } from '../../token/dev-keys.js';
import type { KeyRole } from '../../token/errors.js';
import { EXIT } from '../../exit-codes.js';
import { EXIT_CODES_HELP, parseCommandArgs, type CliCommand, type CliIo } from '../command.js';
import { unignoredWorkTree } from '../git-ignored.js';
import { KEY_FILES, KEY_ROLES, writeKeyFiles } from '../../token/key-files.js';
import { DEFAULT_KEYS_DIR } from '../key-source.js';

const HELP = `Usage: iadvize-activation keys [--out DIR] [--force]

Writes four RSA-2048 keys (PEM) into DIR (default ./${DEFAULT_KEYS_DIR}), and a .gitignore ignoring
them when it creates DIR; warns when git would still pick a private key up:
  customer-private.pem  mode 0600; your server signs tokens with it; never share it
  customer-public.pem   give it to iAdvize (authenticated mode settings)
  iadvize-private.pem   mode 0600; development only: the fake iAdvize decrypts with it
  iadvize-public.pem    development only: in production, encrypt with the key iAdvize publishes

Options:
  --out DIR   where to write the keys (created if missing)
  --force     overwrite existing key files (tokens signed with the old keys stop verifying)
  -h, --help  show this help

${EXIT_CODES_HELP}`;

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
      const existing = (
        await Promise.all(
          KEY_ROLES.map(async (role) => ((await exists(join(dir, KEY_FILES[role]))) ? role : undefined)),
        )
      ).filter((role) => role !== undefined);
      if (existing.length > 0) {
        io.stderr(
          `iadvize-activation keys: ${existing.map((role) => shown(io, join(dir, KEY_FILES[role]))).join(', ')} ${existing.length === 1 ? 'exists' : 'exist'} already: pass --force to overwrite (tokens signed with the old keys stop verifying)\n`,
        );
        return EXIT.failed;
      }
    }
    const written = await writeKeyFiles(dir, await generateDevKeys(), { overwrite: values.force === true });
    if (written.gitignore !== undefined)
      io.stdout(`wrote ${shown(io, written.gitignore)} (keeps the keys out of git)\n`);
    for (const { role, path } of written.files) io.stdout(`wrote ${shown(io, path)} (${PURPOSE[role]})\n`);
    const privateKey = written.files.find(({ role }) => role === 'customer-private')!.path;
    const workTree = await unignoredWorkTree(privateKey);
    if (workTree !== undefined) {
      io.stderr(
        `iadvize-activation keys: warning: git does not ignore ${shown(io, privateKey)} (work tree ${workTree}): add ${shown(io, dir)}/ to .gitignore, never commit a private key\n`,
      );
    }
    return EXIT.ok;
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
