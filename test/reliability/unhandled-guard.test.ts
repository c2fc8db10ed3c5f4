// No unhandled promise rejection goes unnoticed: vitest itself fails a run that has one (checked
// here on a fixture, since the rest of the suite relies on it), and the reliability guard
// (support/suite.ts) fails a file on its own, even with vitest's check turned off, and fails a
// file that wrote a registered secret to the console.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = 'test/reliability/fixtures/vitest.fixture.config.ts';

/** `vitest run` on one fixture file, in a child process; its exit code and output. */
function runFixture(file: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--config', CONFIG, `test/reliability/fixtures/${file}`],
      {
        cwd: root,
        env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('unhandled rejections fail the run', () => {
  it('vitest fails a run whose only test passes but leaves a rejection unhandled', async () => {
    const run = await runFixture('unhandled.fixture.ts');
    expect(run.output).toMatch(/1 passed/);
    expect(run.output).toMatch(/Unhandled Rejection/);
    expect(run.code).toBe(1);
  });

  it('the reliability guard fails the file on its own, with vitest’s check turned off', async () => {
    const run = await runFixture('guarded-rejection.fixture.ts', { IGNORE_UNHANDLED: '1' });
    expect(run.output).toMatch(/unhandled rejections or uncaught exceptions in this file/);
    expect(run.output).toMatch(/left unhandled on purpose/);
    expect(run.code).toBe(1);
  });

  it('the reliability guard fails a file that wrote a registered secret to the console', async () => {
    const run = await runFixture('guarded-console.fixture.ts');
    expect(run.output).toMatch(/secrets written to the console/);
    expect(run.output).toMatch(/a session cookie/);
    expect(run.code).toBe(1);
  });
});
