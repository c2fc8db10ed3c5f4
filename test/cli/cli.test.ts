// The CLI as users run it: the built dist/cli.js in a child process.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES_HELP } from '../../src/cli/command.js';
import { createTokenIssuer } from '../../src/token/issue.js';
import { bareSpki } from '../../src/token/dev-keys.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let cwd: string;

/** Runs the CLI in `cwd` with an environment free of the caller's IADVIZE_* variables. */
function cli(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

function expectOneLineFailure(run: Run, code: number, pattern: RegExp) {
  expect(run.code).toBe(code);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'iadvize-cli-'));
  // ./keys is where commands look by default; ./other is a second, unrelated set.
  for (const dir of ['keys', 'other']) expect((await cli(['keys', '--out', dir])).code).toBe(0);
});

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('iadvize-activation --help', () => {
  it('lists every command', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['keys', 'token', 'verify', 'demo'])
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('has help for every command, whatever the other arguments', async () => {
    for (const command of ['keys', 'token', 'verify', 'demo']) {
      const run = await cli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: iadvize-activation ${command}`);
    }
    expect((await cli(['token', '--bogus', '-h'])).code).toBe(0);
  });

  it('exits 2 with one line for a missing or unknown command', async () => {
    expectOneLineFailure(await cli([]), 2, /a command is required/);
    expectOneLineFailure(await cli(['mint']), 2, /unknown command "mint"/);
  });

  it("states the exit codes in the top-level help and in every command's", async () => {
    expect((await cli(['--help'])).stdout).toContain(EXIT_CODES_HELP);
    for (const command of ['keys', 'token', 'verify', 'demo'])
      expect((await cli([command, '--help'])).stdout).toContain(EXIT_CODES_HELP);
    expect(EXIT_CODES_HELP).toMatch(/0 success; 1 failed .*\n2 usage error/);
  });
});

describe('iadvize-activation --version', () => {
  it('prints the installed package version, with -v too', async () => {
    const { version } = JSON.parse(
      await readFile(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
    ) as { version: string };
    for (const flag of ['--version', '-v'])
      expect(await cli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('one exit-code scheme for every command', () => {
  it('an unknown option is a usage error (2) for each command', async () => {
    for (const command of ['keys', 'token', 'verify', 'demo'])
      expectOneLineFailure(
        await cli([command, '--bogus']),
        2,
        new RegExp(`^iadvize-activation ${command}: Unknown option '--bogus'`),
      );
  });

  it('a value the command refuses is a usage error (2), however it was refused', async () => {
    expectOneLineFailure(await cli(['token', '--user', 'x'.repeat(256)]), 2, /256 characters/);
    expectOneLineFailure(await cli(['token', '--user', '']), 2, /userId is an empty string/);
    expectOneLineFailure(
      await cli(['token', '--user', 'u', '--visitor-data', '{"nickname":"J"}']),
      2,
      /unknown field "nickname"/,
    );
    expectOneLineFailure(await cli(['token', '--user', 'u', '--ttl', '0']), 2, /ttlSeconds must be/);
    expectOneLineFailure(await cli(['demo', '--port', '99999']), 2, /--port must be a port number/);
  });
});

describe('keys', () => {
  it('writes the four keys, private ones with mode 0600', async () => {
    for (const [file, mode] of [
      ['customer-private.pem', 0o600],
      ['iadvize-private.pem', 0o600],
      ['customer-public.pem', 0o644],
      ['iadvize-public.pem', 0o644],
    ] as const) {
      const path = join(cwd, 'keys', file);
      expect((await stat(path)).mode & 0o777).toBe(mode);
      expect(await readFile(path, 'utf8')).toMatch(/^-----BEGIN (PRIVATE|PUBLIC) KEY-----\n/);
    }
  });

  it('writes a .gitignore ignoring everything into the folder it creates, before the keys', async () => {
    expect(await readFile(join(cwd, 'keys', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    const run = await cli(['keys', '--out', 'nested/deeper/keys']);
    expect(run.stdout.split('\n')[0]).toBe('wrote nested/deeper/keys/.gitignore (keeps the keys out of git)');
    expect(await readdir(join(cwd, 'nested/deeper'))).toEqual(['keys']);
  });

  it("leaves an existing folder's ignore rules alone (they may hide other files)", async () => {
    await mkdir(join(cwd, 'existing'));
    await writeFile(join(cwd, 'existing', 'notes.txt'), 'mine');
    const run = await cli(['keys', '--out', 'existing']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('.gitignore');
    expect(await readdir(join(cwd, 'existing'))).not.toContain('.gitignore');
  });

  it('warns in one line when git would pick a private key up, and only then', async () => {
    const repo = join(cwd, 'repo');
    await mkdir(repo);
    execFileSync('git', ['init', '-q'], { cwd: repo });
    await mkdir(join(repo, 'config'));
    // An existing folder in a work tree that ignores nothing: warned, still written (exit 0).
    const unignored = await cli(['keys', '--out', 'repo/config']);
    expect(unignored.code).toBe(0);
    expect(unignored.stderr).toMatch(
      /^iadvize-activation keys: warning: git does not ignore repo\/config\/customer-private\.pem \(work tree .*repo\): add repo\/config\/ to \.gitignore, never commit a private key\n$/,
    );
    // Once the site ignores it, or when the folder is made (with its .gitignore): silent.
    await writeFile(join(repo, '.gitignore'), 'config/\n');
    expect(await cli(['keys', '--out', 'repo/config', '--force'])).toMatchObject({ code: 0, stderr: '' });
    expect(await cli(['keys', '--out', 'repo/keys'])).toMatchObject({ code: 0, stderr: '' });
    // Outside any work tree (this temporary folder): nothing to warn about.
    expect((await cli(['keys', '--out', 'elsewhere'])).stderr).toBe('');
  });

  it('refuses to overwrite existing keys without --force', async () => {
    const before = await readFile(join(cwd, 'keys', 'customer-private.pem'), 'utf8');
    expectOneLineFailure(await cli(['keys', '--out', 'keys']), 1, /exist already: pass --force/);
    expect(await readFile(join(cwd, 'keys', 'customer-private.pem'), 'utf8')).toBe(before);
  });

  it('overwrites with --force and keeps private keys at 0600', async () => {
    expect((await cli(['keys', '--out', 'forced'])).code).toBe(0);
    const path = join(cwd, 'forced', 'customer-private.pem');
    const before = await readFile(path, 'utf8');
    expect((await cli(['keys', '--out', 'forced', '--force'])).code).toBe(0);
    expect(await readFile(path, 'utf8')).not.toBe(before);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('token and verify', () => {
  it('round-trips: the printed token verifies, with its claims', async () => {
    const token = await cli(['token', '--user', 'user-42', '--ttl', '120', '--visitor-data', '{"firstName":"Jane"}']);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^eyJ[\w-]*(\.[\w-]*){4}\n$/);
    const verify = await cli(['verify', token.stdout.trim()]);
    expect(verify.code).toBe(0);
    const result = JSON.parse(verify.stdout) as {
      ok: boolean;
      claims: { userId: string; exp: number; iat: number };
      header: object;
    };
    expect(result).toMatchObject({
      ok: true,
      claims: { userId: 'user-42', visitorData: { firstName: 'Jane' }, iss: 'https://test.iadvize.com' },
      header: { alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' },
      innerHeader: { alg: 'RS256' },
    });
    expect(result.claims.exp - result.claims.iat).toBe(120);
  });

  it('verify reads the token from stdin with "-"', async () => {
    const token = await cli(['token', '--user', 'u', '--issuer', 'https://example.com']);
    const verify = await cli(['verify', '-', '--expected-issuer', 'https://example.com'], { stdin: token.stdout });
    expect(verify.code).toBe(0);
  });

  it('reads keys from explicit files and from the environment', async () => {
    const keysDir = join(cwd, 'keys');
    const explicit = await cli([
      'token',
      '--user',
      'u',
      '--private-key',
      join(keysDir, 'customer-private.pem'),
      '--iadvize-public-key',
      join(keysDir, 'iadvize-public.pem'),
      '--keys',
      'missing-dir',
    ]);
    expect(explicit.code).toBe(0);
    await writeFile(
      join(cwd, 'iadvize-public.b64'),
      bareSpki(await readFile(join(keysDir, 'iadvize-public.pem'), 'utf8')),
    );
    const bare = await cli(['token', '--user', 'u', '--iadvize-public-key', 'iadvize-public.b64']);
    expect(bare.code).toBe(0);
    // Keys of the "other" pair in the environment: the token must verify with those, not ./keys.
    const env = {
      IADVIZE_CUSTOMER_PRIVATE_KEY: await readFile(join(cwd, 'other', 'customer-private.pem'), 'utf8'),
      IADVIZE_PUBLIC_KEY: await readFile(join(cwd, 'other', 'iadvize-public.pem'), 'utf8'),
    };
    const fromEnv = await cli(['token', '--user', 'u'], { env });
    expect(fromEnv.code).toBe(0);
    expect((await cli(['verify', fromEnv.stdout.trim(), '--keys', 'other'])).code).toBe(0);
    expect((await cli(['verify', fromEnv.stdout.trim()])).code).toBe(1);
  });

  it('verify exits 1 with the failed check for a token signed by other keys', async () => {
    const foreign = await cli(['token', '--user', 'u', '--keys', 'other']);
    expect(foreign.code).toBe(0);
    const verify = await cli(['verify', foreign.stdout.trim()]);
    expectOneLineFailure(verify, 1, /invalid token \(decryption\)/);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: false, check: 'decryption' });
    expect(verify.stderr).not.toContain(foreign.stdout.trim().slice(0, 40));
  });

  it('verify exits 1 for an expired token', async () => {
    // Issued in-process with a fixed past clock: no waiting, no timing assertion.
    const issuer = await createTokenIssuer({
      privateKey: await readFile(join(cwd, 'keys', 'customer-private.pem'), 'utf8'),
      iadvizePublicKey: await readFile(join(cwd, 'keys', 'iadvize-public.pem'), 'utf8'),
      issuer: 'https://example.com',
      now: () => Date.parse('2020-01-01T00:00:00Z'),
    });
    expectOneLineFailure(await cli(['verify', await issuer.issue({ userId: 'u' })]), 1, /invalid token \(expired\)/);
  });

  it('exits 2 with one line for bad arguments', async () => {
    expectOneLineFailure(await cli(['token']), 2, /--user ID is required/);
    expectOneLineFailure(await cli(['token', '--user', 'u', '--ttl', 'soon']), 2, /--ttl takes a whole number/);
    expectOneLineFailure(
      await cli(['token', '--user', 'u', '--visitor-data', '{bad']),
      2,
      /--visitor-data must be a JSON object/,
    );
    expectOneLineFailure(await cli(['token', '--user', 'u', '--unknown']), 2, /Unknown option '--unknown'/);
    expectOneLineFailure(await cli(['verify']), 2, /the token to verify is required/);
    expectOneLineFailure(await cli(['verify', 'a', 'b']), 2, /unexpected argument/);
  });

  it('verify says what is missing for empty input, as a usage error (2)', async () => {
    const empty = await cli(['verify', '-'], { stdin: '' });
    expectOneLineFailure(
      empty,
      2,
      /^iadvize-activation verify: no token on stdin \(the input was empty\): pipe one in/,
    );
    expect(empty.stdout).toBe('');
    expectOneLineFailure(await cli(['verify', '-'], { stdin: ' \n' }), 2, /no token on stdin/);
    expectOneLineFailure(await cli(['verify', '']), 2, /^iadvize-activation verify: the token argument is empty/);
    expect(empty.stderr).not.toMatch(/not a string/);
  });

  it('exits 1 with one line for unusable keys and invalid tokens, never printing key material', async () => {
    const swapped = await cli(['token', '--user', 'u', '--private-key', 'keys/customer-public.pem']);
    expectOneLineFailure(swapped, 1, /customer-public\.pem does not hold a usable key: .*public key was given/);
    const privateKey = await readFile(join(cwd, 'keys', 'iadvize-private.pem'), 'utf8');
    const reversed = await cli(['token', '--user', 'u', '--iadvize-public-key', 'keys/iadvize-private.pem']);
    expectOneLineFailure(reversed, 1, /private key was given/);
    expect(reversed.stderr).not.toContain(privateKey.split('\n')[3]);
    expectOneLineFailure(await cli(['token', '--user', 'u', '--keys', 'nowhere']), 1, /does not exist/);
    expectOneLineFailure(await cli(['verify', 'not-a-token']), 1, /invalid token \(format\)/);
  });
});
