// The installed package's version, for `--version`: read from the package's own package.json,
// so it is the version npm installed, never one baked in at some other build.
import { findPackageRoot } from '../package-root.js';

export function packageVersion(): string {
  const version = findPackageRoot(import.meta.url)?.manifest.version;
  return typeof version === 'string' ? version : 'unknown';
}
