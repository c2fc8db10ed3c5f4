// The demo as people start it: the built `npm start` entry (dist/demo/server.js) and the CLI's
// `demo` command (dist/cli.js), as child processes in an empty working directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../../dist/demo/server.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

let cwd: string;
let taken: Server;
let takenPort: number;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'iadvize-demo-entry-'));
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve));
  await rm(cwd, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

/** Resolves with the URL the demo printed. */
function printedUrl(child: ChildProcess, done: Promise<Run>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /iAdvize activation demo: (http:\/\/localhost:\d+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    void done.then((run) => reject(new Error(`the demo exited (${run.code}) before printing its URL: ${run.stderr}`)));
  });
}

function expectOneLine(run: Run, code: number, pattern: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(pattern);
}

describe('npm start (dist/demo/server.js)', () => {
  it('exits 1 with one line when the port is taken, --port or PORT alike', async () => {
    const message = new RegExp(
      `^iadvize-activation demo: port ${takenPort} on 127\\.0\\.0\\.1 is already in use: .*--port <port>$`,
    );
    expectOneLine(await start([SERVER, '--port', String(takenPort)]).done, 1, message);
    expectOneLine(await start([SERVER], { PORT: String(takenPort) }).done, 1, message);
  });

  it('exits 2 with one line for a port that is not one', async () => {
    expectOneLine(
      await start([SERVER, '--port', 'eighty']).done,
      2,
      /^iadvize-activation demo: --port must be a port number from 0 to 65535 \(got "eighty"\)/,
    );
  });

  it('makes the dev keys, prints its URL, serves the shop, and stops cleanly on SIGTERM', async () => {
    const { child, done } = start([SERVER, '--port', '0']);
    const url = await printedUrl(child, done);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="activation-status"');
    expect((await stat(join(cwd, '.dev-keys', 'customer-private.pem'))).mode & 0o777).toBe(0o600);
    child.kill('SIGTERM');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Development keys created in \.dev-keys\/ \(private keys mode 0600; never commit them\)\.\n/,
    );
    expect(run.stderr).toBe('');
  });
});

describe('iadvize-activation demo (dist/cli.js)', () => {
  it('reuses the keys and serves the same demo', async () => {
    const { child, done } = start([CLI, 'demo', '--port', '0']);
    const url = await printedUrl(child, done);
    expect((await fetch(`${url}/assets/page.js`)).status).toBe(200);
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Development keys reused from ');
  });

  it('exits 1 with one line when the port is taken, and 2 for a bad --port', async () => {
    expectOneLine(
      await start([CLI, 'demo', '--port', String(takenPort)]).done,
      1,
      new RegExp(`^iadvize-activation demo: port ${takenPort} on 127\\.0\\.0\\.1 is already in use`),
    );
    expectOneLine(
      await start([CLI, 'demo', '--port', '99999']).done,
      2,
      /^iadvize-activation demo: --port must be a port number .* \(see iadvize-activation demo --help\)$/,
    );
  });

  it('is listed in the top-level help', async () => {
    const run = await start([CLI, '--help']).done;
    expect(run.stdout).toMatch(/^ {2}demo {3,}start the demo shop/m);
  });
});
