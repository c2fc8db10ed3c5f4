// The system Chromium for browser benchmarks (never a downloaded one), placed on purpose.
// bench.mjs pins itself to one core, and Chromium would inherit that pin: the browser process,
// the network service and the renderer would then take turns on one core, which no visitor's
// machine does. So Chromium is widened to every core of the machine. The loopback servers stay
// on the bench's core; their CPU per page load (one token, one fake authentication) is a few ms.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../../chromium.mjs';

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
  const widen =
    all.some((core) => !mine.includes(core)) && spawnSync('taskset', ['-c', all.join(','), 'true']).status === 0;
  return widen
    ? { cores: all, description: `Chromium on cores ${all.join(',')}, the servers on core ${mine.join(',')}` }
    : { cores: undefined, description: `Chromium and the servers on core(s) ${mine.join(',')}` };
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
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
  return {
    browser,
    async close() {
      await browser.close();
      if (wrapperDir) rmSync(wrapperDir, { recursive: true, force: true });
    },
  };
}
