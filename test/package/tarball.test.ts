// The package as a user gets it: `npm pack`, then installed from the tarball into a scratch
// project (one install for the file), where every public entry's types must resolve under
// moduleResolution bundler and nodenext, every entry must import at run time (ESM and require),
// and `iadvize-activation/server` must type-check without @types/node (edge runtimes). Plus
// the contents and size of the tarball, and what attw and publint say about it.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../react/support/binding-site.js';

const run = promisify(execFile);
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  license: string;
  repository: { url: string };
  homepage: string;
  bugs: { url: string };
};
/** Every public entry, as imported: 'iadvize-activation', 'iadvize-activation/tag', … */
const ENTRIES = Object.entries(pkg.exports)
  // A plain file (the preload to inline in <head>) is text to copy, not a module to import.
  .filter(([subpath, target]) => subpath !== './package.json' && typeof target !== 'string')
  .map(([subpath]) => `iadvize-activation${subpath.slice(1)}`);
/**
 * The issue aimed under 250 kB packed (it was 633 kB, 70 % of it a screenshot); 201 kB was
 * reached, then the devtools panel added its layout library twice (its own entry and the demo
 * page, ≈ 30 kB packed) and the preload and the new guides the rest: 290 kB. The ceiling holds that.
 * Issues 14 and 16 (errors and entries guides, tabs) took it to 311 kB; the contributors' pages
 * (docs/benchmarks.md, docs/reliability.md) no longer ship (296 kB), and the demo page loads the
 * package's devtools entry instead of bundling the layout library a second time: 272 kB.
 */
const MAX_PACKED_BYTES = 300_000;

interface Packed {
  filename: string;
  size: number;
  files: Array<{ path: string }>;
}

let scratch: string;
let packed: Packed;
let tarball: string;
let project: string;
/** tsc's verdict by config, started once the project is ready. */
const checks = new Map<string, Promise<{ code: number; output: string }>>();

/** Runs a command, resolving with its output whatever the exit code (the code is in `code`). */
async function sh(file: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
}

const tsc = (config: string, ...flags: string[]) =>
  sh(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', config, ...flags], project);

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'iadvize-package-'));
  // globalSetup builds dist/ without declarations; emit them (into dist/types only).
  const declarations = await sh(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    root,
  );
  expect(declarations.output).toBe('');
  const pack = await sh('npm', ['pack', '--json', '--pack-destination', scratch], root);
  expect(pack.code, pack.output).toBe(0);
  packed = (JSON.parse(pack.output.slice(pack.output.indexOf('['))) as Packed[])[0]!;
  tarball = join(scratch, packed.filename);

  project = join(scratch, 'app');
  await mkdir(project);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }),
  );
  // The peers a React or Vue app has, and @types/node for the Node entries (a config below
  // leaves it out). Same versions as ours, so the npm cache answers.
  const dev = pkg.devDependencies;
  const install = await sh(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      tarball,
      `typescript@${dev.typescript}`,
      `react@${dev.react}`,
      `@types/react@${dev['@types/react']}`,
      `vue@${dev.vue}`,
      `@types/node@${dev['@types/node']}`,
      // The server guides' examples are for Hono and Express apps.
      `hono@${dev.hono}`,
      `@hono/node-server@${dev['@hono/node-server']}`,
      `express@${dev.express}`,
      `@types/express@${dev['@types/express']}`,
    ],
    project,
  );
  expect(install.code, install.output).toBe(0);

  const importsOf = (entries: string[]) =>
    `${entries.map((entry, i) => `import * as entry${i} from '${entry}';\nexport { entry${i} };`).join('\n')}\n`;
  await writeFile(join(project, 'entries.ts'), importsOf(ENTRIES));
  // The server entry alone, as an edge route handler would import it.
  await writeFile(
    join(project, 'server.ts'),
    `import { createTokenHandler, createTokenIssuer } from 'iadvize-activation/server';\nexport const make = (issuer: Awaited<ReturnType<typeof createTokenIssuer>>) => createTokenHandler({ issuer, identify: () => null, allowedOrigins: ['https://shop.example'] });\n`,
  );
  // The guides' examples, as a user copies them into an app: against the published types.
  await cp(join(root, 'docs/examples'), join(project, 'examples'), { recursive: true });
  const examples = (await readdir(join(project, 'examples'))).map((file) => `examples/${file}`);
  const base = {
    target: 'ES2022',
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    skipDefaultLibCheck: true,
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
  };
  const bundler = { ...base, module: 'ESNext', moduleResolution: 'Bundler' };
  const configs = {
    // The thorough one: every declaration file checked (ours and our dependencies'), and the
    // examples against them. Slow (xstate's types), so done once.
    'tsconfig.bundler.json': {
      compilerOptions: { ...bundler, types: ['node'], jsx: 'react-jsx' },
      files: ['entries.ts', ...examples],
    },
    // Resolution under Node's rules; the declarations were checked above (and attw checks
    // their internal imports under node16 too).
    'tsconfig.nodenext.json': {
      compilerOptions: {
        ...base,
        skipLibCheck: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
      },
      files: ['entries.ts'],
    },
    'tsconfig.server.json': { compilerOptions: { ...bundler, types: [] }, files: ['server.ts'] },
  };
  for (const [name, config] of Object.entries(configs)) await writeFile(join(project, name), JSON.stringify(config));
  // Checking the declarations of every dependency is slow: the three programs run side by side.
  for (const name of Object.keys(configs)) checks.set(name, tsc(name));
}, 180_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the manifest', () => {
  it('takes xstate and jose as caret ranges, so an app with another 5.x / 6.x installs one copy', () => {
    expect(pkg.dependencies).toEqual({
      jose: expect.stringMatching(/^\^6\./),
      xstate: expect.stringMatching(/^\^5\./),
    });
  });

  it('has React and Vue as optional peers, for their bindings only', () => {
    for (const framework of ['react', 'vue']) {
      expect(pkg.peerDependencies[framework]).toBeDefined();
      expect(pkg.peerDependenciesMeta[framework]).toEqual({ optional: true });
    }
  });

  it('names one repository in repository, homepage and bugs (the registry resolves the README links against it)', () => {
    const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(repo).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(pkg.homepage).toBe(`${repo}#readme`);
    expect(pkg.bugs.url).toBe(`${repo}/issues`);
    expect(pkg.license).toBe('MIT');
  });
});

describe('the tarball', () => {
  it(`is under ${MAX_PACKED_BYTES / 1000} kB packed`, () => {
    expect(packed.size).toBeLessThan(MAX_PACKED_BYTES);
  });

  it('holds the licence and every entry, and no image, no demo or CLI types, no source', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'CHANGELOG.md',
        'package.json',
        'dist/react.js',
        'dist/vue.js',
        'dist/cli.js',
      ]),
    );
    expect(paths.filter((path) => /\.(png|jpe?g|gif|webp|svg)$/.test(path))).toEqual([]);
    expect(paths.filter((path) => /^dist\/types\/src\/(demo|cli)\//.test(path))).toEqual([]);
    expect(paths.filter((path) => path.startsWith('src/') || path.startsWith('test/'))).toEqual([]);
  });
});

describe('installed from the tarball into a fresh project', () => {
  it(
    'every public entry and every example of docs/ type-check under moduleResolution bundler',
    { timeout: 240_000 },
    async () => {
      const result = await checks.get('tsconfig.bundler.json')!;
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    },
  );

  it('every public entry resolves with its types under moduleResolution nodenext', { timeout: 240_000 }, async () => {
    const result = await checks.get('tsconfig.nodenext.json')!;
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  // Edge runtimes (Next.js middleware and edge routes, Cloudflare, Deno) have no @types/node.
  it('iadvize-activation/server type-checks without @types/node (edge runtimes)', { timeout: 240_000 }, async () => {
    // The program really lacks Node's types (nothing pulls them in behind `types: []`)…
    expect((await tsc('tsconfig.server.json', '--listFilesOnly')).output).not.toContain('@types/node');
    // …and the entry type-checks. Fails until createNodeTokenHandler moves to iadvize-activation/server/node.
    const result = await checks.get('tsconfig.server.json')!;
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('every entry imports at run time, from ESM and with require()', async () => {
    const script = ENTRIES.map((entry) => `await import('${entry}');`).join(' ');
    expect(await sh(process.execPath, ['--input-type=module', '-e', script], project)).toEqual({ code: 0, output: '' });
    // Node 20.19 and later load ESM with require(): a CommonJS server can use the package.
    const required = `for (const e of ${JSON.stringify(ENTRIES)}) { if (typeof require(e) !== 'object') process.exit(1); }`;
    const cjs = await sh(process.execPath, ['--no-warnings', '-e', required], project);
    expect(cjs).toEqual({ code: 0, output: '' });
  });

  it('the CLI runs from the installed bin', async () => {
    const result = await sh(join(project, 'node_modules/.bin/iadvize-activation'), ['--help'], project);
    expect(result.code).toBe(0);
    expect(result.output).toContain('Usage: iadvize-activation');
  });
});

describe('package linters', () => {
  it('attw finds no problem with the types of any entry (ESM-only package: CommonJS resolutions set aside)', async () => {
    // Plain files (the preload to inline in <head>) are text to copy: no types to check.
    const plainFiles = Object.entries(pkg.exports).flatMap(([subpath, target]) =>
      typeof target === 'string' && subpath !== './package.json' ? [subpath] : [],
    );
    const result = await sh(
      process.execPath,
      [
        join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js'),
        tarball,
        '--profile',
        'esm-only',
        '--format',
        'json',
        '--exclude-entrypoints',
        ...plainFiles,
      ],
      root,
    );
    expect(result.code, result.output).toBe(0);
    const report = JSON.parse(result.output) as {
      analysis: { entrypoints: Record<string, unknown> };
      problems: Record<string, Array<{ entrypoint: string; resolutionKind: string }>>;
    };
    expect(Object.keys(report.analysis.entrypoints)).toEqual(
      Object.keys(pkg.exports).filter((subpath) => !plainFiles.includes(subpath)),
    );
    // The esm-only profile ignores node10 and node16 from CommonJS (require of ESM), and only those.
    const problems = Object.values(report.problems)
      .flat()
      .filter((problem) => !['node10', 'node16-cjs'].includes(problem.resolutionKind));
    expect(problems).toEqual([]);
  });

  it('publint reports nothing', async () => {
    const result = await sh(process.execPath, [join(root, 'node_modules/publint/src/cli.js'), '--strict'], root);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('All good!');
  });
});
