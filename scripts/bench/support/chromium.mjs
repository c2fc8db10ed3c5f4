// The system Chromium for browser benchmarks (never a downloaded one), placed on purpose: when
// the bench process is pinned to one core and the machine has others, Chromium runs on those
// others, so the page (the visitor's machine) and the loopback servers (the site's backend and
// the fake iAdvize, remote in real life) do not take turns on one core.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags the project's browser tests use (test/support/browser.ts). */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The cores this process may run on, from /proc (Linux); undefined elsewhere. */
function ownCores() {
  try {
    const list = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return list?.split(',').flatMap((part) => {
      const [from, to = from] = part.split('-').map(Number);
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    });
  } catch {
    return undefined;
  }
}

/** The cores Chromium gets, and how that was decided (for the report). */
export function chromiumPlacement() {
  const all = cpus().map((_, i) => i);
  const mine = ownCores() ?? all;
  const others = all.filter((core) => !mine.includes(core));
  const canPin = others.length > 0 && spawnSync('taskset', ['-c', others.join(','), 'true']).status === 0;
  return canPin
    ? { cores: others, description: `Chromium on core ${others.join(',')}, the servers on core ${mine.join(',')}` }
    : { cores: undefined, description: `Chromium and the servers share core(s) ${mine.join(',')}` };
}

/** Launches Chromium on `placement.cores` (through a taskset wrapper); close() also removes the wrapper. */
export async function launchPlacedChromium(placement) {
  let executablePath = chromiumPath;
  let wrapperDir;
  if (placement.cores) {
    wrapperDir = mkdtempSync(join(tmpdir(), 'bench-chromium-'));
    executablePath = join(wrapperDir, 'chromium');
    writeFileSync(executablePath, `#!/bin/sh\nexec taskset -c ${placement.cores.join(',')} ${chromiumPath} "$@"\n`);
    chmodSync(executablePath, 0o755);
  }
  const browser = await chromium.launch({ executablePath, args: FLAGS, headless: true });
  return {
    browser,
    async close() {
      await browser.close();
      if (wrapperDir) rmSync(wrapperDir, { recursive: true, force: true });
    },
  };
}
