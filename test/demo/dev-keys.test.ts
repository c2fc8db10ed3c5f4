// Development keys: made once with private halves at 0600, then reused as they are; a partial
// set is refused rather than silently replaced.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DevKeysError, loadOrCreateDevKeys } from '../../src/demo/dev-keys.js';

let dir: string;

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'iadvize-demo-keys-')), '.dev-keys');
});

afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const modeOf = async (file: string) => (await stat(join(dir, file))).mode & 0o777;

describe('loadOrCreateDevKeys', () => {
  it('creates the four keys on the first run, private ones readable by their owner only', async () => {
    const first = await loadOrCreateDevKeys(dir);
    expect(first.created).toBe(true);
    expect(await modeOf('customer-private.pem')).toBe(0o600);
    expect(await modeOf('iadvize-private.pem')).toBe(0o600);
    expect(await modeOf('customer-public.pem')).toBe(0o644);
    expect(await modeOf('iadvize-public.pem')).toBe(0o644);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readFile(join(dir, 'customer-private.pem'), 'utf8')).toBe(
      `${first.keys.customer.privateKeyPem.trim()}\n`,
    );
    expect(first.keys.customer.privateKeyPem).not.toBe(first.keys.iadvize.privateKeyPem);
  });

  it('keeps the folder it makes out of git: a .gitignore ignoring everything', async () => {
    await loadOrCreateDevKeys(dir);
    expect((await readFile(join(dir, '.gitignore'), 'utf8')).split('\n')).toContain('*');
  });

  it('adds no .gitignore to a folder that was there before (it may hold other files)', async () => {
    await mkdir(dir);
    await loadOrCreateDevKeys(dir);
    expect(await readdir(dir)).not.toContain('.gitignore');
  });

  it('reuses them on the next runs, unchanged', async () => {
    const first = await loadOrCreateDevKeys(dir);
    const before = await stat(join(dir, 'customer-private.pem'));
    const second = await loadOrCreateDevKeys(dir);
    expect(second.created).toBe(false);
    expect(second.keys.customer.privateKeyPem.trim()).toBe(first.keys.customer.privateKeyPem.trim());
    expect(second.keys.iadvize.publicKeyPem.trim()).toBe(first.keys.iadvize.publicKeyPem.trim());
    expect((await stat(join(dir, 'customer-private.pem'))).mtimeMs).toBe(before.mtimeMs);
    expect(await modeOf('customer-private.pem')).toBe(0o600);
  });

  it('refuses a folder holding only part of a set, naming what is missing', async () => {
    await loadOrCreateDevKeys(dir);
    await unlink(join(dir, 'iadvize-private.pem'));
    const attempt = loadOrCreateDevKeys(dir);
    await expect(attempt).rejects.toBeInstanceOf(DevKeysError);
    await expect(attempt).rejects.toThrow(/lacks iadvize-private\.pem: delete the folder/);
  });
});
