// The demo's start-up (`npm start`, `iadvize-activation demo`) fails in one line and exit code 1
// whatever went wrong, a problem nobody foresaw included: no stack trace in the terminal.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/exit-codes.js';
import { runDemo } from '../../src/demo/run.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iadvize-demo-startup-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runDemo start-up failures', () => {
  it('an unforeseen error (node refuses the port value) is one line, marked unexpected, exit 1', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDemo(
      { port: -1, keysDir: join(dir, 'keys') },
      { stdout: (text) => out.push(text), stderr: (text) => err.push(text) },
      () => Promise.resolve(),
    );
    expect(code).toBe(EXIT.failed);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^iadvize-activation demo: could not start \(unexpected error\): .*\n$/);
    expect(err[0]!.trimEnd()).not.toContain('\n');
    expect(err[0]).toMatch(/port/i);
    expect(err[0]).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });
});
