// The demo's browser bundles (page.js, fake-iadvize.js), built by scripts/build.mjs into
// dist/demo/, and the package's devtools entry with its chunks (dist/), which the page loads
// when it runs, as a site would: the panel's layout library ships once, in devtools.js.
// Read once at start: a rebuild while the server runs cannot serve half a file.
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { findPackageRoot } from '../package-root.js';
import { DEMO_PATHS } from './page-config.js';

export interface DemoAssets {
  /** The page bundle (src/demo/page/main.ts). */
  readonly pageScript: string;
  /** The fake iAdvize tag bundle (src/fake/tag-script.ts): the page's "iadvize.js". */
  readonly tagScript: string;
  /** dist/devtools.js and the chunks it imports, by path under dist/ ('devtools.js', 'chunks/…'). */
  readonly libraryModules: Readonly<Record<string, string>>;
}

/** The entry the page imports at run time, under dist/ ('devtools.js'): its route less the library's. */
const LIBRARY_ENTRY = DEMO_PATHS.devtools.slice(DEMO_PATHS.library.length);
/** A static relative import in esbuild's output: `from "./chunks/x.js"`, `import "./x.js"`. */
const RELATIVE_IMPORT = /(?:from|import)\s*"(\.\.?\/[^"]+\.js)"/g;

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
  return {
    pageScript: read(ASSET_FILES.pageScript),
    tagScript: read(ASSET_FILES.tagScript),
    // The package's modules sit one level up, in dist/.
    libraryModules: readLibraryModules((path) => read(join('..', path))),
  };
}

/** The library entry and every module it imports, followed through relative imports; paths under dist/. */
function readLibraryModules(read: (path: string) => string): Record<string, string> {
  const modules: Record<string, string> = {};
  const pending = [LIBRARY_ENTRY];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (path in modules) continue;
    const text = read(path);
    modules[path] = text;
    for (const [, specifier] of text.matchAll(RELATIVE_IMPORT))
      pending.push(posix.normalize(posix.join(posix.dirname(path), specifier!)));
  }
  return modules;
}

/** dist/demo/ of this package, wherever the build put this module. */
export function defaultAssetsDir(): string {
  const root = findPackageRoot(import.meta.url);
  if (root === undefined)
    throw new DemoAssetsError('cannot find the iadvize-activation package root to serve the demo from');
  return join(root.dir, 'dist', 'demo');
}
