// The installed package's version, for `--version`: read from the package.json next to dist/,
// so it is the version npm installed, never one baked in at some other build.
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  // dist/cli.js → ../package.json; the package always ships its package.json.
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}
