// Deterministic budgets for what a site ships to browsers: the size of the main entry plus the
// real-tag adapter over a bare XState floor, and what must never be in a browser bundle
// (jose, Node built-ins, private-key text). Runs on the dist/ that globalSetup builds.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bundleForBrowser,
  contributionsOverFloor,
  findPrivateKeyText,
  measureBudget,
  PRIVATE_KEY_PATTERNS,
  root,
  type BrowserBundle,
  type BudgetMeasurement,
  CI_CEILING_GZIP_BYTES,
  BUDGET_GZIP_BYTES,
  DEVTOOLS_CEILING_GZIP_BYTES,
  measureDevtools,
  MAIN_AND_TAG_SOURCE,
  type DevtoolsMeasurement,
} from '../../scripts/bundle-budget.mjs';
import { bareSpki, generateDevKeys } from '../../src/server/index.js';

/** The published browser entries (package.json "exports") and the fake tag's browser script. */
const BROWSER_ENTRIES = [
  'dist/index.js',
  'dist/tag.js',
  'dist/inspect.js',
  'dist/devtools.js',
  'src/fake/tag-script.ts',
];

const joseInputs = (bundle: BrowserBundle) => bundle.inputs.filter((input) => /(^|\/)node_modules\/jose\//.test(input));
const nodeImports = (bundle: BrowserBundle) =>
  bundle.nodeImports.map(({ path, importer, kind }) => `${relative(root, importer)} → ${path} (${kind})`);

/** Built browser bundles besides the library entries: the demo page and any fake-tag script (never the demo's Node server). */
function builtBrowserFiles(): string[] {
  const demo = join(root, 'dist/demo');
  if (!existsSync(demo)) return [];
  return readdirSync(demo, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js') && file !== 'server.js')
    .map((file) => join('dist/demo', file));
}

describe('main + tag browser bundle', () => {
  let measured: BudgetMeasurement;
  beforeAll(async () => {
    measured = await measureBudget();
  });

  // The issue's goal is 4096 B (reported by `npm run bench`, not met yet); CI holds the ceiling
  // measured when it was set, so the bundle can only shrink toward the goal.
  it(`adds at most ${CI_CEILING_GZIP_BYTES} bytes gzipped over a minimal XState machine (the CI ceiling)`, () => {
    const { library, floor, overFloorGzipBytes, ceilingGzipBytes, budgetGzipBytes } = measured;
    const dominating = contributionsOverFloor(library, floor)
      .map(({ path, bytesOverFloor }) => `  ${String(bytesOverFloor).padStart(6)} B minified  ${path}`)
      .join('\n');
    expect(
      overFloorGzipBytes,
      `main+tag ${library.gzipBytes} B gz − floor ${floor.gzipBytes} B gz = ${overFloorGzipBytes} B over the floor (CI ceiling ${ceilingGzipBytes} B, goal ${budgetGzipBytes} B). Minified bytes over the floor, by input:\n${dominating}`,
    ).toBeLessThanOrEqual(ceilingGzipBytes);
  });

  it('docs/benchmarks.md states the goal and the ceiling in force', () => {
    const page = readFileSync(join(root, 'docs/benchmarks.md'), 'utf8');
    const formatted = (bytes: number) => bytes.toLocaleString('en-US');
    expect(page).toContain(`(\`BUDGET_GZIP_BYTES\`, ${formatted(BUDGET_GZIP_BYTES)})`);
    expect(page).toContain(`(\`CI_CEILING_GZIP_BYTES\`, ${formatted(CI_CEILING_GZIP_BYTES)})`);
  });

  it('really bundles the controller and the adapter (nothing tree-shaken away)', () => {
    const inputs = measured.library.inputs;
    for (const file of [
      'machines/activation.ts',
      'src/activation/create-activation.ts',
      'src/activation/fetch-token.ts',
      'src/tag/iadvize-tag.ts',
    ]) {
      expect(inputs).toContain(file);
    }
    expect(measured.library.code).toContain('iAdvizeInterface');
  });
});

describe('devtools browser bundle (iadvize-activation/devtools)', () => {
  let measured: DevtoolsMeasurement;
  beforeAll(async () => {
    measured = await measureDevtools();
  });

  it(`is at most ${DEVTOOLS_CEILING_GZIP_BYTES} bytes gzipped, layout library included (the CI ceiling)`, () => {
    const largest = [...Object.entries(Object.values(measured.bundle.metafile.outputs)[0]!.inputs)]
      .sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput)
      .slice(0, 8)
      .map(([path, { bytesInOutput }]) => `  ${String(bytesInOutput).padStart(6)} B minified  ${path}`)
      .join('\n');
    expect(
      measured.gzipBytes,
      `devtools ${measured.gzipBytes} B gz (ceiling ${measured.ceilingGzipBytes} B). Largest inputs:\n${largest}`,
    ).toBeLessThanOrEqual(DEVTOOLS_CEILING_GZIP_BYTES);
  });

  it('really holds the panel and its layout library, and the main entry holds neither', async () => {
    expect(measured.bundle.inputs).toContain('src/devtools/mount.ts');
    expect(measured.bundle.inputs.some((input) => input.includes('node_modules/@dagrejs/dagre/'))).toBe(true);
    const main = await bundleForBrowser({ source: MAIN_AND_TAG_SOURCE });
    expect(main.inputs.filter((input) => input.includes('devtools') || input.includes('@dagrejs'))).toEqual([]);
    expect(main.code).not.toContain('iadvize-activation devtools');
  });

  it('docs/devtools.md states the ceiling in force', () => {
    expect(readFileSync(join(root, 'docs/devtools.md'), 'utf8')).toContain(
      `(\`DEVTOOLS_CEILING_GZIP_BYTES\`, ${DEVTOOLS_CEILING_GZIP_BYTES.toLocaleString('en-US')})`,
    );
  });
});

describe.each(BROWSER_ENTRIES)('browser bundle of %s', (entry) => {
  let bundle: BrowserBundle;
  beforeAll(async () => {
    bundle = await bundleForBrowser({ entry });
  });

  it('has no jose', () => {
    expect(joseInputs(bundle)).toEqual([]);
  });

  it('imports no Node built-in', () => {
    expect(nodeImports(bundle)).toEqual([]);
    expect(bundle.code).not.toMatch(
      /\brequire\(\s*["'](node:)?(fs|crypto|path|os|child_process|http|https|net|buffer|stream)["']/,
    );
  });

  it('holds no private-key text', () => {
    expect(findPrivateKeyText(bundle.code)).toEqual([]);
  });
});

it('the other built browser bundles (demo page, fake-tag script) hold no private-key text', () => {
  const found = builtBrowserFiles().flatMap((file) =>
    findPrivateKeyText(readFileSync(join(root, file), 'utf8')).map((name) => `${file}: ${name}`),
  );
  expect(found).toEqual([]);
});

// The checks above pass by finding nothing; these show they do find what they look for.
describe('the checks catch what they look for', () => {
  it('sees jose and a Node built-in in the server entry, which is not for browsers', async () => {
    const server = await bundleForBrowser({ entry: 'dist/server.js' });
    expect(joseInputs(server)).not.toEqual([]);
    expect(nodeImports(server)).toContainEqual(expect.stringContaining('node:fs/promises'));
  });

  it('finds a real private key as PEM, bare base64 and JWK, and not its public half', async () => {
    const { customer } = await generateDevKeys();
    const bare = customer.privateKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const jwk = (key: string) => JSON.stringify(createPrivateKey(key).export({ format: 'jwk' }));
    const [pem, base64, jwkD] = PRIVATE_KEY_PATTERNS.map(({ name }) => name);
    expect(findPrivateKeyText(`const k = ${JSON.stringify(customer.privateKeyPem)};`)).toEqual([pem, base64]);
    expect(findPrivateKeyText(`const k = "${bare}";`)).toEqual([base64]);
    expect(findPrivateKeyText(`const k = ${jwk(customer.privateKeyPem)};`)).toEqual([jwkD]);
    const publicJwk = JSON.stringify(createPublicKey(customer.publicKeyPem).export({ format: 'jwk' }));
    expect(findPrivateKeyText(`${customer.publicKeyPem}${bareSpki(customer.publicKeyPem)}${publicJwk}`)).toEqual([]);
  });
});
