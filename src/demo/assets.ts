// The demo's browser bundles (page.js, fake-iadvize.js), built by scripts/build.mjs into
// dist/demo/. Read once at start: a rebuild while the server runs cannot serve half a file.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DemoAssets {
  /** The page bundle (src/demo/page/main.ts). */
  readonly pageScript: string;
  /** The fake iAdvize tag bundle (src/fake/tag-script.ts): the page's "iadvize.js". */
  readonly tagScript: string;
}

const ASSET_FILES = { pageScript: 'page.js', tagScript: 'fake-iadvize.js' } as const;

/** The demo assets are missing or unreadable. */
export class DemoAssetsError extends Error {
  override readonly name = 'DemoAssetsError';
}

export function readDemoAssets(dir: string = defaultAssetsDir()): DemoAssets {
  const read = (file: string) => {
    const path = join(dir, file);
    if (!existsSync(path))
      throw new DemoAssetsError(`${path} is missing: build the demo first (npm run build, or npm start)`);
    return readFileSync(path, 'utf8');
  };
  return { pageScript: read(ASSET_FILES.pageScript), tagScript: read(ASSET_FILES.tagScript) };
}

/**
 * dist/demo/ of this package, found from this module's own place: the source file
 * (src/demo/), the built server (dist/demo/) or the built CLI (dist/) — each under the root.
 */
export function defaultAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isPackageRoot(dir)) return join(dir, 'dist', 'demo');
    const parent = dirname(dir);
    if (parent === dir)
      throw new DemoAssetsError('cannot find the iadvize-activation package root to serve the demo from');
    dir = parent;
  }
}

function isPackageRoot(dir: string): boolean {
  try {
    return (
      (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === 'iadvize-activation'
    );
  } catch {
    return false;
  }
}
