// Builds dist/: the library entries (ESM, code-split so entries share one copy of the
// machine), the CLI and the demo server (sharing chunks), the demo page bundle, then the declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The public entries: subpath → source file (one per role, see package.json "exports"). */
export const libraryEntries = {
  index: 'src/index.ts',
  tag: 'src/tag/index.ts',
  server: 'src/server/index.ts',
  'server/node': 'src/server/node.ts',
  testing: 'src/testing/index.ts',
  inspect: 'src/inspect/index.ts',
  devtools: 'src/devtools/index.ts',
  react: 'src/react/index.ts',
  vue: 'src/vue/index.ts',
  preload: 'src/preload/index.ts',
};

/**
 * Packages bundled into dist/ rather than left to the installer: the devtools panel's layout
 * library (a devDependency), so `iadvize-activation/devtools` works without an extra install
 * and the main entry never carries it.
 */
const INLINED_PACKAGES = /^@dagrejs\/(dagre|graphlib)$/;
const inlinePackages = {
  name: 'inline-devtools-packages',
  setup(pluginBuild) {
    // Resolved here, to the packages' ESM build: `packages: 'external'` would keep them out.
    pluginBuild.onResolve({ filter: INLINED_PACKAGES }, (args) => {
      const dir = join(root, 'node_modules', args.path);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { path: join(dir, manifest.module ?? manifest.main) };
    });
  },
};

export async function buildAll({ declarations = true } = {}) {
  rmSync(`${root}/dist`, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: libraryEntries,
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    plugins: [inlinePackages],
  });
  const nodeOptions = {
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  };
  // The CLI and `npm start`'s server in one build: the CLI's `demo` command runs the same demo,
  // which they share as chunks instead of the CLI carrying a second copy.
  await build({
    ...nodeOptions,
    entryPoints: { cli: 'src/cli/main.ts', 'demo/server': 'src/demo/server.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/node-[hash]',
  });
  writeFileSync(`${root}/dist/cli.js`, `#!/usr/bin/env node\n${readFileSync(`${root}/dist/cli.js`, 'utf8')}`);
  // Browser bundles: everything bundled, no Node built-ins allowed, minified as shipped.
  const browserOptions = {
    absWorkingDir: root,
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    minify: true,
    logLevel: 'warning',
  };
  await build({
    ...browserOptions,
    entryPoints: ['src/demo/page/main.ts'],
    outfile: 'dist/demo/page.js',
    format: 'esm',
  });
  // The demo's "iadvize.js": the fake tag as a classic script (it reads document.currentScript,
  // which module scripts do not set), key-free; the demo server serves it to the adapter.
  await build({
    ...browserOptions,
    entryPoints: ['src/fake/tag-script.ts'],
    outfile: 'dist/demo/fake-iadvize.js',
    format: 'iife',
  });
  // The preload's inline <head> entry: a classic script a page pastes into its own <script>.
  await build({
    ...browserOptions,
    entryPoints: ['src/preload/inline.ts'],
    outfile: 'dist/preload-inline.js',
    format: 'iife',
  });
  if (declarations) {
    execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAll();
}
