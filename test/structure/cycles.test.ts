// No import cycle in machines/ or src/: the arrows run from the edge to the core. The check is
// scripts/check-cycles.mjs (dpdm); the fixtures prove it fails on a cycle, so a green run means
// something.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles } from '../../scripts/check-cycles.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('import cycles', () => {
  it('machines/ and src/ hold no import cycle, type-only imports included', async () => {
    expect(await findCycles()).toEqual([]);
  });

  it('the check finds a cycle of type-only imports (fixture)', async () => {
    const cycles = await findCycles(['test/structure/fixtures/cycle']);
    expect(cycles).toHaveLength(1);
    expect([...(cycles[0] ?? [])].sort()).toEqual([
      'test/structure/fixtures/cycle/a.ts',
      'test/structure/fixtures/cycle/b.ts',
    ]);
  });

  it('the check passes a one-way import (fixture)', async () => {
    expect(await findCycles(['test/structure/fixtures/no-cycle'])).toEqual([]);
  });

  it('the script exits 1 and names the files on a cycle, 0 without', () => {
    const run = (dir: string) => {
      try {
        return {
          code: 0,
          output: execFileSync(process.execPath, ['scripts/check-cycles.mjs', dir], {
            cwd: root,
            encoding: 'utf8',
            stdio: 'pipe',
          }),
        };
      } catch (error) {
        const failed = error as { status: number; stderr: string };
        return { code: failed.status, output: failed.stderr };
      }
    };
    const broken = run('test/structure/fixtures/cycle');
    expect(broken.code).toBe(1);
    expect(broken.output).toMatch(/cycle\/a\.ts/);
    expect(run('test/structure/fixtures/no-cycle').code).toBe(0);
  });
});
