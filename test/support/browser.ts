// One place that finds and launches the system Chromium for browser tests. Locally a missing
// browser skips those tests with the install command; with REQUIRE_BROWSER=1 (CI) it fails.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../../scripts/chromium.mjs';

export const browserAvailable = existsSync(chromiumPath);
export const INSTALL_HINT = `Browser tests skipped: no Chromium at ${chromiumPath}. Install it with 'apt-get install -y chromium' (Debian) or set CHROMIUM_PATH.`;

if (!browserAvailable) {
  if (process.env.REQUIRE_BROWSER === '1') {
    throw new Error(`REQUIRE_BROWSER=1 but ${INSTALL_HINT.replace('Browser tests skipped: ', '')}`);
  }
  console.warn(INSTALL_HINT);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: [...CHROMIUM_FLAGS], headless: true });
}
