// One place that finds and launches the system Chromium for browser tests. Locally a missing
// browser skips those tests with the install command; with REQUIRE_BROWSER=1 (CI) it fails.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(chromiumPath);
export const INSTALL_HINT = `Browser tests skipped: no Chromium at ${chromiumPath}. Install it with 'apt-get install -y chromium' (Debian) or set CHROMIUM_PATH.`;

if (!browserAvailable) {
  if (process.env.REQUIRE_BROWSER === '1') {
    throw new Error(`REQUIRE_BROWSER=1 but ${INSTALL_HINT.replace('Browser tests skipped: ', '')}`);
  }
  console.warn(INSTALL_HINT);
}

/** Flags for a headless Chromium on a closed network, as root, with a throwaway profile. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: FLAGS, headless: true });
}
