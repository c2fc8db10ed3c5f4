// The system Chromium every browser run of this project uses (tests, benchmarks, the demo
// screenshot): Debian's, never a downloaded one, with one set of flags.

/** `CHROMIUM_PATH`, or Debian's `apt-get install -y chromium`. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium on a closed network, as root, with a throwaway profile. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
