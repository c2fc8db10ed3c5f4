// This package's root folder (where its package.json is), for the Node entries that read files
// the package ships: found by walking up from the calling module, so it holds wherever the build
// puts that module (src/, dist/, dist/demo/, or a shared chunk in dist/chunks/).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'iadvize-activation';

/** The root and its package.json, or undefined when `from` (a module's import.meta.url) is outside the package. */
export function findPackageRoot(
  from: string,
): { readonly dir: string; readonly manifest: { version?: unknown } } | undefined {
  for (let dir = dirname(fileURLToPath(from)); ; dir = dirname(dir)) {
    const manifest = readManifest(dir);
    if (manifest?.name === PACKAGE_NAME) return { dir, manifest };
    if (dirname(dir) === dir) return undefined;
  }
}

function readManifest(dir: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined;
  }
}
